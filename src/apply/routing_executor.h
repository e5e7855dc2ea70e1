#pragma once
// One Executor in front of one per executor family (model::ExecutorFamily, declared by each
// action kind beside its struct): each action goes to the executor of its family. Pure
// dispatch, by a table; adding a family (nftables, tc) is a row, not a branch.
#include <array>

#include "model/seams.h"

namespace nstopo::apply {

class RoutingExecutor final : public model::Executor {
 public:
  using Table = std::array<model::Executor*, model::kExecutorFamilies>;
  explicit RoutingExecutor(Table table);
  // The kernel layer carries out rtnetlink, sysctl (file) and nftables actions, the service
  // layer the rest.
  RoutingExecutor(model::Executor& network, model::Executor& services)
      : RoutingExecutor(Table{&network, &network, &services, &network}) {}

  // Every distinct executor of the table, each once.
  Result<void> prepare(const model::Plan& plan) override;
  Result<void> execute(const model::Action& action) override;
  // A group goes whole to the executor of its kind, and is collected from it. Groups are
  // runs of one groupable kind (is_one_group): anything else is refused, action by action,
  // as an internal error.
  void start_independent(std::span<const model::Action> actions) override;
  model::ActionOutcome collect_started(size_t k) override;
  Result<void> finish() override;

 private:
  model::Executor& executor_of(const model::Action& action) const;
  Table table_;
  std::vector<model::Executor*> distinct_;  // the table's executors, each once, in order
  model::Executor* started_ = nullptr;      // the one given the last group; null: refused
  size_t refused_ = 0;                       // the size of a refused group
};

// The contract between the planner and run_plan: a group handed to start_independent is a
// non-empty run of one kind whose kind is groupable (model/action_kind.h).
bool is_one_group(std::span<const model::Action> actions);

}  // namespace nstopo::apply
