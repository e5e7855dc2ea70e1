#include "apply/run.h"

namespace nstopo::apply {

namespace {

using Clock = std::chrono::steady_clock;

// Reverses the first `done` actions of the plan, newest first. Returns a sentence for the
// error message.
std::string undo(const model::Plan& plan, size_t done, model::Executor& executor,
                 Progress& progress) {
  int undone = 0;
  std::vector<std::string> failures;
  for (size_t i = done; i-- > 0;) {
    const auto& action = plan.actions[i];
    auto reverse = model::inverse(action);
    if (!reverse) {
      failures.push_back(fmt::format("{} cannot be undone", action.describe()));
      continue;
    }
    auto outcome = executor.execute(*reverse);
    progress.undo_done(*reverse, outcome);
    if (outcome)
      ++undone;
    else
      failures.push_back(outcome.error().describe());
  }
  std::string text = fmt::format("undid {} earlier change{}", undone, undone == 1 ? "" : "s");
  if (!failures.empty()) {
    text += "; could not undo:";
    for (auto& f : failures) text += "\n  " + f;
  }
  return text;
}

}  // namespace

Result<RunReport> run_plan(const model::Plan& plan, model::Executor& executor, Progress& progress) {
  RunReport report;
  auto run_start = Clock::now();
  if (auto prepared = executor.prepare(plan); !prepared) return std::unexpected(prepared.error());

  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const auto& action = plan.actions[i];
    auto start = Clock::now();
    auto outcome = executor.execute(action);
    if (!outcome) {
      progress.action_failed(action, outcome.error());
      Error error = outcome.error();
      error.notes.push_back(i == 0 ? std::string("nothing was changed")
                                   : undo(plan, i, executor, progress));
      if (auto finished = executor.finish(); !finished)
        error.notes.push_back(finished.error().describe());
      return std::unexpected(std::move(error));
    }
    report.durations.push_back(Clock::now() - start);
    progress.action_done(action, report.durations.back());
  }
  if (auto finished = executor.finish(); !finished) return std::unexpected(finished.error());
  report.total = Clock::now() - run_start;
  return report;
}

}  // namespace nstopo::apply
