#include "apply/run.h"

#include <variant>

namespace nstopo::apply {

namespace {

using Clock = std::chrono::steady_clock;

// Namespace creations do not depend on one another (each makes one new, empty namespace),
// nor do namespace deletions (each takes only what is inside it), and the planner ranks each
// kind next to each other: a run of one kind goes to the executor as one group, which may
// carry it out side by side.
bool groupable(const model::Action& action) {
  return std::holds_alternative<model::CreateNamespace>(action.op) ||
         std::holds_alternative<model::DeleteNamespace>(action.op);
}

// The end of the group that starts at `first`: a run of groupable actions of one kind, or
// one action.
size_t group_end(const model::Plan& plan, size_t first) {
  const auto& op = plan.actions[first].op;
  size_t end = first + 1;
  if (groupable(plan.actions[first]))
    while (end < plan.actions.size() && plan.actions[end].op.index() == op.index()) ++end;
  return end;
}

std::vector<model::ActionOutcome> run_group(const model::Plan& plan, size_t first, size_t end,
                                            model::Executor& executor) {
  if (end - first > 1)
    return executor.execute_independent(
        std::span<const model::Action>(plan.actions.data() + first, end - first));
  auto start = Clock::now();
  auto result = executor.execute(plan.actions[first]);
  std::vector<model::ActionOutcome> outcomes;
  outcomes.push_back({std::move(result), Clock::now() - start});
  return outcomes;
}

// Reverses the actions at the indexes in `done` (in the order they were carried out), newest
// first. Returns a sentence for the error message.
std::string undo(const model::Plan& plan, const std::vector<size_t>& done,
                 model::Executor& executor, Progress& progress) {
  int undone = 0;
  std::vector<std::string> failures;
  for (auto it = done.rbegin(); it != done.rend(); ++it) {
    const auto& action = plan.actions[*it];
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

  std::vector<size_t> done;  // indexes of the actions carried out, in the order they were
  for (size_t first = 0; first < plan.actions.size();) {
    size_t end = group_end(plan, first);
    auto outcomes = run_group(plan, first, end, executor);
    // Every success is reported (and later undone, if need be); the first failure stops the run.
    const Error* failure = nullptr;
    size_t failed_at = 0;
    for (size_t k = 0; k < outcomes.size(); ++k) {
      const auto& action = plan.actions[first + k];
      if (outcomes[k].result) {
        done.push_back(first + k);
        report.durations.push_back(outcomes[k].took);
        progress.action_done(action, outcomes[k].took);
      } else if (!failure) {
        failure = &outcomes[k].result.error();
        failed_at = first + k;
      }
    }
    if (failure) {
      progress.action_failed(plan.actions[failed_at], *failure);
      Error error = *failure;
      error.notes.push_back(done.empty() ? std::string("nothing was changed")
                                         : undo(plan, done, executor, progress));
      if (auto finished = executor.finish(); !finished)
        error.notes.push_back(finished.error().describe());
      return std::unexpected(std::move(error));
    }
    first = end;
  }
  if (auto finished = executor.finish(); !finished) return std::unexpected(finished.error());
  report.total = Clock::now() - run_start;
  return report;
}

}  // namespace nstopo::apply
