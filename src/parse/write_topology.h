#pragma once
// A topology written as a topology file (the format parse/load.h reads): what `nstopo show`
// prints. Pure; the output is the same for the same topology, and reads back to it.
#include <string>
#include <vector>

#include "model/topology.h"

namespace nstopo::parse {

// `comments` go first, each as a "# " line.
std::string write_topology_yaml(const model::Topology& topology,
                                const std::vector<std::string>& comments = {});

}  // namespace nstopo::parse
