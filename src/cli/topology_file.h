#pragma once
// Reading the topology file for a command: on any problem, the diagnostics go to stderr.
#include <optional>
#include <string>

#include "model/topology.h"

namespace nstopo::cli {

std::optional<model::Topology> load_topology_or_report(const std::string& path);

}  // namespace nstopo::cli
