// The graph's renderings from parsed topologies (plain) and from the planner's status cases
// (live): what each format must say, not how it is laid out.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "graph/formats.h"
#include "graph/graph.h"
#include "parse/load.h"
#include "plan/status.h"
#include "support/observed_yaml.h"

using namespace nstopo;

namespace {

model::Topology topology_file(const std::string& name) {
  auto loaded = parse::load_topology_file(std::string(NSTOPO_SOURCE_DIR) + "/topologies/" + name);
  REQUIRE(loaded.ok());
  return std::move(*loaded.topology);
}

// A planner case (desired.yaml, observed.yaml) drawn with its live states.
graph::Graph live_case(const std::string& case_name) {
  auto dir = std::filesystem::path(NSTOPO_TESTS_DIR) / "unit/plan/cases" / case_name;
  auto loaded = parse::load_topology_file((dir / "desired.yaml").string());
  REQUIRE(loaded.ok());
  auto observed = testing::load_observed((dir / "observed.yaml").string(), *loaded.topology);
  return graph::build(*loaded.topology, plan::status(*loaded.topology, observed));
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

size_t count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the seed lab: the host and its namespace, one link with both interfaces, the service") {
  auto g = graph::build(topology_file("seed.yaml"), std::nullopt);
  REQUIRE(g.nodes.size() == 2);
  CHECK(g.nodes[0].kind == graph::NodeKind::host);
  CHECK(g.nodes[1].name == "ns_rifky");
  REQUIRE(g.edges.size() == 1);
  CHECK(g.edges[0].a.ifname == "veth_rifky");
  CHECK(g.edges[0].b.ifname == "veth_ns_rifky");

  auto dot = graph::render_dot(g);
  CHECK(contains(dot, "graph \"nstopo_seed\" {"));
  CHECK(contains(dot, "\"host\" [shape=box3d"));  // the host is drawn apart
  CHECK(contains(dot, "\"ns_rifky\" [shape=box"));
  CHECK(contains(dot, "service web"));
  CHECK(contains(dot, "\"host\" -- \"ns_rifky\" [label=<veth_rifky<br/>10.0.0.10/24<br/>&#8212;<br/>"
                      "veth_ns_rifky<br/>10.0.0.11/24>"));
  CHECK_FALSE(contains(dot, "#2e7d32"));  // plain: no state colours

  auto mermaid = graph::render_mermaid(g);
  CHECK(mermaid.starts_with("flowchart LR\n"));
  CHECK(contains(mermaid, "n0[[\"<b>host</b>\"]]"));
  CHECK(contains(mermaid, "n1(\"<b>ns_rifky</b><br/>service web\")"));
  CHECK(contains(mermaid, "n0 ---|\"veth_rifky 10.0.0.10/24 — veth_ns_rifky 10.0.0.11/24\"| n1"));
  CHECK_FALSE(contains(mermaid, "classDef"));
}

TEST_CASE("a bridge is a node of its own, and its ports' links end at it") {
  auto g = graph::build(topology_file("bridge-lan.yaml"), std::nullopt);
  auto dot = graph::render_dot(g);
  CHECK(contains(dot, "\"host/br0\" [shape=hexagon"));
  CHECK(contains(dot, "br0 (bridge in host)"));
  CHECK(contains(dot, "10.20.0.1/24"));
  CHECK(contains(dot, "\"host\" -- \"host/br0\" [color=\"#000000\", style=\"dotted\""));
  for (auto pc : {"pc_a", "pc_b", "pc_c", "pc_d"})
    CHECK(contains(dot, fmt::format("\"host/br0\" -- \"{}\"", pc)));
  CHECK_FALSE(contains(dot, "\"host\" -- \"pc_a\""));  // a port's link is drawn at the bridge
  auto mermaid = graph::render_mermaid(g);
  CHECK(contains(mermaid, "{{\"<b>br0 (bridge in host)</b><br/>10.20.0.1/24\"}}"));
  CHECK(count(mermaid, "---|") == 4);
  CHECK(count(mermaid, "-.-") == 1);
}

TEST_CASE("a lab with nothing on the host draws no host node") {
  auto g = graph::build(topology_file("routed-chain.yaml"), std::nullopt);
  REQUIRE(g.nodes.size() == 3);
  for (auto& n : g.nodes) CHECK(n.kind == graph::NodeKind::namespace_);
  auto dot = graph::render_dot(g);
  CHECK_FALSE(contains(dot, "\"host\""));
  CHECK(contains(dot, "net.ipv4.ip_forward = 1"));
  CHECK(contains(dot, "route 10.31.2.0/24 via 10.31.1.1"));
}

TEST_CASE("json: one document naming every object by kind, namespace and name") {
  auto doc = nlohmann::json::parse(graph::render_json(graph::build(topology_file("bridge-lan.yaml"), std::nullopt)));
  CHECK(doc["schema_version"] == 1);
  CHECK(doc["command"] == "graph");
  CHECK(doc["lab"] == "bridge-lan");
  CHECK(doc["live"] == false);
  REQUIRE(doc["nodes"].size() == 6);
  CHECK(doc["nodes"][0] == nlohmann::json::parse(
                               R"({"kind": "namespace", "namespace": "host", "name": "host", "host": true,
                                   "id": "host", "items": []})"));
  auto& bridge = doc["nodes"][5];
  CHECK(bridge["kind"] == "link");
  CHECK(bridge["link_kind"] == "bridge");
  CHECK(bridge["namespace"] == "host");
  CHECK(bridge["name"] == "br0");
  CHECK(bridge["addresses"][0]["text"] == "10.20.0.1/24");
  CHECK_FALSE(bridge.contains("state"));
  REQUIRE(doc["edges"].size() == 5);
  auto& port = doc["edges"][1];
  CHECK(port["kind"] == "veth");
  CHECK(port["ends"][0]["node"] == "host/br0");
  CHECK(port["ends"][0]["interface"] ==
        nlohmann::json::parse(R"({"kind": "link", "namespace": "host", "name": "lan_a", "link_kind": "veth"})"));
  CHECK(port["ends"][1]["interface"]["name"] == "eth0");
  CHECK(port["ends"][1]["addresses"][0]["kind"] == "address");
  CHECK(port["ends"][1]["addresses"][0]["text"] == "10.20.0.11/24");
}

TEST_CASE("live: a missing address is red, dashed and says so, and what is there is green") {
  auto g = live_case("address_missing");
  CHECK(g.live);
  auto& edge = g.edges.at(0);
  REQUIRE(edge.b.addresses.size() == 1);
  CHECK(edge.b.addresses[0].mark.state == graph::State::missing);
  CHECK(edge.b.mark.state == graph::State::present);
  CHECK(edge.worst() == graph::State::missing);

  auto dot = graph::render_dot(g);
  CHECK(contains(dot, "<font color=\"#c62828\">10.0.0.11/24 (missing)</font>"));
  CHECK(contains(dot, "<font color=\"#2e7d32\">10.0.0.10/24</font>"));
  CHECK(contains(dot, "color=\"#c62828\", style=\"dashed\"];"));  // the edge

  auto mermaid = graph::render_mermaid(g);
  CHECK(contains(mermaid, "10.0.0.11/24 (missing)"));
  CHECK(contains(mermaid, "linkStyle 0 stroke:#c62828,stroke-width:2px,stroke-dasharray:5 5"));
  CHECK(contains(mermaid, "class n1 present"));

  auto doc = nlohmann::json::parse(graph::render_json(g));
  CHECK(doc["live"] == true);
  CHECK(doc["edges"][0]["state"] == "missing");
  CHECK(doc["edges"][0]["ends"][1]["addresses"][0]["state"] == "missing");
  CHECK(doc["nodes"][1]["state"] == "present");
}

TEST_CASE("live: a drifted link says how, in every format") {
  auto g = live_case("link_down");
  auto dot = graph::render_dot(g);
  CHECK(contains(dot, "<font color=\"#ef6c00\">veth_ns_rifky (drifted: down, declared up)</font>"));
  auto mermaid = graph::render_mermaid(g);
  CHECK(contains(mermaid, "veth_ns_rifky (drifted: down, declared up)"));
  CHECK(contains(mermaid, "linkStyle 0 stroke:#ef6c00"));
  auto doc = nlohmann::json::parse(graph::render_json(g));
  auto& itf = doc["edges"][0]["ends"][1]["interface"];
  CHECK(itf["state"] == "drifted");
  CHECK(itf["detail"] == "down, declared up");
  auto html = graph::render_html(g, "<?xml version=\"1.0\"?>\n<svg><text>x</text></svg>\n");
  CHECK(contains(html, "<figure>\n<svg>"));
  CHECK_FALSE(contains(html, "<?xml"));
  CHECK(contains(html, "<td>interface ns_rifky:veth_ns_rifky</td><td>drifted</td><td>down, declared up</td>"));
}

TEST_CASE("live: a missing namespace and a conflict are marked on their nodes") {
  auto missing = live_case("namespace_missing");
  bool found = false;
  for (auto& n : missing.nodes)
    if (n.kind == graph::NodeKind::namespace_) {
      CHECK(n.mark.state == graph::State::missing);
      found = true;
    }
  CHECK(found);
  CHECK(contains(graph::render_dot(missing), "style=\"rounded,dashed\""));

  auto foreign = live_case("foreign_namespace");
  auto dot = graph::render_dot(foreign);
  CHECK(contains(dot, "#6a1b9a"));
  CHECK(contains(graph::render_json(foreign), "\"state\": \"conflict\""));
}

TEST_CASE("labels escape what the formats give a meaning") {
  model::Topology t;
  t.name = "esc";
  t.file = "esc.yaml";
  model::Namespace ns{.name = "ns_a"};
  ns.sysctls["net.x"] = "a<b>&\"c#";
  t.namespaces["ns_a"] = ns;
  auto g = graph::build(t, std::nullopt);
  auto dot = graph::render_dot(g);
  CHECK(contains(dot, "net.x = a&lt;b&gt;&amp;&quot;c#"));
  auto mermaid = graph::render_mermaid(g);
  CHECK(contains(mermaid, "net.x = a&lt;b&gt;&amp;#quot;c#35;"));
}

// The live mermaid of a few planner cases, kept byte-equal to tests/unit/graph/live/*.mmd so
// that tests/cli/graph_mermaid.sh gives exactly this text, with every state's styles, to
// mermaid itself. NSTOPO_UPDATE_GOLDEN=1 rewrites them.
TEST_CASE("live mermaid equals its golden files (which mermaid itself checks)") {
  for (auto name : {"address_missing", "link_down", "foreign_namespace", "namespace_missing"}) {
    CAPTURE(name);
    auto text = graph::render_mermaid(live_case(name));
    auto path = std::filesystem::path(NSTOPO_TESTS_DIR) / "unit/graph/live" / (std::string(name) + ".mmd");
    if (std::getenv("NSTOPO_UPDATE_GOLDEN")) {
      std::ofstream(path) << text;
      continue;
    }
    std::ifstream in(path);
    REQUIRE(in);
    std::string golden((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text == golden);
  }
}
