// From YAML to the model: what each declaration becomes, and the file-level failures.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

#include "parse/load.h"

using namespace nstopo;
using namespace std::chrono_literals;
using parse::load_topology_file;
using parse::load_topology_text;

namespace {

model::Topology load_ok(std::string_view text) {
  auto result = load_topology_text(text, "t.yaml");
  std::string diagnostics;
  for (const auto& d : result.diagnostics) diagnostics += parse::format_diagnostic(d);
  INFO(diagnostics);
  REQUIRE(result.ok());
  return *result.topology;
}

std::string report(std::string_view text) {
  auto result = load_topology_text(text, "t.yaml");
  std::string out;
  for (const auto& d : result.diagnostics) out += parse::format_diagnostic(d);
  return out;
}

constexpr std::string_view kSeed = R"(version: 1
name: seed
host:
  interfaces:
    veth_rifky:
      addresses: [10.0.0.10/24]
namespaces:
  ns_rifky:
    interfaces:
      veth_ns_rifky:
        addresses: [10.0.0.11/24]
    services:
      web:
        command: [python3, -m, http.server, "4000"]
        ready: {tcp: 4000}
links:
  - endpoints: [host:veth_rifky, ns_rifky:veth_ns_rifky]
)";

}  // namespace

TEST_CASE("the seed lab becomes the model the issue describes") {
  auto topology = load_ok(kSeed);
  CHECK(topology.version == 1);
  CHECK(topology.name == "seed");
  CHECK(topology.file == "t.yaml");
  CHECK(topology.host.name == "host");
  CHECK(topology.host.where.line == 3);
  REQUIRE(topology.host.interfaces.contains("veth_rifky"));
  const auto& host_end = topology.host.interfaces.at("veth_rifky");
  CHECK(host_end.kind == model::LinkKind::veth);
  CHECK(host_end.up);
  REQUIRE(host_end.addresses.size() == 1);
  CHECK(host_end.addresses[0].to_string() == "10.0.0.10/24");
  CHECK(host_end.peer == model::Endpoint{"ns_rifky", "veth_ns_rifky"});
  CHECK(host_end.where.line == 5);
  CHECK(host_end.where.column == 5);

  REQUIRE(topology.namespaces.size() == 1);
  const auto& ns = topology.namespaces.at("ns_rifky");
  CHECK(ns.where.line == 8);
  CHECK(ns.interfaces.at("veth_ns_rifky").peer == model::Endpoint{"host", "veth_rifky"});
  const auto& web = ns.services.at("web");
  CHECK(web.command == std::vector<std::string>{"python3", "-m", "http.server", "4000"});
  CHECK(web.ready.kind == model::ReadyProbe::Kind::tcp);
  CHECK(web.ready.port == 4000);
  CHECK(web.ready.timeout == 10s);
  CHECK(web.stop_grace == 5s);
  CHECK(web.where.line == 13);

  REQUIRE(topology.links.size() == 1);
  CHECK(topology.links[0].a == model::Endpoint{"host", "veth_rifky"});
  CHECK(topology.links[0].b == model::Endpoint{"ns_rifky", "veth_ns_rifky"});
  CHECK(topology.links[0].where.line == 17);
}

TEST_CASE("a link end without an entry becomes a veth with its peer") {
  auto topology = load_ok(
      "version: 1\nname: x\nnamespaces:\n  a:\n  b:\nlinks:\n"
      "  - endpoints: [a:eth0, b:eth0]\n");
  const auto& a = topology.namespaces.at("a").interfaces.at("eth0");
  CHECK(a.name == "eth0");
  CHECK(a.kind == model::LinkKind::veth);
  CHECK(a.peer == model::Endpoint{"b", "eth0"});
  CHECK(a.where.line == 7);
  CHECK(a.where.column == 17);
  CHECK(topology.namespaces.at("b").interfaces.at("eth0").peer == model::Endpoint{"a", "eth0"});
}

TEST_CASE("a link's mtu applies to both ends, and an equal mtu on an end is no conflict") {
  auto topology = load_ok(
      "version: 1\nname: x\nnamespaces:\n  a:\n    interfaces:\n"
      "      eth0: {mtu: 1400}\n  b:\nlinks:\n"
      "  - {endpoints: [a:eth0, b:eth0], mtu: 1400}\n"
      "  - {endpoints: [a:eth1, b:eth1]}\n");
  CHECK(topology.namespaces.at("a").interfaces.at("eth0").mtu == 1400u);
  CHECK(topology.namespaces.at("b").interfaces.at("eth0").mtu == 1400u);
  CHECK_FALSE(topology.namespaces.at("b").interfaces.at("eth1").mtu.has_value());
  CHECK(topology.links[0].mtu == 1400u);
}

TEST_CASE("veth ends may have different MTUs when the link sets none") {
  auto topology = load_ok(
      "version: 1\nname: x\nnamespaces:\n  a:\n    interfaces:\n"
      "      eth0: {mtu: 9000}\n  b:\n    interfaces:\n      eth0: {mtu: 1500}\n"
      "links:\n  - endpoints: [a:eth0, b:eth0]\n");
  CHECK(topology.namespaces.at("a").interfaces.at("eth0").mtu == 9000u);
  CHECK(topology.namespaces.at("b").interfaces.at("eth0").mtu == 1500u);
}

TEST_CASE("bridges, masters, MACs and 'up' map onto the interface") {
  auto topology = load_ok(
      "version: 1\nname: x\nhost:\n  interfaces:\n"
      "    br0: {kind: bridge, addresses: [10.1.0.1/24], up: false}\n"
      "    v0: {master: br0, mac: 02:AA:00:00:00:01}\nnamespaces:\n  a:\n"
      "links:\n  - endpoints: [host:v0, a:eth0]\n");
  const auto& br0 = topology.host.interfaces.at("br0");
  CHECK(br0.kind == model::LinkKind::bridge);
  CHECK_FALSE(br0.up);
  CHECK_FALSE(br0.peer.has_value());
  const auto& v0 = topology.host.interfaces.at("v0");
  CHECK(v0.master == "br0");
  CHECK(v0.mac->to_string() == "02:aa:00:00:00:01");
}

TEST_CASE("routes: default takes the gateway's family, metric and dev are kept") {
  auto topology = load_ok(R"(version: 1
name: x
namespaces:
  a:
    interfaces:
      eth0: {addresses: [10.0.0.2/24, "fd00::2/64", "fe80::2/64"]}
    routes:
      - {to: default, via: 10.0.0.1}
      - {to: default, via: "fd00::1", metric: 4294967295}
      - {to: "fd00:9::/48", via: "fe80::1", dev: eth0}
      - {to: 10.9.0.0/16, dev: eth0}
links:
  - endpoints: [host:v0, a:eth0]
)");
  const auto& routes = topology.namespaces.at("a").routes;
  REQUIRE(routes.size() == 4);
  CHECK(routes[0].to == model::Prefix::default_route(model::Family::inet));
  CHECK(routes[0].via->to_string() == "10.0.0.1");
  CHECK(routes[0].where.line == 8);
  CHECK(routes[1].to == model::Prefix::default_route(model::Family::inet6));
  CHECK(routes[1].metric == 4294967295u);
  CHECK(routes[2].to_string() == "fd00:9::/48 via fe80::1 dev eth0");
  CHECK(routes[3].to_string() == "10.9.0.0/16 dev eth0");
  CHECK_FALSE(routes[3].via.has_value());
}

TEST_CASE("services: env, cwd, user, exec probe, timeouts") {
  auto topology = load_ok(R"(version: 1
name: x
namespaces:
  a:
    sysctls: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: true}
    services:
      s:
        command: [sleep, 100]
        env: {PORT: 8080, DEBUG: false, NAME: web, EMPTY: ""}
        cwd: /srv
        user: 1000
        ready: {exec: [test, -e, /run/s.ready], timeout: 500ms}
        stop_timeout: 2m
)");
  const auto& ns = topology.namespaces.at("a");
  CHECK(ns.sysctls.at("net.ipv4.ip_forward") == "1");
  CHECK(ns.sysctls.at("net.ipv6.conf.all.forwarding") == "true");
  const auto& s = ns.services.at("s");
  CHECK(s.command == std::vector<std::string>{"sleep", "100"});
  CHECK(s.env == std::map<std::string, std::string>{
                     {"PORT", "8080"}, {"DEBUG", "false"}, {"NAME", "web"}, {"EMPTY", ""}});
  CHECK(s.cwd == "/srv");
  CHECK(s.user == "1000");
  CHECK(s.ready.kind == model::ReadyProbe::Kind::exec);
  CHECK(s.ready.argv == std::vector<std::string>{"test", "-e", "/run/s.ready"});
  CHECK(s.ready.timeout == 500ms);
  CHECK(s.stop_grace == 2min);
}

TEST_CASE("empty sections are allowed and empty") {
  auto topology = load_ok(
      "version: 1\nname: x\nhost:\nnamespaces:\n  a:\n    interfaces:\n"
      "    routes:\n    sysctls:\n    services:\nlinks:\n");
  CHECK(topology.host.interfaces.empty());
  CHECK(topology.namespaces.at("a").routes.empty());
  CHECK(topology.links.empty());
}

TEST_CASE("no topology comes back when there is any diagnostic") {
  auto result = load_topology_text("version: 1\nname: x\nbogus: 1\n", "t.yaml");
  CHECK_FALSE(result.ok());
  CHECK_FALSE(result.topology.has_value());
  CHECK(result.diagnostics.size() == 1);
}

TEST_CASE("diagnostics come sorted by position whatever check found them") {
  auto result = load_topology_text(R"(version: 1
name: x
namespaces:
  a:
    interfaces:
      eth0: {mtu: 1}
      eth1: {}
links:
  - endpoints: [a:eth0, zz:eth0]
)",
                                   "t.yaml");
  REQUIRE(result.diagnostics.size() == 3);
  CHECK(result.diagnostics[0].line == 6);  // mtu (read)
  CHECK(result.diagnostics[1].line == 7);  // eth1 has no link (resolved)
  CHECK(result.diagnostics[2].line == 9);  // unknown namespace (resolved)
}

TEST_CASE("an empty list item is pointed at where its '-' stands") {
  CHECK(report("version: 1\nname: x\nlinks:\n  - endpoints: [host:a, host:b]\n  -\n\n") ==
        "t.yaml:5:3: error: missing required key 'endpoints' in a link\n"
        "    5 |   -\n"
        "      |   ^\n"
        "hint: e.g. endpoints: [host:veth0, ns1:eth0]\n");
}

TEST_CASE("a misspelt required key is one message, not two") {
  CHECK(report("version: 1\nname: x\nnamespaces:\n  a:\n    services:\n"
               "      s: {comand: [true]}\n") ==
        "t.yaml:6:11: error: unknown key 'comand' in service 's' of namespace 'a'\n"
        "    6 |       s: {comand: [true]}\n"
        "      |           ^\n"
        "hint: did you mean 'command'?\n");
}

TEST_CASE("an unknown namespace in a link does not also orphan the interface it meant") {
  CHECK(report("version: 1\nname: x\nnamespaces:\n  desk2:\n    interfaces:\n"
               "      eth0: {mtu: 1500}\nlinks:\n  - endpoints: [host:d2, desk3:eth0]\n") ==
        "t.yaml:8:26: error: link endpoint 'desk3:eth0' names unknown namespace 'desk3'\n"
        "    8 |   - endpoints: [host:d2, desk3:eth0]\n"
        "      |                          ^\n"
        "hint: did you mean 'desk2'?\n");
}

TEST_CASE("a gateway that is the namespace's own address is refused") {
  CHECK(
      report(
          "version: 1\nname: x\nnamespaces:\n  a:\n    interfaces:\n"
          "      eth0: {addresses: [10.0.0.2/24]}\n    routes:\n"
          "      - {to: 10.9.0.0/16, via: 10.0.0.2}\nlinks:\n  - endpoints: [host:v, a:eth0]\n") ==
      "t.yaml:8:32: error: gateway 10.0.0.2 is an address of namespace 'a' itself ('eth0')\n"
      "    8 |       - {to: 10.9.0.0/16, via: 10.0.0.2}\n"
      "      |                                ^\n"
      "hint: the gateway is the next router, another host on the subnet\n");
}

TEST_CASE("text over 4 MiB is refused before it is parsed") {
  std::string text(4 * 1024 * 1024 + 1, '#');
  CHECK(report(text) ==
        "t.yaml: error: file is 4194305 bytes; nstopo reads at most 4 MiB "
        "(4194304 bytes)\n");
}

TEST_CASE("files: missing, a directory, too big") {
  auto missing = load_topology_file("/nonexistent/lab.yaml");
  REQUIRE(missing.diagnostics.size() == 1);
  CHECK(parse::format_diagnostic(missing.diagnostics[0]) ==
        "/nonexistent/lab.yaml: error: cannot open file: No such file or directory (ENOENT)\n");

  auto directory = load_topology_file(NSTOPO_TESTS_DIR);
  REQUIRE(directory.diagnostics.size() == 1);
  CHECK(directory.diagnostics[0].message == "cannot read file: it is a directory");

  auto path = std::filesystem::temp_directory_path() /
              ("nstopo_big_" + std::to_string(::getpid()) + ".yaml");
  {
    std::ofstream out(path);
    out << "version: 1\nname: big\n" << std::string(5 * 1024 * 1024, '#') << "\n";
  }
  auto big = load_topology_file(path.string());
  std::filesystem::remove(path);
  REQUIRE(big.diagnostics.size() == 1);
  CHECK(big.diagnostics[0].message ==
        "file is 5242902 bytes; nstopo reads at most 4 MiB (4194304 bytes)");
  CHECK(big.diagnostics[0].line == 0);
}

TEST_CASE("a stream without a size is cut off past 4 MiB") {
  auto result = load_topology_file("/dev/zero");
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].message ==
        "file is more than 4 MiB; nstopo reads at most "
        "4194304 bytes");
}

TEST_CASE("destroy reads a file's lab name alone, even when the rest is broken") {
  auto path = std::filesystem::temp_directory_path() / fmt::format("nstopo-name-{}.yaml", ::getpid());
  auto write = [&](std::string_view text) { std::ofstream(path) << text; };
  write("version: 1\nname: lab7\nnamespaces:\n  ns1: {interfaces: {eth0: {addresses: [bad]}}}\n");
  CHECK_FALSE(load_topology_file(path.string()).ok());  // a full load refuses it ...
  CHECK(parse::read_lab_name(path.string()) == "lab7");  // ... its name is still readable
  write("version: 1\nname: 'not a lab name!'\n");
  CHECK_FALSE(parse::read_lab_name(path.string()).has_value());  // invalid: the full load says why
  write("version: 1\nname: *anchorless\n");
  CHECK_FALSE(parse::read_lab_name(path.string()).has_value());  // the guard still refuses aliases
  std::filesystem::remove(path);
  CHECK_FALSE(parse::read_lab_name(path.string()).has_value());
}
