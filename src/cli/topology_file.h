#pragma once
// Reading the topology file for a command: on any problem, the diagnostics go to stderr, and
// with -o json/yaml an error document naming each of them goes to stdout as well.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "model/topology.h"
#include "parse/load.h"

namespace nstopo::cli {

std::optional<model::Topology> load_topology_or_report(const std::string& path,
                                                       OutputFormat format = OutputFormat::text,
                                                       std::string_view command = "");

// {kind: "validation", message, diagnostics: [...]} for a file that does not load.
nlohmann::json validation_error_json(const std::string& path, const parse::LoadResult& loaded);

}  // namespace nstopo::cli
