// Templates in topology files: defaults merged into entries, ranges expanded before every
// check, and errors that name the instance that failed at the template's position.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "parse/load.h"

using namespace nstopo;
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

std::vector<parse::Diagnostic> errors(std::string_view text) {
  auto result = load_topology_text(text, "t.yaml");
  CHECK_FALSE(result.ok());
  return result.diagnostics;
}

std::string address(const model::Topology& t, const std::string& ns, const std::string& ifname) {
  return t.namespaces.at(ns).interfaces.at(ifname).addresses.at(0).to_string();
}

}  // namespace

TEST_CASE("a namespace range expands to one namespace per number, with {i} in its values") {
  auto t = load_ok(R"(version: 1
name: t
namespaces:
  node[1-200]:
    interfaces:
      eth0: {kind: bridge, addresses: ["10.0.{i//250}.{i%250+1}/16"], mtu: "{1000+i}"}
    routes:
      - {to: "10.{i}.0.0/16", via: 10.0.0.1}
    sysctls: {net.ipv4.conf.all.forwarding: "{i%2}"}
)");
  REQUIRE(t.namespaces.size() == 200);
  CHECK_FALSE(t.namespaces.contains("node0"));
  CHECK_FALSE(t.namespaces.contains("node201"));
  CHECK(address(t, "node1", "eth0") == "10.0.0.2/16");
  CHECK(address(t, "node200", "eth0") == "10.0.0.201/16");
  // A quoted placeholder is typed by its value: the mtu is a number.
  CHECK(t.namespaces.at("node17").interfaces.at("eth0").mtu == 1017u);
  CHECK(t.namespaces.at("node17").routes.at(0).to.to_string() == "10.17.0.0/16");
  CHECK(t.namespaces.at("node17").sysctls.at("net.ipv4.conf.all.forwarding") == "1");
}

TEST_CASE("zero-padded ranges, interface ranges and link ranges make a star") {
  auto t = load_ok(R"(version: 1
name: t
host:
  interfaces:
    br0: {kind: bridge, addresses: [10.1.0.1/16]}
    s[0001-0300]: {master: br0}
namespaces:
  n[0001-0300]:
    interfaces:
      eth0: {addresses: ["10.1.{(i+1)//256}.{(i+1)%256}/16"]}
links:
  - range: 1-300
    endpoints: ["host:s{i:04}", "n{i:04}:eth0"]
    mtu: 1400
)");
  CHECK(t.namespaces.size() == 300);
  CHECK(t.namespaces.contains("n0001"));
  CHECK(t.namespaces.contains("n0300"));
  CHECK(t.links.size() == 300);
  CHECK(t.host.interfaces.at("s0255").master == "br0");
  CHECK(t.host.interfaces.at("s0255").peer == model::Endpoint{"n0255", "eth0"});
  CHECK(address(t, "n0255", "eth0") == "10.1.1.0/16");
}

TEST_CASE("defaults: maps merge key by key, lists and scalars replace, the entry wins") {
  auto t = load_ok(R"(version: 1
name: t
defaults:
  namespace:
    routes: [{to: default, via: 10.2.0.1}]
    sysctls: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1}
    interfaces:
      eth0: {mtu: 1400}
  interface:
    mtu: 9000
    up: true
host:
  interfaces:
    h1: {}
namespaces:
  plain:
    interfaces:
      eth0: {kind: bridge, addresses: [10.2.0.2/16]}
      eth1:
  own:
    interfaces:
      eth0: {kind: bridge, addresses: [10.2.0.3/16], mtu: 1300}
    routes: [{to: default, via: 10.2.0.9}]
    sysctls: {net.ipv4.ip_forward: 0}
  r[1-2]:
    interfaces:
      eth0: {kind: bridge, addresses: ["10.2.1.{i}/16"]}
links:
  - endpoints: [host:h1, plain:eth1]
)");
  const auto& plain = t.namespaces.at("plain");
  REQUIRE(plain.routes.size() == 1);
  CHECK(plain.routes[0].via->to_string() == "10.2.0.1");
  CHECK(plain.sysctls.at("net.ipv4.ip_forward") == "1");
  CHECK(plain.sysctls.at("net.ipv6.conf.all.forwarding") == "1");
  // defaults.namespace's eth0 mtu (merged into the entry's eth0) beats defaults.interface.
  CHECK(plain.interfaces.at("eth0").mtu == 1400u);
  CHECK(plain.interfaces.at("eth1").mtu == 9000u);  // an empty entry takes the defaults
  const auto& own = t.namespaces.at("own");
  REQUIRE(own.routes.size() == 1);  // a list replaces the default list whole
  CHECK(own.routes[0].via->to_string() == "10.2.0.9");
  CHECK(own.sysctls.at("net.ipv4.ip_forward") == "0");            // the entry's value wins
  CHECK(own.sysctls.at("net.ipv6.conf.all.forwarding") == "1");  // the rest of the map merges
  CHECK(own.interfaces.at("eth0").mtu == 1300u);
  CHECK(t.namespaces.at("r2").routes.size() == 1);  // range instances get the defaults too
  CHECK(t.namespaces.at("r2").interfaces.at("eth0").mtu == 1400u);
  CHECK_FALSE(t.host.interfaces.at("h1").mtu.has_value());  // the host gets none
  CHECK(t.host.sysctls.empty());
}

TEST_CASE("an error in one instance points at the template and names the instance") {
  auto d = errors(R"(version: 1
name: t
namespaces:
  node[1-20]:
    interfaces:
      eth0: {kind: bridge, addresses: ["10.3.{(i - 17) // (i - 17)}.1/24"]}
)");
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 6);
  CHECK(d[0].column == 40);
  CHECK(d[0].message ==
        "in instance node17 of node[1-20]: expression '(i - 17) // (i - 17)' divides by zero "
        "(// 0 with i = 17)");
}

TEST_CASE("the same mistake in every instance is one message that counts them") {
  auto d = errors(R"(version: 1
name: t
namespaces:
  n[01-20]:
    interfaces:
      eth0: {kind: bridge, addresses: ["10.4.0.{j}/24"]}
)");
  REQUIRE(d.size() == 1);  // the address left unexpanded is not reported again
  CHECK(d[0].line == 6);
  CHECK(d[0].message ==
        "in instance n01 of n[01-20] (and 19 more instances): expression 'j' uses unknown "
        "variable 'j'");
  CHECK(d[0].hint == "a range defines one variable, 'i' (the instance's number)");
}

TEST_CASE("checks after expansion see the instances: two instances of one name") {
  auto d = errors(R"(version: 1
name: t
namespaces:
  n2: {}
  n[1-3]: {}
)");
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 5);
  CHECK(d[0].message ==
        "in instance n2 of n[1-3]: namespace 'n2' is declared twice (first at line 4)");
}

TEST_CASE("a refused range is one message: links naming its namespaces are not reported") {
  auto d = errors(R"(version: 1
name: t
namespaces:
  n[10-1]: {}
  m1: {}
links:
  - endpoints: [m1:eth0, n5:eth0]
)");
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 4);
  CHECK(d[0].column == 3);
  CHECK(d[0].message == "bad range in 'n[10-1]': range '10-1' is reversed: 10 is more than 1");
  CHECK(d[0].hint == "write 1-10");
}

TEST_CASE("range errors: empty, too large, bad syntax, a link's range") {
  auto empty = errors("version: 1\nname: t\nnamespaces:\n  n[]: {}\n");
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].message == "bad range in 'n[]': range is empty");
  auto large = errors("version: 1\nname: t\nnamespaces:\n  n[1-200000]: {}\n");
  REQUIRE(large.size() == 1);
  CHECK(large[0].message ==
        "bad range in 'n[1-200000]': range '1-200000' has 200000 instances; nstopo expands at "
        "most 100000");
  auto link = errors(R"(version: 1
name: t
namespaces:
  a: {}
links:
  - range: [5]
    endpoints: ["a:x{i}", "a:y{i}"]
  - range: {from: 1}
    endpoints: ["a:x{i}", "a:y{i}"]
)");
  REQUIRE(link.size() == 2);
  CHECK(link[0].line == 6);
  CHECK(link[0].message == "range '5' has no '-' between its first and last number");
  CHECK(link[1].line == 8);
  CHECK(link[1].message == "a link's 'range' must be FIRST-LAST, not a map");
}

TEST_CASE("ranges do not nest; the nested range is refused where it is written") {
  auto d = errors(R"(version: 1
name: t
namespaces:
  n[1-3]:
    interfaces:
      eth[1-2]: {}
)");
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 6);
  CHECK(d[0].message ==
        "interface range 'eth[1-2]' is inside namespace range 'n[1-3]'; ranges do not nest");
}

TEST_CASE("a mistake in the defaults is reported once, where the defaults say it") {
  auto d = errors(R"(version: 1
name: t
defaults:
  namespace:
    rotues: []
  interface:
    mtu: 10
  intreface: {}
namespaces:
  n[1-50]: {}
  m: {}
)");
  REQUIRE(d.size() == 3);
  CHECK(d[0].line == 5);
  CHECK(d[0].message == "unknown key 'rotues' in 'defaults.namespace'");
  CHECK(d[1].line == 7);
  CHECK(d[1].message.find("mtu 10 is out of range") != std::string::npos);
  CHECK(d[2].line == 8);
  CHECK(d[2].message == "unknown key 'intreface' in 'defaults'");
}

TEST_CASE("placeholders are read only in range instances; {{ and }} are literal braces") {
  auto t = load_ok(R"(version: 1
name: t
namespaces:
  plain:
    services:
      w: {command: [awk, "{print}"]}
  r[1-2]:
    services:
      w: {command: [awk, "{{print {i}}}"]}
)");
  CHECK(t.namespaces.at("plain").services.at("w").command.at(1) == "{print}");
  CHECK(t.namespaces.at("r2").services.at("w").command.at(1) == "{print 2}");
}

TEST_CASE("expansion has a budget: ranges cannot make the reader run out of memory") {
  std::string text = "version: 1\nname: t\nnamespaces:\n  n[1-100000]:\n    sysctls:\n";
  for (int k = 0; k < 12; ++k) text += fmt::format("      net.ipv4.k{}: 1\n", k);
  auto result = load_topology_text(text, "t.yaml");
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].message.starts_with("range 'n[1-100000]' would make 2800000 more "
                                                  "YAML nodes"));
}
