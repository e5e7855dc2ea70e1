#pragma once
// The text formats of a Graph (one file each: dot.cpp, mermaid.cpp, json.cpp, html.cpp).
// Pure; SVG is the dot text through Graphviz (graphviz.h).
#include <string>

#include "graph/graph.h"

namespace nstopo::graph {

// Graphviz's language (`graph` with `--` edges), for `dot -Tsvg` or any Graphviz tool.
std::string render_dot(const Graph& g);

// A mermaid flowchart (GitHub and GitLab draw it inside ```mermaid fences).
std::string render_mermaid(const Graph& g);

// One JSON document: schema_version 1, command "graph", the nodes and edges with their states.
std::string render_json(const Graph& g);

// A self-contained HTML page around `svg` (Graphviz's output): no script, no style sheet, no
// image from the network; a legend, and with live states a table of what is not present.
std::string render_html(const Graph& g, const std::string& svg);

// The colour an object in `state` is drawn in ("#2e7d32"); plain is black.
std::string_view state_colour(State state);

}  // namespace nstopo::graph
