#include "apply/run.h"

#include <map>
#include <optional>
#include <variant>

#include "apply/routing_executor.h"
#include "model/fault_points.h"
#include "model/interruption.h"

namespace nstopo::apply {

namespace {

using Clock = std::chrono::steady_clock;

// A run of one groupable kind next to each other (namespace creations, namespace deletions,
// service stops, service starts: see each kind's `groupable` in model/*_ops.h) goes to the executor as one
// group (is_one_group, routing_executor.h), which may carry it out side by side. The planner
// ranks each kind together, so such runs are whole.
//
// The end of the group that starts at `first`: a run of groupable actions of one kind, or
// one action.
size_t group_end(const model::Plan& plan, size_t first) {
  const auto& op = plan.actions[first].op;
  size_t end = first + 1;
  if (plan.actions[first].groupable())
    while (end < plan.actions.size() && plan.actions[end].op.index() == op.index()) ++end;
  return end;
}

// One run of a plan. A group of namespace creations is started and the run goes on at once:
// each namespace is collected (waited for, and reported) right before the first action that
// works in it, so the kernel makes namespaces on other cores while this thread creates links
// in the ones already made. Deletions are collected as soon as they are started.
class PlanRun {
 public:
  PlanRun(const model::Plan& plan, model::Executor& executor, Progress& progress,
          const RunOptions& options)
      : plan_(plan), executor_(executor), progress_(progress), options_(options) {}

  Result<RunReport> run() {
    auto run_start = Clock::now();
    if (auto prepared = executor_.prepare(plan_); !prepared)
      return std::unexpected(prepared.error());
    for (size_t first = 0; first < plan_.actions.size();) {
      // A first SIGINT or SIGTERM stops the run here, between two actions, and undoes it.
      if (model::interrupted()) return interrupted(first);
      size_t end = group_end(plan_, first);
      if (end - first > 1) {
        if (!start_group(first, end)) return failed();
      } else if (!run_one(first)) {
        return failed();
      }
      first = end;
    }
    if (!collect_through(plan_.actions.size())) return failed();
    if (model::interrupted()) return interrupted(plan_.actions.size());
    if (auto finished = executor_.finish(); !finished) return std::unexpected(finished.error());
    report_.total = Clock::now() - run_start;
    return std::move(report_);
  }

 private:
  struct StartedGroup {
    size_t first = 0, end = 0, next = 0;  // plan indexes; `next` is the first not collected
  };

  bool start_group(size_t first, size_t end) {
    if (!collect_through(plan_.actions.size())) return false;  // one group at a time
    model::fault_point([&] { return "before group " + plan_.actions[first].describe(); });
    for (size_t i = first; i < end; ++i) progress_.action_started(plan_.actions[i]);
    executor_.start_independent(
        std::span<const model::Action>(plan_.actions.data() + first, end - first));
    group_ = StartedGroup{first, end, first};
    if (!std::holds_alternative<model::CreateNamespace>(plan_.actions[first].op))
      return collect_through(plan_.actions.size());
    for (size_t i = first; i < end; ++i)
      pending_.emplace(std::get<model::CreateNamespace>(plan_.actions[i].op).ns, i);
    return true;
  }

  bool run_one(size_t index) {
    const auto& action = plan_.actions[index];
    for (const auto& ns : model::namespaces_used(action))
      if (auto it = pending_.find(ns); it != pending_.end())
        if (!collect_through(it->second + 1)) return false;
    model::fault_point([&] { return "before " + action.describe(); });
    progress_.action_started(action);
    auto start = Clock::now();
    auto result = executor_.execute(action);
    bool ok = record(index, {std::move(result), Clock::now() - start});
    model::fault_point([&] { return "after " + action.describe(); });
    return ok;
  }

  // Collects the started group's outcomes, in order, up to plan index `end` (exclusive).
  // Goes on past a failure, so that every success is known (and undone).
  bool collect_through(size_t end) {
    while (group_ && group_->next < std::min(end, group_->end)) {
      size_t index = group_->next++;
      if (const auto* create = std::get_if<model::CreateNamespace>(&plan_.actions[index].op))
        pending_.erase(create->ns);
      record(index, executor_.collect_started(index - group_->first));
      model::fault_point([&] { return "after " + plan_.actions[index].describe(); });
      if (group_->next == group_->end) group_.reset();
    }
    return !failure_;
  }

  // A success is reported and remembered for undo; the first failure is kept for the end.
  bool record(size_t index, model::ActionOutcome outcome) {
    const auto& action = plan_.actions[index];
    if (outcome.result) {
      done_.push_back(index);
      report_.durations.push_back(outcome.took);
      progress_.action_done(action, outcome.took);
    } else if (!failure_) {
      failure_.emplace(index, std::move(outcome.result.error()));
    }
    return !failure_;
  }

  // Stopped by a signal before plan index `next`: undone as a failure would be, and said so.
  // The undo itself runs to its end (only a second signal stops it, in the CLI's handler).
  std::unexpected<Error> interrupted(size_t next) {
    collect_through(plan_.actions.size());
    if (failure_) return failed();  // a real failure came first: it is the news
    std::string what;
    if (done_.empty())
      what = "nothing was changed";
    else if (options_.undo_when_interrupted)
      what = undo();
    else
      what = fmt::format("stopped after {} of {} changes; the same command again does the rest",
                         done_.size(), plan_.actions.size());
    std::string where = next < plan_.actions.size()
                            ? fmt::format(" before {}", plan_.actions[next].describe())
                            : std::string(" at the end of the run");
    Error error{ErrorKind::interrupted,
                fmt::format("interrupted by {}: {}",
                            model::signal_name(model::interruption_signal()), what)};
    error.notes.push_back("stopped" + where);
    if (auto finished = executor_.finish(); !finished)
      error.notes.push_back(finished.error().describe());
    return std::unexpected(std::move(error));
  }

  // Whatever is still being made is collected first: what succeeded is undone with the rest.
  std::unexpected<Error> failed() {
    collect_through(plan_.actions.size());
    auto& [index, error] = *failure_;
    if (error.kind == ErrorKind::interrupted) {
      // A wait inside the action (a service's readiness) noticed the signal: the action
      // undid itself; the rest is undone as at a boundary.
      size_t at = index;
      failure_.reset();
      return interrupted(at);
    }
    progress_.action_failed(plan_.actions[index], error);
    error.notes.push_back(done_.empty() ? std::string("nothing was changed") : undo());
    if (auto finished = executor_.finish(); !finished)
      error.notes.push_back(finished.error().describe());
    return std::unexpected(std::move(error));
  }

  // Reverses the actions carried out, newest first. Returns a sentence for the error message.
  std::string undo() {
    model::UndoShield shield;  // the signal that stopped the run does not stop its undo
    int undone = 0;
    std::vector<std::string> failures;
    for (auto it = done_.rbegin(); it != done_.rend(); ++it) {
      const auto& action = plan_.actions[*it];
      auto reverse = model::inverse(action);
      if (!reverse) {
        failures.push_back(fmt::format("{} cannot be undone", action.describe()));
        continue;
      }
      model::fault_point([&] { return "undo " + reverse->describe(); });
      auto outcome = executor_.execute(*reverse);
      progress_.undo_done(*reverse, outcome);
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

  const model::Plan& plan_;
  model::Executor& executor_;
  Progress& progress_;
  const RunOptions& options_;
  RunReport report_;
  std::vector<size_t> done_;                     // plan indexes carried out, in that order
  std::optional<StartedGroup> group_;            // started, not yet fully collected
  std::map<std::string, size_t> pending_;        // namespaces of group_ not collected yet
  std::optional<std::pair<size_t, Error>> failure_;  // the first failure: plan index, error
};

}  // namespace

Result<RunReport> run_plan(const model::Plan& plan, model::Executor& executor, Progress& progress,
                           const RunOptions& options) {
  return PlanRun(plan, executor, progress, options).run();
}

}  // namespace nstopo::apply
