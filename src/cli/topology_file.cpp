#include "cli/topology_file.h"

#include <cstdio>

#include "parse/load.h"

namespace nstopo::cli {

std::optional<model::Topology> load_topology_or_report(const std::string& path) {
  auto loaded = parse::load_topology_file(path);
  for (auto& d : loaded.diagnostics) std::fputs(parse::format_diagnostic(d).c_str(), stderr);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s: %zu error%s; nothing was changed\n", path.c_str(),
                 loaded.diagnostics.size(), loaded.diagnostics.size() == 1 ? "" : "s");
    return std::nullopt;
  }
  return std::move(loaded.topology);
}

}  // namespace nstopo::cli
