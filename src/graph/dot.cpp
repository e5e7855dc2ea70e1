// Graph -> Graphviz dot. Nodes carry HTML-like labels (a table: the name, its state, then one
// row per item), so that each address, route or service is coloured by its own state; an
// edge's label names both interfaces with their addresses, the first end first.
#include <fmt/format.h>

#include "graph/formats.h"

namespace nstopo::graph {

std::string_view state_colour(State state) {
  switch (state) {
    case State::plain: return "#000000";
    case State::present: return "#2e7d32";
    case State::missing: return "#c62828";
    case State::drifted: return "#ef6c00";
    case State::conflict: return "#6a1b9a";
  }
  return "#000000";
}

namespace {

// Text inside an HTML-like label: the five characters HTML gives a meaning.
std::string html_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n': out += "<br/>"; break;
      default: out += c;
    }
  }
  return out;
}

// A double-quoted dot ID or attribute value.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// `text` in the colour of `state` (as it is for plain).
std::string in_colour(const std::string& text, State state) {
  if (state == State::plain) return html_text(text);
  return fmt::format("<font color=\"{}\">{}</font>", state_colour(state), html_text(text));
}

// "10.0.0.11/24" in its state's colour, with the state said after it when it is not present.
std::string coloured(const std::string& text, const Mark& mark) {
  auto note = state_note(mark);
  return in_colour(note.empty() ? text : fmt::format("{} ({})", text, note), mark.state);
}

std::string_view shape(NodeKind kind) {
  switch (kind) {
    case NodeKind::host: return "box3d";
    case NodeKind::namespace_: return "box";
    case NodeKind::bridge: return "hexagon";
  }
  return "box";
}

// How an object's line is drawn: its colour, dashed when missing, thick in conflict;
// `style`: the object's own style, which a missing one's dashes join.
std::string stroke(State state, std::string style = {}) {
  std::string out = fmt::format("color=\"{}\"", state_colour(state));
  if (state == State::missing) style += style.empty() ? "dashed" : ",dashed";
  if (!style.empty()) out += fmt::format(", style=\"{}\"", style);
  if (state == State::conflict) out += ", penwidth=2.5";
  return out;
}

std::string node_label(const Node& n) {
  std::string rows;
  auto title = n.kind == NodeKind::bridge ? fmt::format("{} (bridge in {})", n.name, n.ns) : n.name;
  rows += fmt::format("<tr><td><b>{}</b></td></tr>", in_colour(title, n.mark.state));
  if (auto note = state_note(n.mark); !note.empty())
    rows += fmt::format("<tr><td>{}</td></tr>", in_colour(note, n.mark.state));
  for (auto& item : n.items)
    rows += fmt::format("<tr><td align=\"left\">{}</td></tr>", coloured(item.text, item.mark));
  return "<<table border=\"0\" cellborder=\"0\" cellspacing=\"1\">" + rows + "</table>>";
}

std::string end_label(const End& e) {
  auto text = coloured(e.ifname, e.mark);
  for (auto& a : e.addresses) text += "<br/>" + coloured(a.text, a.mark);
  return text;
}

std::string tooltip(const Node& n) {
  std::string out = fmt::format("{} {}", to_string(n.kind), n.id);
  if (auto note = state_note(n.mark); !note.empty()) out += ": " + note;
  return out;
}

}  // namespace

std::string render_dot(const Graph& g) {
  std::string out = fmt::format("graph {} {{\n", quoted("nstopo_" + g.lab));
  out += fmt::format("  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label={}];\n",
                     quoted(fmt::format("lab {} ({}){}", g.lab, g.file, g.live ? ", live" : "")));
  out += "  node [fontname=\"Helvetica\", fontsize=11, style=\"rounded\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (auto& n : g.nodes) {
    auto state = n.mark.state;
    bool host = n.kind == NodeKind::host;
    out += fmt::format("  {} [shape={}, label={}, tooltip={}, {}{}];\n", quoted(n.id),
                       shape(n.kind), node_label(n), quoted(tooltip(n)),
                       stroke(state, host ? "filled" : "rounded"),
                       host ? ", fillcolor=\"#eceff1\"" : "");
  }
  for (auto& e : g.edges) {
    auto& a = g.nodes[e.a.node];
    auto& b = g.nodes[e.b.node];
    if (e.kind == EdgeKind::bridge_in) {
      out += fmt::format("  {} -- {} [{}, tooltip={}];\n", quoted(a.id), quoted(b.id),
                         stroke(e.worst(), e.worst() == State::missing ? "" : "dotted"),
                         quoted(fmt::format("bridge {} in {}", b.name, a.name)));
      continue;
    }
    auto label = fmt::format("<{}<br/>&#8212;<br/>{}>", end_label(e.a), end_label(e.b));
    out += fmt::format("  {} -- {} [label={}, tooltip={}, {}];\n", quoted(a.id), quoted(b.id),
                       label, quoted(fmt::format("{}:{} -- {}:{}", e.a.ns, e.a.ifname, e.b.ns, e.b.ifname)),
                       stroke(e.worst()));
  }
  out += "}\n";
  return out;
}

}  // namespace nstopo::graph
