#include "apply/routing_executor.h"

#include <algorithm>

namespace nstopo::apply {

bool is_one_group(std::span<const model::Action> actions) {
  if (actions.empty() || !actions.front().groupable()) return false;
  auto kind = actions.front().op.index();
  return std::ranges::all_of(actions, [&](const model::Action& a) { return a.op.index() == kind; });
}

RoutingExecutor::RoutingExecutor(Table table) : table_(table) {
  for (auto* executor : table_)
    if (executor && std::ranges::find(distinct_, executor) == distinct_.end())
      distinct_.push_back(executor);
}

model::Executor& RoutingExecutor::executor_of(const model::Action& action) const {
  return *table_.at(static_cast<size_t>(action.family()));
}

Result<void> RoutingExecutor::prepare(const model::Plan& plan) {
  for (auto* executor : distinct_)
    if (auto ok = executor->prepare(plan); !ok) return ok;
  return {};
}

Result<void> RoutingExecutor::execute(const model::Action& action) {
  return executor_of(action).execute(action);
}

void RoutingExecutor::start_independent(std::span<const model::Action> actions) {
  if (!is_one_group(actions)) {
    started_ = nullptr;
    refused_ = actions.size();
    return;
  }
  started_ = &executor_of(actions.front());
  started_->start_independent(actions);
}

model::ActionOutcome RoutingExecutor::collect_started(size_t k) {
  if (started_) return started_->collect_started(k);
  if (k >= refused_) return {fail(ErrorKind::internal, "no such action in the last group"), {}};
  return {fail(ErrorKind::internal,
               "a group of actions that are not one groupable kind was started (a planner or "
               "run_plan bug)"),
          {}};
}

Result<void> RoutingExecutor::finish() {
  // Every one must get to persist its records, even when one fails: the first error wins.
  Result<void> first{};
  for (auto* executor : distinct_)
    if (auto ok = executor->finish(); !ok && first) first = std::move(ok);
  return first;
}

}  // namespace nstopo::apply
