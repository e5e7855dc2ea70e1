// A large lab (issue 5 wants 1000 namespaces) loads, with every link end in place.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "parse/load.h"

using namespace nstopo;

namespace {

// N namespaces on a host bridge, each with an address, a default route and a service.
std::string bridged_lab(int namespaces) {
  std::string text =
      "version: 1\nname: scale\nhost:\n  interfaces:\n    br0:\n      kind: bridge\n"
      "      addresses: [10.128.0.1/16]\n";
  for (int i = 0; i < namespaces; ++i) text += fmt::format("    h{}: {{master: br0}}\n", i);
  text += "namespaces:\n";
  for (int i = 0; i < namespaces; ++i)
    text += fmt::format(
        "  ns{0}:\n    interfaces:\n      eth0: {{addresses: [10.128.{1}.{2}/16]}}\n"
        "    routes:\n      - {{to: default, via: 10.128.0.1}}\n"
        "    services:\n      web: {{command: [sleep, infinity], ready: {{tcp: 80}}}}\n",
        i, 1 + i / 250, 1 + i % 250);
  text += "links:\n";
  for (int i = 0; i < namespaces; ++i)
    text += fmt::format("  - endpoints: [host:h{0}, ns{0}:eth0]\n", i);
  return text;
}

}  // namespace

TEST_CASE("1000 namespaces on one bridge load") {
  auto result = parse::load_topology_text(bridged_lab(1000), "scale.yaml");
  REQUIRE(result.ok());
  const auto& topology = *result.topology;
  CHECK(topology.namespaces.size() == 1000);
  CHECK(topology.links.size() == 1000);
  CHECK(topology.host.interfaces.size() == 1001);
  CHECK(topology.host.interfaces.at("h999").peer == model::Endpoint{"ns999", "eth0"});
  CHECK(topology.namespaces.at("ns999").interfaces.at("eth0").addresses[0].to_string() ==
        "10.128.4.250/16");
}

TEST_CASE("a bridge takes at most 1023 ports: the 1024th is refused where it is declared") {
  CHECK(parse::load_topology_text(bridged_lab(1023), "scale.yaml").ok());
  auto result = parse::load_topology_text(bridged_lab(1024), "scale.yaml");
  REQUIRE(result.diagnostics.size() == 1);
  const auto& d = result.diagnostics.front();
  CHECK(d.message.find("bridge 'br0' of 'host' would get more than 1023 ports with 'h1023'") !=
        std::string::npos);
  CHECK(d.line == 8 + 1023);  // h0 is on line 8
}
