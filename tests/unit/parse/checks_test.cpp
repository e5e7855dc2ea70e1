// `checks:`: each kind read into the model, the derived names, and each way a check can be wrong.
#include <doctest/doctest.h>

#include "parse/check_values.h"
#include "parse/load.h"

using namespace nstopo;

namespace {

// Two namespaces on a veth pair (dual-stack on a, v4 on b), host on a bridge, then `checks`.
std::string lab(std::string_view checks) {
  return fmt::format(
      "version: 1\nname: x\n"
      "namespaces:\n"
      "  ns_a:\n    interfaces:\n      eth0: {{addresses: [10.0.0.2/24, \"fd00::2/64\"]}}\n"
      "  ns_b:\n    interfaces:\n      eth0: {{addresses: [10.0.0.3/24]}}\n"
      "links:\n  - endpoints: [ns_a:eth0, ns_b:eth0]\n"
      "checks:\n{}",
      checks);
}

std::vector<model::Check> load_checks(std::string_view checks) {
  auto result = parse::load_topology_text(lab(checks), "t.yaml");
  std::string diagnostics;
  for (const auto& d : result.diagnostics) diagnostics += parse::format_diagnostic(d);
  INFO(diagnostics);
  REQUIRE(result.ok());
  return result.topology->checks;
}

std::string report(std::string_view checks) {
  auto result = parse::load_topology_text(lab(checks), "t.yaml");
  std::string out;
  for (const auto& d : result.diagnostics) out += parse::format_diagnostic(d);
  return out;
}

model::IpAddress ip(std::string_view text) { return *model::IpAddress::parse(text); }

}  // namespace

TEST_CASE("every kind is read with its settings and the common ones") {
  auto checks = load_checks(
      "  - ping: {from: ns_a, to: 10.0.0.3, count: 3}\n"
      "    expect: fail\n    retries: 2\n    timeout: 500ms\n"
      "  - tcp: {from: host, to: \"fd00::2\", port: 22}\n"
      "  - name: web\n    http: {from: ns_b, url: \"http://10.0.0.2:4000/x?y\", status: 404, "
      "contains: Not}\n"
      "  - exec: {in: ns_a, command: [/bin/cat, /etc/hostname], exit: 1, stdout_contains: a}\n"
      "  - route: {in: ns_a, to: 10.0.0.3, dev: eth0, timeout: 1s}\n");
  REQUIRE(checks.size() == 5);

  const auto& ping = std::get<model::PingCheck>(checks[0].probe);
  CHECK(ping.from == "ns_a");
  CHECK(ping.targets == std::vector{ip("10.0.0.3")});
  CHECK(ping.count == 3);
  CHECK(checks[0].expect == model::CheckExpectation::fail);
  CHECK(checks[0].retries == 2);
  CHECK(checks[0].timeout == std::chrono::milliseconds(500));
  CHECK(checks[0].name == "ping-ns_a-10.0.0.3");
  CHECK(checks[0].line == 13);

  const auto& tcp = std::get<model::TcpCheck>(checks[1].probe);
  CHECK(tcp.to == ip("fd00::2"));
  CHECK(tcp.port == 22);
  CHECK(checks[1].ns() == "host");
  CHECK(checks[1].expect == model::CheckExpectation::succeed);
  CHECK(checks[1].timeout == std::chrono::milliseconds(2000));

  const auto& http = std::get<model::HttpCheck>(checks[2].probe);
  CHECK(checks[2].name == "web");
  CHECK(http.host == ip("10.0.0.2"));
  CHECK(http.port == 4000);
  CHECK(http.path == "/x?y");
  CHECK(http.status == 404);
  CHECK(http.contains == "Not");

  const auto& exec = std::get<model::ExecCheck>(checks[3].probe);
  CHECK(exec.command == std::vector<std::string>{"/bin/cat", "/etc/hostname"});
  CHECK(exec.exit == 1);
  CHECK(exec.stdout_contains == "a");
  CHECK(checks[3].name == "exec-ns_a-cat");

  const auto& route = std::get<model::RouteCheck>(checks[4].probe);
  CHECK(route.dev == "eth0");
  CHECK_FALSE(route.via);
  CHECK(checks[4].timeout == std::chrono::seconds(1));
}

TEST_CASE("a ping to NS:IF pings every declared address of that interface") {
  auto checks = load_checks("  - ping: {from: ns_b, to: \"ns_a:eth0\"}\n");
  const auto& ping = std::get<model::PingCheck>(checks.at(0).probe);
  CHECK(ping.targets == std::vector{ip("10.0.0.2"), ip("fd00::2")});
  CHECK(checks[0].name == "ping-ns_b-ns_a:eth0");
}

TEST_CASE("derived names are made unique; given names are kept") {
  auto checks = load_checks(
      "  - ping: {from: ns_a, to: 10.0.0.3}\n"
      "  - ping: {from: ns_a, to: 10.0.0.3}\n"
      "  - name: ping-ns_a-10.0.0.3-3\n    ping: {from: ns_a, to: 10.0.0.3}\n"
      "  - ping: {from: ns_a, to: 10.0.0.3}\n");
  std::vector<std::string> names;
  for (const auto& check : checks) names.push_back(check.name);
  CHECK(names == std::vector<std::string>{"ping-ns_a-10.0.0.3", "ping-ns_a-10.0.0.3-2",
                                          "ping-ns_a-10.0.0.3-3", "ping-ns_a-10.0.0.3-4"});
}

TEST_CASE("an unknown namespace is reported at its position with a suggestion") {
  auto out = report("  - ping: {from: ns_c, to: 10.0.0.3}\n  - tcp: {from: hots, to: 10.0.0.3, port: 1}\n");
  CHECK(out.find("t.yaml:13:18: error: the ping check at line 13 names unknown namespace 'ns_c'") !=
        std::string::npos);
  CHECK(out.find("did you mean 'ns_a' or 'ns_b'?") != std::string::npos);
  CHECK(out.find("names unknown namespace 'hots'") != std::string::npos);
  CHECK(out.find("did you mean 'host'?") != std::string::npos);
}

TEST_CASE("a ping to an interface that does not exist or has no address") {
  auto out = report("  - ping: {from: ns_a, to: \"ns_b:eth1\"}\n");
  CHECK(out.find("names interface 'eth1', which namespace 'ns_b' does not have") !=
        std::string::npos);
  CHECK(out.find("did you mean 'eth0'?") != std::string::npos);
}

TEST_CASE("bad addresses, urls, keys and values are each reported") {
  CHECK(report("  - ping: {from: ns_a, to: 10.0.0.300}\n")
            .find("invalid address '10.0.0.300' in 'to' of a ping check") != std::string::npos);
  CHECK(report("  - tcp: {from: ns_a, to: 10.0.0.3/24, port: 1}\n")
            .find("must be an address without a prefix length") != std::string::npos);
  CHECK(report("  - tcp: {from: ns_a, to: 10.0.0.3, port: 70000}\n").find("out of range") !=
        std::string::npos);
  CHECK(report("  - http: {from: ns_a, url: \"https://10.0.0.3/\"}\n")
            .find("must start with http://") != std::string::npos);
  CHECK(report("  - http: {from: ns_a, url: \"http://web.lab/\"}\n")
            .find("by address or by a node of the lab ('web.lab' is neither)") != std::string::npos);
  CHECK(report("  - ping: {form: ns_a, to: 10.0.0.3}\n")
            .find("unknown key 'form' in a ping check") != std::string::npos);
  CHECK(report("  - pign: {from: ns_a, to: 10.0.0.3}\n").find("did you mean 'ping'?") !=
        std::string::npos);
  CHECK(report("  - ping: {from: ns_a, to: 10.0.0.3}\n    expect: failure\n")
            .find("expect 'failure' must be 'succeed' or 'fail'") != std::string::npos);
  CHECK(report("  - ping: {from: ns_a, to: 10.0.0.3}\n    tcp: {from: ns_a, to: 10.0.0.3, port: 1}\n")
            .find("a check has one kind") != std::string::npos);
  CHECK(report("  - route: {in: ns_a, to: 10.0.0.3}\n").find("needs 'via: GATEWAY' or 'dev") !=
        std::string::npos);
  CHECK(report("  - route: {in: ns_a, to: 10.0.0.3, dev: eth9}\n")
            .find("names interface 'eth9'") != std::string::npos);
  CHECK(report("  - exec: {in: ns_a, command: \"cat /x\"}\n").find("nstopo runs no shell") !=
        std::string::npos);
  CHECK(report("  - name: a\n    ping: {from: ns_a, to: 10.0.0.3}\n  - name: a\n    ping: {from: "
               "ns_a, to: 10.0.0.2}\n")
            .find("check name 'a' is given twice (first at line 13)") != std::string::npos);
  CHECK(report("  - ping: {from: ns_a, to: 10.0.0.3, timeout: 1s}\n    timeout: 2s\n")
            .find("gives 'timeout' twice") != std::string::npos);
}

TEST_CASE("http urls: address literals, ports, paths") {
  auto url = parse::parse_http_url("http://[fd00::1]:8080/a/b");
  REQUIRE(url);
  CHECK(url->host == ip("fd00::1"));
  CHECK(url->port == 8080);
  CHECK(url->path == "/a/b");
  auto plain = parse::parse_http_url("http://10.0.0.1");
  REQUIRE(plain);
  CHECK(plain->port == 80);
  CHECK(plain->path == "/");
  CHECK_FALSE(parse::parse_http_url("http://fd00::1/"));
  CHECK_FALSE(parse::parse_http_url("http://10.0.0.1:0/"));
  CHECK_FALSE(parse::parse_http_url("http://10.0.0.1:/"));
  CHECK_FALSE(parse::parse_http_url("http://[fd00::1/"));
  CHECK_FALSE(parse::parse_http_url("http://10.0.0.1/a b"));
}
