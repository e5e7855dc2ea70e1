// Topology (+ status entries) -> Graph: which node each interface is drawn in and what state
// each object has. The keys are made the way plan::status makes them, so an entry is found
// by identity, never by its text.
#include <fmt/format.h>

#include <map>

#include "graph/graph.h"
#include "model/address_ops.h"
#include "model/route_ops.h"
#include "plan/route_spec.h"

namespace nstopo::graph {

std::string_view to_string(State state) {
  switch (state) {
    case State::plain: return "plain";
    case State::present: return "present";
    case State::missing: return "missing";
    case State::drifted: return "drifted";
    case State::conflict: return "conflict";
  }
  return "?";
}

std::string_view to_string(NodeKind kind) {
  switch (kind) {
    case NodeKind::host: return "host";
    case NodeKind::namespace_: return "namespace";
    case NodeKind::bridge: return "bridge";
  }
  return "?";
}

namespace {

int severity(State s) {
  switch (s) {
    case State::plain: return 0;
    case State::present: return 1;
    case State::drifted: return 2;
    case State::missing: return 3;
    case State::conflict: return 4;
  }
  return 0;
}

}  // namespace

State worse(State a, State b) { return severity(a) >= severity(b) ? a : b; }

State Node::worst() const {
  State s = mark.state;
  for (auto& item : items) s = worse(s, item.mark.state);
  return s;
}

State Edge::worst() const {
  State s = worse(a.mark.state, b.mark.state);
  for (auto& item : a.addresses) s = worse(s, item.mark.state);
  for (auto& item : b.addresses) s = worse(s, item.mark.state);
  return s;
}

std::string state_note(const Mark& mark) {
  switch (mark.state) {
    case State::plain:
    case State::present: return "";
    case State::missing: return "missing";
    case State::drifted:
    case State::conflict:
      return mark.why.empty() ? std::string(to_string(mark.state))
                              : fmt::format("{}: {}", to_string(mark.state), mark.why);
  }
  return "";
}

namespace {

using model::ObjectKey;
using model::ObjectKind;

class Builder {
 public:
  Builder(const model::Topology& topology,
          const std::optional<std::vector<plan::StatusEntry>>& live)
      : topology_(topology), live_(live.has_value()) {
    if (live)
      for (auto& e : *live) entries_[e.key] = &e;
  }

  Graph build() {
    Graph g{.lab = topology_.name, .file = topology_.file, .live = live_};
    // The host is drawn when the file declares something on it; a lab of namespaces alone
    // does not need it floating beside them.
    if (host_used()) add_namespace_node(g, topology_.host, NodeKind::host);
    for (auto& [name, ns] : topology_.namespaces) add_namespace_node(g, ns, NodeKind::namespace_);
    if (host_used()) add_bridges(g, topology_.host);
    for (auto& [name, ns] : topology_.namespaces) add_bridges(g, ns);
    for (auto& link : topology_.links) g.edges.push_back({EdgeKind::veth, end(link.a), end(link.b)});
    return g;
  }

 private:
  bool host_used() const {
    auto& h = topology_.host;
    return !h.interfaces.empty() || !h.routes.empty() || !h.sysctls.empty() || !h.services.empty();
  }

  Mark mark(const ObjectKey& key) const {
    if (!live_) return {};
    auto it = entries_.find(key);
    // The host is never created, and only declared objects have entries: what has none is there.
    if (it == entries_.end()) return {State::present, {}};
    auto* e = it->second;
    switch (e->state) {
      case plan::LiveState::present: return {State::present, {}};
      case plan::LiveState::missing: return {State::missing, {}};
      case plan::LiveState::drifted: return {State::drifted, e->detail};
      case plan::LiveState::conflict: return {State::conflict, e->detail};
    }
    return {};
  }

  std::vector<Item> addresses(const model::Namespace& ns, const model::Interface& itf) const {
    std::vector<Item> out;
    for (auto& prefix : itf.addresses) {
      auto key = model::AddAddress{ns.name, itf.name, prefix}.object_key();
      out.push_back({key, prefix.to_string(), mark(key)});
    }
    return out;
  }

  void add_namespace_node(Graph& g, const model::Namespace& ns, NodeKind kind) {
    Node node{.kind = kind, .ns = ns.name, .name = ns.name, .id = ns.name};
    if (kind == NodeKind::namespace_) node.mark = mark({ObjectKind::namespace_, ns.name, {}});
    else if (live_) node.mark = {State::present, {}};
    // An interface on no link and not a bridge (none today: every veth end is on a link) is
    // still shown, on its node, so that nothing declared is left out of the picture.
    for (auto& [name, itf] : ns.interfaces) {
      if (itf.kind == model::LinkKind::bridge || itf.peer || itf.master) continue;
      ObjectKey key{ObjectKind::link, ns.name, name};
      node.items.push_back({key, fmt::format("{} {}", model::to_string(itf.kind), name), mark(key)});
      for (auto& a : addresses(ns, itf)) node.items.push_back(a);
    }
    for (auto& route : ns.routes) {
      auto key = model::AddRoute{ns.name, plan::route_spec(route)}.object_key();
      node.items.push_back({key, "route " + route.to_string(), mark(key)});
    }
    for (auto& [key, value] : ns.sysctls) {
      ObjectKey k{ObjectKind::sysctl, ns.name, key};
      node.items.push_back({k, fmt::format("{} = {}", key, value), mark(k)});
    }
    for (auto& [name, service] : ns.services) {
      ObjectKey k{ObjectKind::service, ns.name, name};
      node.items.push_back({k, "service " + name, mark(k)});
    }
    index_[node.id] = g.nodes.size();
    g.nodes.push_back(std::move(node));
  }

  static std::string bridge_id(const std::string& ns, const std::string& name) {
    return ns + "/" + name;  // namespace and interface names have no '/'
  }

  void add_bridges(Graph& g, const model::Namespace& ns) {
    for (auto& [name, itf] : ns.interfaces) {
      if (itf.kind != model::LinkKind::bridge) continue;
      ObjectKey key{ObjectKind::link, ns.name, name};
      Node node{.kind = NodeKind::bridge, .ns = ns.name, .name = name,
                .id = bridge_id(ns.name, name), .mark = mark(key), .items = addresses(ns, itf)};
      size_t at = g.nodes.size();
      index_[node.id] = at;
      g.nodes.push_back(std::move(node));
      // The bridge is an interface of its namespace: drawn as a node of its own, tied to it.
      End in_ns{.node = index_.at(ns.name), .ns = ns.name};
      End bridge{.node = at, .ns = ns.name, .ifname = name, .mark = g.nodes[at].mark};
      if (live_) in_ns.mark = {State::present, {}};
      g.edges.push_back({EdgeKind::bridge_in, in_ns, bridge});
    }
  }

  // A link's end is drawn at its bridge when it is a port of one, else at its namespace.
  End end(const model::Endpoint& e) {
    const auto* ns = topology_.find_namespace(e.ns);
    End out{.node = index_.at(e.ns), .ns = e.ns, .ifname = e.ifname};
    out.mark = mark({ObjectKind::link, e.ns, e.ifname});
    if (!ns) return out;
    auto it = ns->interfaces.find(e.ifname);
    if (it == ns->interfaces.end()) return out;
    if (it->second.master) {
      auto bridge = index_.find(bridge_id(e.ns, *it->second.master));
      if (bridge != index_.end()) out.node = bridge->second;
    }
    out.addresses = addresses(*ns, it->second);
    return out;
  }

  const model::Topology& topology_;
  bool live_;
  std::map<ObjectKey, const plan::StatusEntry*> entries_;
  std::map<std::string, size_t> index_;
};

}  // namespace

Graph build(const model::Topology& topology,
            const std::optional<std::vector<plan::StatusEntry>>& live) {
  return Builder(topology, live).build();
}

}  // namespace nstopo::graph
