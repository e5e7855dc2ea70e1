// `nstopo show`'s pure half: live state -> topology (plan/show_topology.h) -> file
// (parse/write_topology.h) -> parsed back; and a plan of it over the same state creates nothing.
#include <doctest/doctest.h>

#include "parse/load.h"
#include "parse/write_topology.h"
#include "plan/planner.h"
#include "plan/show_topology.h"
#include "support/test_labs.h"

using namespace nstopo;

namespace {

model::ObservedAddress address(const char* dev, const char* prefix, uint8_t scope = 0) {
  return {.dev = dev, .prefix = *model::Prefix::parse(prefix), .scope = scope};
}

model::ObservedRoute route(const char* to, std::optional<const char*> via, const char* dev,
                           uint8_t protocol, uint32_t metric = 0) {
  model::ObservedRoute r{.to = *model::Prefix::parse(to), .dev = dev, .metric = metric,
                         .protocol = protocol};
  if (via) r.via = model::IpAddress::parse(*via);
  return r;
}

// Two hand-made namespaces: a <-> b over a veth pair; b has a bridge br0 with port p1, whose
// peer h1 is on the host; a also holds a dummy, which nstopo does not make.
model::ObservedState hand_made() {
  auto s = testing::empty_host("handmade");
  model::ObservedNamespace a{.name = "a", .exists = true}, b{.name = "b", .exists = true};
  a.links = {{.name = "lo", .ifindex = 1, .up = true},
             {.name = "eth0", .ifindex = 2, .kind = "veth", .peer_ifindex = 3, .peer_netnsid = 0,
              .peer_ns = "b", .mtu = 9000, .up = true},
             {.name = "dummy0", .ifindex = 4, .kind = "dummy", .mtu = 1500, .up = true}};
  a.addresses = {address("lo", "127.0.0.1/8", 254), address("eth0", "10.1.0.1/24"),
                 address("eth0", "fd00::1/64"), address("eth0", "fe80::1/64", 253)};
  a.routes = {route("10.1.0.0/24", std::nullopt, "eth0", 2),
              route("fd00::/64", std::nullopt, "eth0", 2, 256),
              route("0.0.0.0/0", "10.1.0.2", "eth0", 3),
              route("10.9.0.0/16", std::nullopt, "eth0", 3, 20)};
  b.links = {{.name = "lo", .ifindex = 1, .up = true},
             {.name = "eth0", .ifindex = 3, .kind = "veth", .peer_ifindex = 2, .peer_netnsid = 0,
              .peer_ns = "a", .mtu = 9000, .up = true},
             {.name = "br0", .ifindex = 5, .kind = "bridge", .mtu = 1500, .up = true},
             {.name = "p1", .ifindex = 6, .kind = "veth", .peer_ifindex = 20, .peer_netnsid = 1,
              .peer_ns = "host", .master = "br0", .mtu = 1500, .up = false}};
  b.addresses = {address("eth0", "10.1.0.2/24"), address("br0", "10.2.0.1/24")};
  s.host.links.push_back({.name = "h1", .ifindex = 20, .kind = "veth", .peer_ifindex = 6,
                          .peer_netnsid = 2, .mtu = 1500, .up = true});
  s.host.addresses.push_back(address("h1", "10.2.0.9/24"));
  s.namespaces = {{"a", a}, {"b", b}};
  return s;
}

}  // namespace

TEST_CASE("show: hand-made namespaces become a file that parses back to the same topology") {
  auto shown = plan::topology_from_observed(hand_made(), "handmade");
  REQUIRE(shown.skipped.size() == 1);
  CHECK(shown.skipped[0].text() == "a:dummy0: a link of kind 'dummy', which nstopo does not make");

  auto text = parse::write_topology_yaml(shown.topology, {"a comment"});
  CHECK(text ==
        "# a comment\n"
        "version: 1\n"
        "name: handmade\n"
        "host:\n"
        "  interfaces:\n"
        "    h1: {addresses: [10.2.0.9/24]}\n"
        "namespaces:\n"
        "  a:\n"
        "    interfaces:\n"
        "      eth0: {addresses: [10.1.0.1/24, fd00::1/64], mtu: 9000}\n"
        "    routes:\n"
        "      - {to: default, via: 10.1.0.2}\n"
        "      - {to: 10.9.0.0/16, dev: eth0, metric: 20}\n"
        "  b:\n"
        "    interfaces:\n"
        "      br0: {kind: bridge, addresses: [10.2.0.1/24]}\n"
        "      eth0: {addresses: [10.1.0.2/24], mtu: 9000}\n"
        "      p1: {master: br0, up: false}\n"
        "links:\n"
        "  - {endpoints: [a:eth0, b:eth0]}\n"
        "  - {endpoints: [b:p1, host:h1]}\n");

  auto loaded = parse::load_topology_text(text, "shown.yaml");
  REQUIRE(loaded.ok());
  const auto& t = *loaded.topology;
  CHECK(t.namespaces.at("a").interfaces.at("eth0").mtu == 9000u);
  CHECK(t.namespaces.at("b").interfaces.at("p1").master == "br0");
  CHECK_FALSE(t.namespaces.at("b").interfaces.at("p1").up);
  CHECK(t.links.size() == 2);

  // Planned with --adopt over the same state: nothing is created or deleted, only taken over.
  auto result = plan::plan(t, hand_made(), {.adopt = true});
  CHECK(result.conflicts.empty());
  for (const auto& action : result.plan.actions)
    CHECK_MESSAGE(action.reason.why == model::Reason::Why::adopted, action.describe());
}

TEST_CASE("show: a veth whose host end is a port of a host bridge is left out, and said so") {
  auto observed = hand_made();
  observed.host.links.push_back({.name = "hbr", .ifindex = 30, .kind = "bridge", .up = true});
  observed.host.links[1].master = "hbr";  // h1
  auto shown = plan::topology_from_observed(observed, "handmade");
  CHECK(shown.topology.host.interfaces.empty());
  CHECK_FALSE(shown.topology.namespaces.at("b").interfaces.contains("p1"));
  CHECK(shown.topology.links.size() == 1);
  REQUIRE(shown.skipped.size() == 2);
  CHECK(shown.skipped[1].text() ==
        "b:p1: a veth whose host end h1 is a port of host bridge hbr, which is not shown");
}
