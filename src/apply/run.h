#pragma once
// Runs a plan through an Executor: in order, stop at the first failure, undo what this run
// changed (in reverse), and say exactly what happened.
#include <chrono>
#include <vector>

#include "model/seams.h"

namespace nstopo::apply {

// Told about each step as it happens, so the CLI can print progress.
class Progress {
 public:
  virtual ~Progress() = default;
  virtual void action_done(const model::Action& /*action*/, std::chrono::nanoseconds /*took*/) {}
  virtual void action_failed(const model::Action& /*action*/, const Error& /*error*/) {}
  virtual void undo_done(const model::Action& /*undo*/, const Result<void>& /*outcome*/) {}
};

struct RunReport {
  std::vector<std::chrono::nanoseconds> durations;  // one per executed action
  std::chrono::nanoseconds total{};
};

// On failure, the returned Error names the failed action, carries the kernel's words, and
// ends with what the undo did ("undid 4 earlier changes" or which could not be undone).
Result<RunReport> run_plan(const model::Plan& plan, model::Executor& executor, Progress& progress);

}  // namespace nstopo::apply
