#pragma once
// One Executor in front of two: service actions go to the service layer, the rest to the
// kernel. Pure dispatch.
#include "model/seams.h"

namespace nstopo::apply {

class RoutingExecutor final : public model::Executor {
 public:
  RoutingExecutor(model::Executor& network, model::Executor& services)
      : network_(network), services_(services) {}

  Result<void> prepare(const model::Plan& plan) override;
  Result<void> execute(const model::Action& action) override;
  // A group goes whole to the executor of its actions (run_plan groups actions of one kind:
  // namespace creations or deletions), and is collected from it.
  void start_independent(std::span<const model::Action> actions) override;
  model::ActionOutcome collect_started(size_t k) override;
  Result<void> finish() override;

 private:
  model::Executor& network_;
  model::Executor& services_;
  model::Executor* started_ = nullptr;  // the one given the last group
};

}  // namespace nstopo::apply
