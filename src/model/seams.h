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

// What became of one action of a group (Executor::start_independent).
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
  // Starts actions none of which depends on another (run_plan hands over a run of namespace
  // creations, of deletions, of service stops or starts) and may return before they are done: the caller collects
  // each outcome with collect_started(k), in order, before anything that needs what the k-th
  // makes, and collects them all before it starts another group or the run ends. They may run
  // side by side, and a failure does not stop the others: the caller undoes every one that
  // succeeded. The default carries them out at once, one after the other.
  virtual void start_independent(std::span<const Action> actions) {
    started_.clear();
    for (const auto& action : actions) {
      auto start = std::chrono::steady_clock::now();
      auto result = execute(action);
      started_.push_back({std::move(result), std::chrono::steady_clock::now() - start});
    }
  }
  virtual ActionOutcome collect_started(size_t k) { return std::move(started_.at(k)); }
  // Called once after the run, whether it succeeded, failed or was undone: persist records.
  virtual Result<void> finish() { return {}; }

 private:
  std::vector<ActionOutcome> started_;  // the default start_independent's outcomes
};

}  // namespace nstopo::model
