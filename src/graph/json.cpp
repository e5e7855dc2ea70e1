// Graph -> one JSON document. Every object is named {kind, namespace, name} as in every other
// document (a namespace names itself; a bridge or veth end is a "link" with its link_kind);
// with live states each carries "state" and, when it has one, "detail" (how it drifted, the
// conflict's message).
#include <nlohmann/json.hpp>

#include "graph/formats.h"

namespace nstopo::graph {

namespace {

using nlohmann::ordered_json;

void put_state(ordered_json& j, const Mark& mark, bool live) {
  if (!live) return;
  j["state"] = to_string(mark.state);
  if (!mark.why.empty()) j["detail"] = mark.why;
}

ordered_json item_json(const Item& item, bool live) {
  ordered_json j{{"kind", model::to_string(item.key.kind)},
                 {"namespace", item.key.ns},
                 {"name", item.key.name},
                 {"text", item.text}};
  put_state(j, item.mark, live);
  return j;
}

ordered_json node_json(const Node& n, bool live) {
  ordered_json j;
  if (n.kind == NodeKind::bridge) {
    j = {{"kind", "link"}, {"namespace", n.ns}, {"name", n.name}, {"link_kind", "bridge"}};
  } else {
    j = {{"kind", "namespace"}, {"namespace", n.name}, {"name", n.name}};
    j["host"] = n.kind == NodeKind::host;
  }
  j["id"] = n.id;
  put_state(j, n.mark, live);
  ordered_json items = ordered_json::array();
  for (auto& item : n.items) items.push_back(item_json(item, live));
  j[n.kind == NodeKind::bridge ? "addresses" : "items"] = std::move(items);
  return j;
}

ordered_json end_json(const Graph& g, const End& e) {
  ordered_json j{{"node", g.nodes[e.node].id}};
  if (e.ifname.empty()) return j;  // a bridge's namespace: no interface of its own
  bool is_bridge = g.nodes[e.node].kind == NodeKind::bridge && g.nodes[e.node].name == e.ifname;
  j["interface"] = {{"kind", "link"},
                    {"namespace", e.ns},
                    {"name", e.ifname},
                    {"link_kind", is_bridge ? "bridge" : "veth"}};
  put_state(j["interface"], e.mark, g.live);
  ordered_json addresses = ordered_json::array();
  for (auto& a : e.addresses) addresses.push_back(item_json(a, g.live));
  j["addresses"] = std::move(addresses);
  return j;
}

}  // namespace

std::string render_json(const Graph& g) {
  ordered_json doc{{"schema_version", 1}, {"command", "graph"}, {"lab", g.lab},
                   {"file", g.file},      {"live", g.live}};
  doc["nodes"] = ordered_json::array();
  for (auto& n : g.nodes) doc["nodes"].push_back(node_json(n, g.live));
  doc["edges"] = ordered_json::array();
  for (auto& e : g.edges) {
    ordered_json j{{"kind", e.kind == EdgeKind::veth ? "veth" : "bridge_in"},
                   {"ends", {end_json(g, e.a), end_json(g, e.b)}}};
    if (g.live) j["state"] = to_string(e.worst());
    doc["edges"].push_back(std::move(j));
  }
  return doc.dump(2) + "\n";
}

}  // namespace nstopo::graph
