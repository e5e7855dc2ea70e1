#pragma once
// The live state of each declared object, as `nstopo status` derives it (observe without the
// lock, then plan::status), without probing services: for `nstopo graph --live`.
#include <vector>

#include "apply/lab.h"
#include "model/topology.h"
#include "plan/status.h"

namespace nstopo::apply {

Result<std::vector<plan::StatusEntry>> live_states(const model::Topology& desired, LabStore& labs);

}  // namespace nstopo::apply
