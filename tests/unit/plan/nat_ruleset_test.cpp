// The NAT table's text (plan/nat_ruleset.h): the form nft lists, so that the planner's
// comparison with the live table holds.
#include <doctest/doctest.h>

#include "parse/load.h"
#include "plan/nat_ruleset.h"

using namespace nstopo;

namespace {

model::Topology lab(const char* text) {
  auto loaded = parse::load_topology_text(text, "lab.yaml");
  REQUIRE(loaded.ok());
  return *loaded.topology;
}

constexpr const char* kTwoNetworks = R"(version: 1
name: nat
host:
  interfaces:
    h0: {addresses: [10.0.0.1/24]}
    h1: {addresses: [10.0.1.1/30]}
namespaces:
  a:
    interfaces:
      e0: {addresses: [10.0.0.2/24]}
    nat: {out: true}
  b:
    interfaces:
      e0: {addresses: [10.0.1.2/30]}
links:
  - endpoints: [host:h0, a:e0]
  - endpoints: [host:h1, b:e0]
)";

}  // namespace

TEST_CASE("no NAT declared, no table") {
  CHECK_FALSE(plan::nat_ruleset(lab(R"(version: 1
name: plain
namespaces:
  a: {}
)")));
}

TEST_CASE("adjacent lab networks are a rule each: the kernel would merge them in one set") {
  // 10.0.0.0/24 and 10.0.1.0/30 touch: as one set nft would list them as the range
  // 10.0.0.0-10.0.1.3, and the table would never compare equal to the file's.
  auto text = plan::nat_ruleset(lab(kTwoNetworks));
  REQUIRE(text);
  CHECK(text->find("\t\tip saddr 10.0.0.2 ip daddr 10.0.0.0/24 accept\n"
                   "\t\tip saddr 10.0.0.2 ip daddr 10.0.1.0/30 accept\n"
                   "\t\tip saddr 10.0.0.2 masquerade\n") != std::string::npos);
  CHECK(text->find("{ ") == std::string::npos);  // no set of networks
}

TEST_CASE("same_ruleset ignores only white space") {
  CHECK(plan::same_ruleset("table inet t {\n\tchain c {\n\t}\n}\n", "table inet t {\n\n  chain c {\n  }\n}"));
  CHECK_FALSE(plan::same_ruleset("ip saddr 10.0.0.2 masquerade", "ip saddr 10.0.0.3 masquerade"));
}
