// `ready: {tcp: PORT, address: ADDR}`: where a tcp probe connects, and each way the address
// can be wrong.
#include <doctest/doctest.h>

#include "parse/load.h"

using namespace nstopo;

namespace {

model::Topology load_ok(std::string_view text) {
  auto result = parse::load_topology_text(text, "t.yaml");
  std::string diagnostics;
  for (const auto& d : result.diagnostics) diagnostics += parse::format_diagnostic(d);
  INFO(diagnostics);
  REQUIRE(result.ok());
  return *result.topology;
}

std::string report(std::string_view text) {
  auto result = parse::load_topology_text(text, "t.yaml");
  std::string out;
  for (const auto& d : result.diagnostics) out += parse::format_diagnostic(d);
  return out;
}

// Namespace `a` with two interfaces (one with a link-local address too), and `ready` as given.
std::string lab(std::string_view ready) {
  return fmt::format(
      "version: 1\nname: x\nnamespaces:\n  a:\n    interfaces:\n"
      "      eth0: {{addresses: [10.0.0.2/24, \"fd00::2/64\", \"fe80::2/64\"]}}\n"
      "      eth1: {{addresses: [10.1.0.2/24]}}\n"
      "    services:\n      web:\n        command: [sleep, \"1\"]\n"
      "        ready: {}\n"
      "  b:\n    interfaces:\n      eth0: {{addresses: [10.0.0.3/24]}}\n"
      "      eth1: {{addresses: [10.1.0.3/24]}}\n"
      "links:\n  - endpoints: [a:eth0, b:eth0]\n  - endpoints: [a:eth1, b:eth1]\n",
      ready);
}

std::vector<std::string> targets_of(const model::Service& service) {
  std::vector<std::string> out;
  for (const auto& target : service.ready.targets) out.push_back(target.to_string());
  return out;
}

model::IpAddress ip(std::string_view text) { return *model::IpAddress::parse(text); }

}  // namespace

TEST_CASE("without an address a tcp probe tries the namespace's declared addresses") {
  auto topology = load_ok(lab("{tcp: 4000}"));
  const auto& web = topology.namespaces.at("a").services.at("web");
  CHECK_FALSE(web.ready.address);
  // File order, link-local left out (a connect to one needs an interface).
  CHECK(targets_of(web) == std::vector<std::string>{"10.0.0.2", "fd00::2", "10.1.0.2"});
  CHECK(web.ready.tcp_targets() == web.ready.targets);
}

TEST_CASE("a namespace without addresses is probed on loopback") {
  auto topology = load_ok(
      "version: 1\nname: x\nnamespaces:\n  a:\n    services:\n      web:\n"
      "        command: [sleep, \"1\"]\n        ready: {tcp: 4000}\n");
  const auto& web = topology.namespaces.at("a").services.at("web");
  CHECK(web.ready.targets.empty());
  CHECK(web.ready.tcp_targets() == std::vector<model::IpAddress>{ip("127.0.0.1"), ip("::1")});
}

TEST_CASE("a declared address is the only target: an own address, or loopback") {
  for (std::string_view address : {"10.1.0.2", "fd00::2", "127.0.0.1", "127.0.0.53", "::1"}) {
    CAPTURE(address);
    auto topology = load_ok(lab(fmt::format("{{tcp: 4000, address: \"{}\"}}", address)));
    const auto& web = topology.namespaces.at("a").services.at("web");
    CHECK(web.ready.address == ip(address));
    CHECK(web.ready.targets == std::vector<model::IpAddress>{ip(address)});
  }
  // Block style, with a timeout.
  auto topology = load_ok(lab("\n          tcp: 4000\n          address: 10.0.0.2\n"
                              "          timeout: 2s"));
  CHECK(topology.namespaces.at("a").services.at("web").ready.address == ip("10.0.0.2"));
}

TEST_CASE("the host's services may name any address: the host has more than it declares") {
  auto topology = load_ok(
      "version: 1\nname: x\nhost:\n  services:\n    web:\n      command: [sleep, \"1\"]\n"
      "      ready: {tcp: 4000, address: 192.0.2.7}\n");
  CHECK(topology.host.services.at("web").ready.targets ==
        std::vector<model::IpAddress>{ip("192.0.2.7")});
}

TEST_CASE("an address with a prefix length is refused, with the address to write") {
  CHECK(report(lab("{tcp: 4000, address: 10.0.0.2/24}")) ==
        "t.yaml:11:37: error: ready address '10.0.0.2/24' of service 'web' of namespace 'a' "
        "must be an address without a prefix length\n"
        "   11 |         ready: {tcp: 4000, address: 10.0.0.2/24}\n"
        "      |                                     ^\n"
        "hint: write '10.0.0.2'\n");
}

TEST_CASE("what is no address, or cannot be connected to, is refused naming the service") {
  CHECK(report(lab("{tcp: 4000, address: localhost}")).starts_with(
      "t.yaml:11:37: error: invalid ready address 'localhost' of service 'web' of namespace "
      "'a': expected an IPv4 or IPv6 address\n"));
  CHECK(report(lab("{tcp: 4000, address: 0.0.0.0}")).starts_with(
      "t.yaml:11:37: error: ready address '0.0.0.0' of service 'web' of namespace 'a' is the "
      "unspecified address; the probe connects to one address the service listens on\n"));
  CHECK(report(lab("{tcp: 4000, address: \"ff02::1\"}")).find("is a multicast address") !=
        std::string::npos);
  CHECK(report(lab("{tcp: 4000, address: \"fe80::2\"}")).starts_with(
      "t.yaml:11:37: error: ready address 'fe80::2' of service 'web' of namespace 'a' is "
      "link-local, which a connect cannot reach without naming an interface\n"));
  CHECK(report(lab("{tcp: 4000, address: [10.0.0.2]}")).find("error:") != std::string::npos);
}

TEST_CASE("an address of another namespace is refused, listing the namespace's own") {
  CHECK(report(lab("{tcp: 4000, address: 10.0.0.3}")) ==
        "t.yaml:11:37: error: ready address 10.0.0.3 of service 'web' of namespace 'a' is not "
        "an address of that namespace\n"
        "   11 |         ready: {tcp: 4000, address: 10.0.0.3}\n"
        "      |                                     ^\n"
        "hint: its addresses: 10.0.0.2, fd00::2, 10.1.0.2; or a loopback address\n");
  CHECK(report("version: 1\nname: x\nnamespaces:\n  a:\n    services:\n      web:\n"
               "        command: [sleep, \"1\"]\n        ready: {tcp: 4000, address: 10.0.0.3}\n")
            .find("hint: it declares no address: give a loopback address, or add the address to "
                  "one of its interfaces") != std::string::npos);
}

TEST_CASE("'address' belongs to a tcp probe") {
  CHECK(report(lab("{exec: [\"true\"], address: 10.0.0.2}")).starts_with(
      "t.yaml:11:33: error: 'address' in 'ready' of service 'web' of namespace 'a' belongs to "
      "a tcp probe\n"));
}

TEST_CASE("the probe's address is no part of the spec hash: changing it restarts nothing") {
  auto plain = load_ok(lab("{tcp: 4000}")).namespaces.at("a").services.at("web");
  auto with_address =
      load_ok(lab("{tcp: 4000, address: 10.0.0.2}")).namespaces.at("a").services.at("web");
  CHECK(plain.spec_hash() == with_address.spec_hash());
}
