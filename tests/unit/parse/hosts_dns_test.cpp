// `hosts:` and a namespace's `dns:` (model/name_files.h), and checks that name a node.
#include <doctest/doctest.h>

#include "parse/load.h"

using namespace nstopo;

namespace {

std::string lab(std::string_view top, std::string_view ns_a_extra = "",
                std::string_view checks = "") {
  return fmt::format(
      "version: 1\nname: x\n{}"
      "namespaces:\n"
      "  ns_a:\n    interfaces:\n      eth0: {{addresses: [10.0.0.2/24, \"fd00::2/64\"]}}\n{}"
      "  ns_b:\n    interfaces:\n      eth1: {{addresses: [10.0.1.3/24]}}\n"
      "      eth0: {{addresses: [10.0.0.3/24]}}\n"
      "links:\n  - endpoints: [ns_a:eth0, ns_b:eth0]\n"
      "  - endpoints: [host:veth_b, ns_b:eth1]\n"
      "{}",
      top, ns_a_extra, checks.empty() ? "" : fmt::format("checks:\n{}", checks));
}

parse::LoadResult load(const std::string& text) { return parse::load_topology_text(text, "t.yaml"); }

std::string report(const std::string& text) {
  std::string out;
  for (const auto& d : load(text).diagnostics) out += parse::format_diagnostic(d);
  return out;
}

}  // namespace

TEST_CASE("hosts: and dns: are read into the model") {
  auto result = load(lab("hosts: {host: true}\n",
                         "    dns: {nameservers: [10.0.0.53, \"fd00::53\"], search: [x.lab, corp]}\n"));
  REQUIRE(result.ok());
  const auto& t = *result.topology;
  CHECK(t.hosts.declared);
  CHECK(t.hosts.host);
  CHECK(t.hosts.where.line == 3);
  const auto& dns = t.namespaces.at("ns_a").dns;
  REQUIRE(dns);
  CHECK(dns->nameservers.size() == 2);
  CHECK(dns->nameservers[1].to_string() == "fd00::53");
  CHECK(dns->search == std::vector<std::string>{"x.lab", "corp"});
  CHECK_FALSE(t.namespaces.at("ns_b").dns);
}

TEST_CASE("hosts: alone declares the namespaces' files, not the host's block") {
  auto result = load(lab("hosts:\n"));
  REQUIRE(result.ok());
  CHECK(result.topology->hosts.declared);
  CHECK_FALSE(result.topology->hosts.host);
  auto without = load(lab(""));
  REQUIRE(without.ok());
  CHECK_FALSE(without.topology->hosts.declared);
}

TEST_CASE("bad hosts: and dns: are reported with their position") {
  CHECK(report(lab("hosts: {hots: true}\n")).find("t.yaml:3:9: error: unknown key 'hots'") !=
        std::string::npos);
  CHECK(report(lab("hosts: {host: maybe}\n")).find("t.yaml:3:15:") != std::string::npos);
  auto bad_server = report(lab("", "    dns: {nameservers: [10.0.0.300]}\n"));
  CHECK(bad_server.find("t.yaml:7:25: error: nameserver '10.0.0.300' is not an IP address") !=
        std::string::npos);
  CHECK(bad_server.find("declares no nameserver") == std::string::npos);  // one mistake, one message
  CHECK(report(lab("", "    dns: {search: [\"a b\"]}\n"))
            .find("search domain 'a b' is not a domain name") != std::string::npos);
  CHECK(report(lab("", "    dns: {nameservers: [1.1.1.1, 1.0.0.1, 8.8.8.8, 8.8.4.4]}\n"))
            .find("has 4 nameservers; the resolver reads 3 at most") != std::string::npos);
  CHECK(report(lab("", "    dns: {}\n")).find("declares no nameserver and no search domain") !=
        std::string::npos);
  CHECK(report("version: 1\nname: x\nhost:\n  dns: {nameservers: [10.0.0.1]}\n")
            .find("t.yaml:4:3: error: 'dns' is for namespaces") != std::string::npos);
}

TEST_CASE("a check may name a node: its first address, interfaces by name") {
  auto result = load(lab("", "",
                         "  - ping: {from: ns_a, to: ns_b}\n"
                         "  - tcp: {from: ns_a, to: ns_b, port: 22}\n"
                         "  - http: {from: ns_b, url: \"http://ns_a:4000/x\"}\n"));
  std::string diagnostics;
  for (const auto& d : result.diagnostics) diagnostics += parse::format_diagnostic(d);
  INFO(diagnostics);
  REQUIRE(result.ok());
  const auto& checks = result.topology->checks;
  REQUIRE(checks.size() == 3);
  // ns_b's eth0 (10.0.0.3) sorts before its eth1 (10.0.1.3), whatever the file's order.
  CHECK(std::get<model::PingCheck>(checks[0].probe).targets ==
        std::vector{*model::IpAddress::parse("10.0.0.3")});
  CHECK(std::get<model::TcpCheck>(checks[1].probe).to.to_string() == "10.0.0.3");
  const auto& http = std::get<model::HttpCheck>(checks[2].probe);
  CHECK(http.host.to_string() == "10.0.0.2");
  CHECK(http.host_name == "ns_a");
  CHECK(http.port == 4000);
}

TEST_CASE("a check naming an unknown node, or one without an address, is refused") {
  auto unknown = report(lab("", "", "  - ping: {from: ns_a, to: ns_c}\n"));
  CHECK(unknown.find("t.yaml:15:28: error: the ping check at line 15's target names unknown "
                     "namespace 'ns_c'") != std::string::npos);
  CHECK(unknown.find("did you mean") != std::string::npos);
  auto bare = report(lab("", "", "  - tcp: {from: ns_a, to: host, port: 1}\n"));
  CHECK(bare.find("names node 'host', which declares no address") != std::string::npos);
}
