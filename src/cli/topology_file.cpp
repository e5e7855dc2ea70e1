#include "cli/topology_file.h"

#include <cstdio>

#include "cli/render.h"

namespace nstopo::cli {

namespace {

std::string errors_text(size_t n) { return fmt::format("{} error{}", n, n == 1 ? "" : "s"); }

}  // namespace

nlohmann::json validation_error_json(const std::string& path, const parse::LoadResult& loaded) {
  auto diagnostics = nlohmann::json::array();
  for (auto& d : loaded.diagnostics) diagnostics.push_back(diagnostic_json(d));
  return {{"kind", "validation"},
          {"message", fmt::format("{}: {}", path, errors_text(loaded.diagnostics.size()))},
          {"diagnostics", diagnostics}};
}

std::optional<model::Topology> load_topology_or_report(const std::string& path,
                                                       OutputFormat format,
                                                       std::string_view command) {
  auto loaded = parse::load_topology_file(path);
  for (auto& d : loaded.diagnostics) std::fputs(parse::format_diagnostic(d).c_str(), stderr);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s: %s; nothing was changed\n", path.c_str(),
                 errors_text(loaded.diagnostics.size()).c_str());
    if (is_document(format)) {
      auto doc = document(command);
      doc["file"] = path;
      doc["error"] = validation_error_json(path, loaded);
      print_document(doc, format);
    }
    return std::nullopt;
  }
  return std::move(loaded.topology);
}

}  // namespace nstopo::cli
