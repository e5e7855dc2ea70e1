#include "apply/routing_executor.h"

namespace nstopo::apply {

Result<void> RoutingExecutor::prepare(const model::Plan& plan) {
  if (auto ok = network_.prepare(plan); !ok) return ok;
  return services_.prepare(plan);
}

Result<void> RoutingExecutor::execute(const model::Action& action) {
  return model::is_service_action(action) ? services_.execute(action) : network_.execute(action);
}

std::vector<model::ActionOutcome> RoutingExecutor::execute_independent(
    std::span<const model::Action> actions) {
  if (actions.empty()) return {};
  bool services = model::is_service_action(actions.front());
  for (const auto& action : actions)
    if (model::is_service_action(action) != services) return Executor::execute_independent(actions);
  return services ? services_.execute_independent(actions)
                                                   : network_.execute_independent(actions);
}

Result<void> RoutingExecutor::finish() {
  // Both must get to persist their records, even when the first fails.
  auto network = network_.finish();
  auto services = services_.finish();
  return network ? services : network;
}

}  // namespace nstopo::apply
