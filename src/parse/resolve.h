#pragma once
// Declarations -> model::Topology, checking every reference between declared objects:
// link endpoints (unknown namespace, bridge as a link end, an interface in two links or
// linked to itself, link and interface MTU), veth entries no link names, masters, duplicate
// addresses, route devices and gateways, duplicate routes.
#include "model/topology.h"
#include "parse/declarations.h"
#include "parse/reporter.h"

namespace nstopo::parse {

// The topology is complete and consistent only when the reporter holds no errors afterwards.
model::Topology resolve(const Declarations& declarations, Reporter& reporter);

}  // namespace nstopo::parse
