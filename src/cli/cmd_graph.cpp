// nstopo graph FILE [-f dot|mermaid|svg|html|json] [--live|--no-live]: the lab as a picture.
// The drawing is src/graph/ (pure); this only decides whether to read the live state (by
// default: when the lab has records) and writes the chosen format to stdout.
#include <cstdio>
#include <filesystem>

#include "apply/status.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/lab_session.h"
#include "cli/render.h"
#include "cli/topology_file.h"
#include "graph/formats.h"
#include "graph/graphviz.h"
#include "state/state_store.h"

namespace nstopo::cli {

namespace {

bool has_records(const GlobalOptions& global, const std::string& lab) {
  std::error_code ignored;
  return std::filesystem::exists(
      std::filesystem::path(state::StateStore(global.state_dir).lab_dir(lab)) / "state.json", ignored);
}

Result<std::string> render(const graph::Graph& g, GraphFormat format) {
  switch (format) {
    case GraphFormat::dot: return graph::render_dot(g);
    case GraphFormat::mermaid: return graph::render_mermaid(g);
    case GraphFormat::json: return graph::render_json(g);
    case GraphFormat::svg: return graph::run_dot_svg(graph::render_dot(g));
    case GraphFormat::html: {
      auto svg = graph::run_dot_svg(graph::render_dot(g));
      if (!svg) return svg;
      return graph::render_html(g, *svg);
    }
  }
  return fail(ErrorKind::internal, "unknown graph format");
}

}  // namespace

int run_graph(const GlobalOptions& global, const GraphArgs& args) {
  // -f json is a document (schemas/output.schema.json): its errors are documents too.
  auto errors_as = args.format == GraphFormat::json ? OutputFormat::json : OutputFormat::text;
  auto topology = load_topology_or_report(args.file, errors_as, "graph");
  if (!topology) return exit_code(ExitCode::error);

  std::optional<std::vector<plan::StatusEntry>> live;
  bool records = has_records(global, topology->name);
  if (args.live.value_or(records)) {
    SessionStore labs(global);
    auto entries = apply::live_states(*topology, labs);
    if (entries) {
      live = std::move(*entries);
    } else if (args.live) {  // asked for: its failure is the command's
      print_error("graph", entries.error(), errors_as);
      return exit_code(exit_code_for(entries.error()));
    } else {
      std::fprintf(stderr,
                   "nstopo: lab %s has records, but its live state cannot be read (%s): drawing "
                   "the file alone (--no-live does so without trying)\n",
                   topology->name.c_str(), entries.error().describe().c_str());
    }
  }

  auto text = render(graph::build(*topology, live), args.format);
  if (!text) {
    print_error("graph", text.error(), errors_as);
    return exit_code(exit_code_for(text.error()));
  }
  std::fwrite(text->data(), 1, text->size(), stdout);
  return std::fflush(stdout) == 0 ? exit_code(ExitCode::ok) : exit_code(ExitCode::error);
}

}  // namespace nstopo::cli
