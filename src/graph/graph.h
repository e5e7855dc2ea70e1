#pragma once
// What `nstopo graph` draws, built once from the model (and, with --live, from the states
// `status` derives) so that every format (dot, mermaid, json, html) shows the same thing.
// Pure: nothing here touches the kernel; graphviz.h is the only part that runs a program.
#include <optional>
#include <string>
#include <vector>

#include "model/object_key.h"
#include "model/topology.h"
#include "plan/status.h"

namespace nstopo::graph {

// An object's state in the drawing. `plain`: drawn from the file alone (no live state).
enum class State { plain, present, missing, drifted, conflict };
std::string_view to_string(State state);

struct Mark {
  State state = State::plain;
  std::string why;  // drifted or conflict: how (the plan's reasons, the conflict's message)
};

// One line of a node or an edge's end: an address, a route, a sysctl, a service.
struct Item {
  model::ObjectKey key;
  std::string text;  // "10.0.0.11/24", "route default via 10.0.0.1", "service web"
  Mark mark;
};

enum class NodeKind { host, namespace_, bridge };
std::string_view to_string(NodeKind kind);

struct Node {
  NodeKind kind = NodeKind::namespace_;
  std::string ns;    // the namespace it is (host, namespace) or lives in (bridge)
  std::string name;  // the namespace's or the bridge's name
  std::string id;    // unique among the nodes: "ns_rifky", "host", "host/br0"
  Mark mark;         // the namespace's or bridge's own state (the host is never made)
  std::vector<Item> items;  // bridge: its addresses; namespace: routes, sysctls, services
  // The worst state among the node and its items (what a format that colours whole nodes shows).
  State worst() const;
};

// One end of an edge: an interface in a node.
struct End {
  size_t node = 0;      // index into Graph::nodes
  std::string ns;       // the interface's namespace
  std::string ifname;
  Mark mark;            // the interface's own state
  std::vector<Item> addresses;
};

enum class EdgeKind {
  veth,       // a declared link: one end in each node
  bridge_in,  // a bridge and the namespace it lives in (no interface pair: the bridge is its own)
};

struct Edge {
  EdgeKind kind = EdgeKind::veth;
  End a, b;
  // The worst state of both ends and their addresses.
  State worst() const;
};

struct Graph {
  std::string lab;
  std::string file;
  bool live = false;
  std::vector<Node> nodes;  // the host first, then namespaces, then bridges, each by name
  std::vector<Edge> edges;  // bridges' edges first, then the links in file order
};

// `live`: the entries of plan::status for `topology` (nullopt: drawn plain, from the file).
Graph build(const model::Topology& topology,
            const std::optional<std::vector<plan::StatusEntry>>& live);

// The worse of two states (plain < present < drifted < missing < conflict).
State worse(State a, State b);

// "drifted: down, declared up", "missing", "" for plain and present: what a text format adds
// after an object's name.
std::string state_note(const Mark& mark);

}  // namespace nstopo::graph
