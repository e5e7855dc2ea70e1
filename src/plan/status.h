#pragma once
// `nstopo status`: every declared object with its live state, derived from the same diff as
// the plan (pure), so that status and plan can never disagree.
#include <string>
#include <vector>

#include "model/observed.h"
#include "plan/planner.h"

namespace nstopo::plan {

enum class LiveState { present, missing, drifted, conflict };
std::string_view to_string(LiveState state);

struct StatusEntry {
  std::string kind;    // namespace, veth, bridge, address, route, sysctl, service
  std::string object;  // "ns_rifky", "host:veth_rifky", "10.0.0.11/24 on ns_rifky:veth_ns_rifky"
  LiveState state = LiveState::present;
  std::string detail;  // how it drifted: the plan's reasons, or a conflict's message
  model::ObjectKey key;  // which object, for code (object is for people)
};

// Plans `desired` against `observed` itself. Where there are conflicts, the plan leaves out
// what a conflict stops (the peer of a foreign link, everything inside a foreign namespace),
// so the states come from the plan --adopt would make, less the taking over, each object is
// checked against `observed` for its existence, and the conflicting objects show as conflicts.
std::vector<StatusEntry> status(const model::Topology& desired,
                                const model::ObservedState& observed);

// The counts a summary line and `status --detailed-exitcode` need.
struct StatusTotals {
  int present = 0, missing = 0, drifted = 0, conflict = 0;
};
StatusTotals totals(const std::vector<StatusEntry>& entries);

}  // namespace nstopo::plan
