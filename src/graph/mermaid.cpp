// Graph -> mermaid flowchart. Mermaid colours whole nodes and edges (classDef, linkStyle),
// not parts of a label, so a node takes the worst state among it and its items, and every
// object not present says its state in the text ("10.0.0.11/24 (missing)").
#include <fmt/format.h>

#include "graph/formats.h"

namespace nstopo::graph {

namespace {

// Text inside a quoted mermaid label: quotes and '#' are entity codes in mermaid
// ("#quot;", "#35;"), markup characters are HTML entities.
std::string label_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "#quot;"; break;
      case '#': out += "#35;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\n': out += "<br/>"; break;
      default: out += c;
    }
  }
  return out;
}

std::string with_note(const std::string& text, const Mark& mark) {
  auto note = state_note(mark);
  return label_text(note.empty() ? text : fmt::format("{} ({})", text, note));
}

// Node IDs are n0, n1...: namespace names may hold '.' and '-', which mermaid reads otherwise.
std::string id(size_t node) { return fmt::format("n{}", node); }

std::string node_text(const Node& n) {
  std::string text = "<b>" + label_text(n.kind == NodeKind::bridge
                                            ? fmt::format("{} (bridge in {})", n.name, n.ns)
                                            : n.name) + "</b>";
  if (auto note = state_note(n.mark); !note.empty()) text += "<br/>" + label_text(note);
  for (auto& item : n.items) text += "<br/>" + with_note(item.text, item.mark);
  return text;
}

std::string shaped(const Node& n, const std::string& text) {
  switch (n.kind) {
    case NodeKind::host: return "[[\"" + text + "\"]]";        // subroutine: the host stands out
    case NodeKind::namespace_: return "(\"" + text + "\")";    // rounded box
    case NodeKind::bridge: return "{{\"" + text + "\"}}";      // hexagon
  }
  return "[\"" + text + "\"]";
}

std::string end_text(const End& e) {
  std::string text = with_note(e.ifname, e.mark);
  for (auto& a : e.addresses) text += " " + with_note(a.text, a.mark);
  return text;
}

}  // namespace

std::string render_mermaid(const Graph& g) {
  std::string out = "flowchart LR\n";
  for (size_t i = 0; i < g.nodes.size(); ++i)
    out += fmt::format("  {}{}\n", id(i), shaped(g.nodes[i], node_text(g.nodes[i])));
  for (auto& e : g.edges) {
    if (e.kind == EdgeKind::bridge_in)
      out += fmt::format("  {} -.- {}\n", id(e.a.node), id(e.b.node));
    else
      out += fmt::format("  {} ---|\"{} — {}\"| {}\n", id(e.a.node), end_text(e.a), end_text(e.b),
                         id(e.b.node));
  }
  if (!g.live) return out;
  for (auto state : {State::present, State::drifted, State::missing, State::conflict}) {
    auto dash = state == State::missing ? ",stroke-dasharray:5 5" : "";
    out += fmt::format("  classDef {} stroke:{},stroke-width:2px,color:{}{}\n", to_string(state),
                       state_colour(state), state_colour(state), dash);
  }
  for (size_t i = 0; i < g.nodes.size(); ++i)
    out += fmt::format("  class {} {}\n", id(i), to_string(g.nodes[i].worst()));
  for (size_t i = 0; i < g.edges.size(); ++i) {
    auto state = g.edges[i].worst();
    auto dash = state == State::missing ? ",stroke-dasharray:5 5" : "";
    out += fmt::format("  linkStyle {} stroke:{},stroke-width:2px{}\n", i, state_colour(state), dash);
  }
  return out;
}

}  // namespace nstopo::graph
