#include "model/action.h"

namespace nstopo::model {

namespace {

// Calls each kind's own trait: what every function below is made of.
template <typename F>
auto on_kind(const Action& action, F f) {
  return std::visit([&](const auto& op) { return f(op); }, static_cast<const OperationVariant&>(action.op));
}

}  // namespace

Change Action::change() const {
  return on_kind(*this, [](const auto& kind) { return std::decay_t<decltype(kind)>::change; });
}
std::string Action::describe() const {
  return on_kind(*this, [](const auto& kind) { return kind.describe(); });
}
std::string Action::object() const {
  return on_kind(*this, [](const auto& kind) { return kind.object(); });
}
ObjectKey Action::key() const {
  return on_kind(*this, [](const auto& kind) { return kind.object_key(); });
}
ExecutorFamily Action::family() const {
  return on_kind(*this, [](const auto& kind) { return std::decay_t<decltype(kind)>::family; });
}
bool Action::groupable() const {
  return on_kind(*this, [](const auto& kind) { return std::decay_t<decltype(kind)>::groupable; });
}
int Action::rank() const {
  return on_kind(*this, [](const auto& kind) { return kind.rank(); });
}

std::vector<std::string> namespaces_used(const Action& action) {
  auto used = on_kind(action, [](const auto& kind) { return kind.namespaces_used(); });
  std::erase(used, std::string(kHostNamespace));
  return used;
}

std::optional<Action> inverse(const Action& action) {
  auto op = on_kind(action, [](const auto& kind) { return kind.inverse(); });
  if (!op) return std::nullopt;
  return Action{std::move(*op), Reason::undo(action.describe())};
}

bool is_service_action(const Action& action) {
  return action.family() == ExecutorFamily::services;
}

}  // namespace nstopo::model
