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

struct VerifyOptions {
  // Pauses before each re-check; the first check is immediate. Short at first: a destroy
  // usually settles within tens of milliseconds. ~2 s in all.
  std::vector<std::chrono::milliseconds> pauses{
      std::chrono::milliseconds(5),   std::chrono::milliseconds(5),
      std::chrono::milliseconds(10),  std::chrono::milliseconds(20),
      std::chrono::milliseconds(40),  std::chrono::milliseconds(80),
      std::chrono::milliseconds(160), std::chrono::milliseconds(320),
      std::chrono::milliseconds(640), std::chrono::milliseconds(800)};
  std::function<void(std::chrono::milliseconds)> sleep;  // injectable for tests
};

struct VerifyReport {
  int checks = 0;  // how many observations it took
};

// ErrorKind::verify_failed listing what still differs when the retries run out.
Result<VerifyReport> verify(const model::Topology& desired, model::Observer& observer,
                            const model::ObserveRequest& request, const VerifyOptions& options = {});

}  // namespace nstopo::apply
