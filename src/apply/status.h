#pragma once
// `nstopo status` (read-only: no lock): observe, derive each declared object's live state
// (plan::status), probe the services found running once, and tell the reporter.
#include <string>
#include <vector>

#include "apply/lab.h"
#include "apply/reporter.h"
#include "model/topology.h"

namespace nstopo::apply {

struct StatusRequest {
  model::Topology desired;
  std::string file;
};

// What status derives from one observation, without probing services or telling a reporter
// (`nstopo ls` shows whether a lab has drifted from it).
struct StatusSnapshot {
  model::ObservedState observed;
  std::vector<plan::StatusEntry> entries;
  plan::StatusTotals totals;
};
Result<StatusSnapshot> snapshot(const model::Topology& desired, Lab& lab);

// The same states for a lab opened here, without the lock (`nstopo graph --live`).
Result<std::vector<plan::StatusEntry>> live_states(const model::Topology& desired, LabStore& labs);

// The counts of the objects' states (for --detailed-exitcode); an error is also given to
// reporter.failed.
Result<plan::StatusTotals> status(const StatusRequest& request, LabStore& labs, Reporter& reporter);

}  // namespace nstopo::apply
