#pragma once
// The seams between the pure core and the outside world. Real implementations live in
// kernel/ and services/; recording fakes for tests live in tests/support/.
#include <chrono>
#include <span>
#include <vector>

#include "model/action.h"
#include "model/error.h"
#include "model/observed.h"

namespace nstopo::model {

class Observer {
 public:
  virtual ~Observer() = default;
  // Reads the host, every requested namespace (missing ones come back with exists=false),
  // the lab's owned namespaces and its recorded services. Read-only.
  virtual Result<ObservedState> observe(const ObserveRequest& request) = 0;
};

// What became of one action of a group (Executor::execute_independent).
struct ActionOutcome {
  Result<void> result;
  std::chrono::nanoseconds took{};
};

class Executor {
 public:
  virtual ~Executor() = default;
  // Called once before the first action of a run: a chance to record intent in one write
  // (the kernel executor records the namespaces it is about to create as the lab's).
  virtual Result<void> prepare(const Plan& /*plan*/) { return {}; }
  // Carries out one action. On failure the live state is as before the call.
  virtual Result<void> execute(const Action& action) = 0;
  // Carries out actions none of which depends on another (run_plan hands over a run of
  // namespace creations) and returns one outcome per action attempted, in order. It may run
  // them at the same time, and a failure need not stop the others: the caller undoes every
  // one that succeeded. The default runs them one after the other, up to the first failure.
  virtual std::vector<ActionOutcome> execute_independent(std::span<const Action> actions) {
    std::vector<ActionOutcome> outcomes;
    for (const auto& action : actions) {
      auto start = std::chrono::steady_clock::now();
      auto result = execute(action);
      outcomes.push_back({std::move(result), std::chrono::steady_clock::now() - start});
      if (!outcomes.back().result) break;
    }
    return outcomes;
  }
  // Called once after the run, whether it succeeded, failed or was undone: persist records.
  virtual Result<void> finish() { return {}; }
};

}  // namespace nstopo::model
