#pragma once
// SVG through Graphviz: runs the `dot` program (found in PATH; Debian's `graphviz` package)
// with the dot text on its stdin, never through a shell. The one part of src/graph/ that is
// not pure. Why a program and not libgvc: Graphviz stays a runtime dependency of `-f svg` and
// `-f html` alone (every other command and format works without it), and the build needs no
// libgraphviz-dev; libgvc would also need its plugins configured (`dot -c`) to render at all.
#include <string>

#include "model/error.h"

namespace nstopo::graph {

// `dot -Tsvg` of `dot_text`: the SVG, or an error saying that Graphviz is missing (with the
// package to install) or what dot said when it refused the text.
Result<std::string> run_dot_svg(const std::string& dot_text);

}  // namespace nstopo::graph
