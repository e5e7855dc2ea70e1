// A lab on several machines, in pure code (model/machines.h): what one machine's share holds,
// and the values both ends of a tunnel must agree on without talking to each other.
#include <doctest/doctest.h>

#include "model/machines.h"
#include "parse/load.h"

using namespace nstopo;

namespace {

model::Topology load(const std::string& text) {
  auto loaded = parse::load_topology_text(text, "t.yaml");
  for (auto& d : loaded.diagnostics) MESSAGE(parse::format_diagnostic(d));
  REQUIRE(loaded.ok());
  return *loaded.topology;
}

const std::string kTwo = R"(version: 1
name: span
hosts:
  m1: {address: 192.0.2.1}
  m2: {address: "2001:db8::2"}
namespaces:
  a: {on: m1}
  b: {on: m2}
  c: {interfaces: {eth0: {}}}
links:
  - endpoints: [host:to_c, c:eth0]
)";

}  // namespace

TEST_CASE("a namespace without on: is on the first machine; a host end on its other end's") {
  auto lab = load(kTwo);
  CHECK(lab.namespaces.at("c").on == "m1");
  CHECK(model::machine_of(lab, {"host", "to_c"}, {"c", "eth0"}) == "m1");
  auto m2 = model::share(lab, "m2");
  CHECK(m2.namespaces.size() == 1);
  CHECK(m2.namespaces.contains("b"));
  CHECK(m2.host.interfaces.empty());  // to_c is m1's
  CHECK(m2.links.empty());
  CHECK(m2.here == "m2");
}

TEST_CASE("the two ends of a tunnel agree: VNI, remote and local swapped, one port") {
  auto text = R"(version: 1
name: span
hosts:
  m1: {address: 192.0.2.1}
  m2: {address: 192.0.2.2, mtu: 9000}
namespaces:
  a: {on: m1, interfaces: {eth0: {}}}
  b: {on: m2, interfaces: {eth0: {}}}
links:
  - endpoints: [a:eth0, b:eth0]
)";
  auto lab = load(text);
  auto end1 = model::share(lab, "m1").namespaces.at("a").interfaces.at("eth0");
  auto end2 = model::share(lab, "m2").namespaces.at("b").interfaces.at("eth0");
  REQUIRE(end1.vxlan);
  REQUIRE(end2.vxlan);
  CHECK(end1.kind == model::LinkKind::vxlan);
  CHECK(end1.vxlan->vni == end2.vxlan->vni);
  CHECK(end1.vxlan->remote == *model::IpAddress::parse("192.0.2.2"));
  CHECK(end2.vxlan->remote == *model::IpAddress::parse("192.0.2.1"));
  CHECK(end1.vxlan->local == end2.vxlan->remote);
  CHECK(end1.vxlan->port == 4789);
  CHECK(end1.mtu == 1450u);  // the smaller underlay's (1500) less 50
  CHECK(end2.mtu == 1450u);
  CHECK(end1.mac != end2.mac);
  CHECK(end1.mac == model::share(lab, "m1").namespaces.at("a").interfaces.at("eth0").mac);
  // The VNI is the lab's and the link's, whichever way round its ends are written.
  model::Link swapped = lab.links.front();
  std::swap(swapped.a, swapped.b);
  CHECK(model::link_vni_key(swapped) == model::link_vni_key(lab.links.front()));
  CHECK(model::derived_vni("span", model::link_vni_key(swapped)) == end1.vxlan->vni);
  CHECK(model::derived_vni("other", model::link_vni_key(swapped)) != end1.vxlan->vni);
}

TEST_CASE("derived VNIs stay in 1..16777215") {
  for (int i = 0; i < 2000; ++i) {
    uint32_t vni = model::derived_vni("lab", "link:" + std::to_string(i));
    CHECK(vni >= 1);
    CHECK(vni <= model::kMaxVni);
  }
}

TEST_CASE("IPv6 underlays cost 70 bytes") {
  model::Machine a{.name = "a", .address = *model::IpAddress::parse("2001:db8::1")};
  model::Machine b{.name = "b", .address = *model::IpAddress::parse("2001:db8::2"), .mtu = 1600};
  CHECK(model::tunnel_mtu(a, b) == 1430);
}

TEST_CASE("a spanning bridge gets an isolated port toward each other machine, named to fit") {
  auto text = R"(version: 1
name: lan
hosts:
  m1: {address: 192.0.2.1}
  a-machine-with-a-long-name: {address: 192.0.2.2}
  m3: {address: 192.0.2.3}
host:
  interfaces:
    lan: {kind: bridge}
    p1: {master: lan}
namespaces:
  n1: {on: m1, interfaces: {eth0: {}}}
links:
  - endpoints: [host:p1, n1:eth0]
)";
  auto lab = load(text);
  auto m1 = model::share(lab, "m1");
  auto& ports = m1.host.interfaces;
  REQUIRE(ports.contains("lan-m3"));
  CHECK(ports.at("lan-m3").isolated);
  CHECK(ports.at("lan-m3").master == "lan");
  std::string long_port = model::tunnel_port_name("lan", "a-machine-with-a-long-name");
  CHECK(long_port.size() <= 15);
  CHECK(long_port.starts_with("vx"));
  REQUIRE(ports.contains(long_port));
  // Both ends of one pair's tunnel share a VNI; different pairs do not.
  auto m3 = model::share(lab, "m3");
  CHECK(m3.host.interfaces.at("lan-m1").vxlan->vni == ports.at("lan-m3").vxlan->vni);
  CHECK(ports.at(long_port).vxlan->vni != ports.at("lan-m3").vxlan->vni);
  // The port's veth and its peer get the tunnels' MTU.
  CHECK(ports.at("p1").mtu == 1450u);
  CHECK(m1.namespaces.at("n1").interfaces.at("eth0").mtu == 1450u);
  // m3 has no port of its own, but is on the segment all the same.
  CHECK(m3.host.interfaces.contains("lan"));
  CHECK(!m3.host.interfaces.contains("p1"));
}

TEST_CASE("a lab on one machine is its own share") {
  auto lab = load("version: 1\nname: solo\nnamespaces:\n  a: {}\n");
  auto share = model::share(lab, "anything");
  CHECK(share.namespaces.size() == 1);
  CHECK(share.here.empty());
}
