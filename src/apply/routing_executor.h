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
  // A group goes whole to the executor of its first action (run_plan groups only actions of
  // one kind: namespace creations).
  std::vector<model::ActionOutcome> execute_independent(
      std::span<const model::Action> actions) override;
  Result<void> finish() override;

 private:
  model::Executor& network_;
  model::Executor& services_;
};

}  // namespace nstopo::apply
