#pragma once
// After a run, observe again and require an empty diff (nmstate's verify step). The kernel
// finishes some work asynchronously (a deleted namespace takes its veth peers a moment
// later), so the check is retried a bounded number of times with growing pauses.
#include <chrono>
#include <functional>
#include <vector>

#include "model/seams.h"
#include "plan/planner.h"

namespace nstopo::apply {

// The pauses between checks: every 5 ms for the first 0.1 s, every 20 ms up to 0.5 s, then
// every 100 ms up to 3 s in all. A destroy waits on the kernel's own clean-up of the deleted
// namespaces (their veths, bridge ports), which takes tens to hundreds of milliseconds
// depending on N; polling finely early means finishing within a few ms of it, instead of up
// to a doubling pause later. A check is one dump of the host (the deleted namespaces are a
// stat each), cheap next to the wait.
std::vector<std::chrono::milliseconds> default_pauses();

struct VerifyOptions {
  // Pauses before each re-check; the first check is immediate.
  std::vector<std::chrono::milliseconds> pauses = default_pauses();
  std::function<void(std::chrono::milliseconds)> sleep;  // injectable for tests
};

struct VerifyReport {
  int checks = 0;  // how many observations it took
};

// ErrorKind::verify_failed listing what still differs when the retries run out.
Result<VerifyReport> verify(const model::Topology& desired, model::Observer& observer,
                            const model::ObserveRequest& request, const VerifyOptions& options = {});

}  // namespace nstopo::apply
