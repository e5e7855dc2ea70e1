#include "apply/routing_executor.h"

#include <algorithm>

namespace nstopo::apply {

Result<void> RoutingExecutor::prepare(const model::Plan& plan) {
  if (auto ok = network_.prepare(plan); !ok) return ok;
  return services_.prepare(plan);
}

Result<void> RoutingExecutor::execute(const model::Action& action) {
  return model::is_service_action(action) ? services_.execute(action) : network_.execute(action);
}

void RoutingExecutor::start_independent(std::span<const model::Action> actions) {
  bool services = !actions.empty() && model::is_service_action(actions.front());
  bool mixed = std::ranges::any_of(actions, [&](const model::Action& action) {
    return model::is_service_action(action) != services;
  });
  if (mixed) {  // not a group run_plan makes; carried out here, one by one
    started_ = this;
    Executor::start_independent(actions);
    return;
  }
  started_ = services ? &services_ : &network_;
  started_->start_independent(actions);
}

model::ActionOutcome RoutingExecutor::collect_started(size_t k) {
  return started_ == this ? Executor::collect_started(k) : started_->collect_started(k);
}

Result<void> RoutingExecutor::finish() {
  // Both must get to persist their records, even when the first fails.
  auto network = network_.finish();
  auto services = services_.finish();
  return network ? services : network;
}

}  // namespace nstopo::apply
