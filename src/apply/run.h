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
  virtual void action_started(const model::Action& /*action*/) {}
  virtual void action_done(const model::Action& /*action*/, std::chrono::nanoseconds /*took*/) {}
  virtual void action_failed(const model::Action& /*action*/, const Error& /*error*/) {}
  virtual void undo_done(const model::Action& /*undo*/, const Result<void>& /*outcome*/) {}
};

struct RunReport {
  std::vector<std::chrono::nanoseconds> durations;  // one per executed action
  std::chrono::nanoseconds total{};
};

struct RunOptions {
  // A first SIGINT/SIGTERM (model::interrupted) stops the run at the next action boundary;
  // then the run's changes are undone as after a failure (apply), or left (destroy: undoing
  // deletions would bring back empty shells of what was deleted; the next destroy goes on).
  bool undo_when_interrupted = true;
};

// On failure, the returned Error names the failed action, carries the kernel's words, and
// ends with what the undo did ("undid 4 earlier changes" or which could not be undone).
// Interrupted, it is an ErrorKind::interrupted error saying what was undone (or left).
Result<RunReport> run_plan(const model::Plan& plan, model::Executor& executor, Progress& progress,
                           const RunOptions& options = {});

}  // namespace nstopo::apply
