#include "apply/live_states.h"

namespace nstopo::apply {

Result<std::vector<plan::StatusEntry>> live_states(const model::Topology& desired, LabStore& labs) {
  auto lab = labs.open_unlocked(desired.name);
  if (!lab) return std::unexpected(lab.error());
  auto observed =
      (*lab)->observer().observe(plan::observe_request(desired, (*lab)->recorded_namespaces()));
  if (!observed) return std::unexpected(observed.error());
  return plan::status(desired, *observed);
}

}  // namespace nstopo::apply
