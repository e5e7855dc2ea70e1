// Graph + Graphviz's SVG -> one self-contained HTML page, for CI artifacts: the SVG inline,
// an inline style (no style sheet, font or script from anywhere), a legend when the states
// are live, and a table of every object that is not present with why.
#include <fmt/format.h>

#include "graph/formats.h"

namespace nstopo::graph {

namespace {

std::string escaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Graphviz's output starts with an XML declaration, a DOCTYPE and comments: inside HTML only
// the <svg> element belongs.
std::string svg_element(const std::string& svg) {
  auto at = svg.find("<svg");
  return at == std::string::npos ? svg : svg.substr(at);
}

struct Row {
  std::string what, state, why;
};

void not_present(const Graph& g, std::vector<Row>& rows) {
  auto add = [&](std::string what, const Mark& m) {
    if (m.state == State::present || m.state == State::plain) return;
    rows.push_back({std::move(what), std::string(to_string(m.state)), m.why});
  };
  for (auto& n : g.nodes) {
    add(fmt::format("{} {}", to_string(n.kind), n.id), n.mark);
    for (auto& item : n.items) add(fmt::format("{} in {}", item.text, n.ns), item.mark);
  }
  for (auto& e : g.edges) {
    for (auto* end : {&e.a, &e.b}) {
      if (end->ifname.empty()) continue;
      if (e.kind == EdgeKind::veth) add(fmt::format("interface {}:{}", end->ns, end->ifname), end->mark);
      for (auto& a : end->addresses)
        add(fmt::format("address {} on {}:{}", a.text, end->ns, end->ifname), a.mark);
    }
  }
}

}  // namespace

std::string render_html(const Graph& g, const std::string& svg) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += fmt::format("<title>nstopo lab {}</title>\n", escaped(g.lab));
  out += "<style>\n"
         "body { font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }\n"
         "figure { margin: 1em 0; overflow: auto; }\n"
         ".legend span { display: inline-block; margin-right: 1.2em; }\n"
         ".swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em; "
         "vertical-align: middle; }\n"
         "table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.2em 0.6em; "
         "text-align: left; }\n"
         "</style>\n</head>\n<body>\n";
  out += fmt::format("<h1>Lab {}</h1>\n<p>From <code>{}</code>; {}.</p>\n", escaped(g.lab),
                     escaped(g.file),
                     g.live ? "coloured by each object's live state (as <code>nstopo status</code> "
                              "sees it)"
                            : "drawn from the file alone (no live state)");
  if (g.live) {
    out += "<p class=\"legend\">";
    for (auto s : {State::present, State::drifted, State::missing, State::conflict})
      out += fmt::format("<span><span class=\"swatch\" style=\"background: {}\"></span>{}</span>",
                         state_colour(s), to_string(s));
    out += "</p>\n";
  }
  out += "<figure>\n" + svg_element(svg) + "</figure>\n";
  out += "<h2>Namespaces</h2>\n<ul class=\"nodes\">\n";
  for (auto& n : g.nodes)
    out += fmt::format("<li>{} <b>{}</b>{}</li>\n", to_string(n.kind), escaped(n.name),
                       n.kind == NodeKind::bridge ? " in " + escaped(n.ns) : "");
  out += "</ul>\n";
  if (g.live) {
    std::vector<Row> rows;
    not_present(g, rows);
    if (rows.empty()) {
      out += "<p>Every declared object is present.</p>\n";
    } else {
      out += "<h2>Not as declared</h2>\n<table>\n<tr><th>object</th><th>state</th><th>why</th></tr>\n";
      for (auto& r : rows)
        out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", escaped(r.what),
                           escaped(r.state), escaped(r.why));
      out += "</table>\n";
    }
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace nstopo::graph
