#pragma once
// YAML topology file -> model::Topology, with every syntactic and semantic problem reported.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/topology.h"
#include "parse/diagnostic.h"

namespace nstopo::parse {

struct LoadResult {
  std::optional<model::Topology> topology;  // set only when there are no diagnostics
  std::vector<Diagnostic> diagnostics;      // in file order
  bool ok() const { return topology.has_value() && diagnostics.empty(); }
};

// Reads and checks a file (at most 4 MiB). `path` is used verbatim in diagnostics.
LoadResult load_topology_file(const std::string& path);
// The same for text already in memory; `file_name` is what diagnostics call it.
LoadResult load_topology_text(std::string_view text, const std::string& file_name);

// A file's lab name (its top-level `name`), read without parsing or checking the rest, for
// destroy: a file edited since, even broken further down, still names its lab, and a large
// one costs nothing to read. nullopt when it cannot say (load_topology_file then says why).
std::optional<std::string> read_lab_name(const std::string& path);

}  // namespace nstopo::parse
