#pragma once
// The static order of actions (ARCHITECTURE.md, "Action order"): systemd-networkd's
// readiness rules as ranks, so that every action comes after what it needs.
#include <vector>

#include "model/action.h"

namespace nstopo::plan {

// Stable, deterministic sort: by rank, then by the object the action concerns.
void order_actions(std::vector<model::Action>& actions);

// rank * 10 + sub-rank; exposed for tests of the ordering properties.
int action_rank(const model::Action& action);

}  // namespace nstopo::plan
