#pragma once
// A lab on several machines (`hosts:`, `on:`; model/machines.h), checked and put in the
// topology: every namespace placed (on the first machine unless `on:` says otherwise, on a
// machine the file declares), underlay addresses distinct, each link between machines given
// its VNI (declared or derived) and checked to fit: both machines of one address family and
// one VXLAN port, MTUs within what the underlay carries, no VNI used twice on a machine.
#include "model/topology.h"
#include "parse/declarations.h"
#include "parse/reporter.h"

namespace nstopo::parse {

void resolve_machines(const Declarations& declarations, model::Topology& topology,
                      Reporter& reporter);

}  // namespace nstopo::parse
