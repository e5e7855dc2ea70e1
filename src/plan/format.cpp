#include "plan/format.h"

namespace nstopo::plan {

std::string format_action(const model::Action& action) {
  return fmt::format("  {} {}  ({})", static_cast<char>(action.change()), action.describe(),
                     action.reason.text());
}

PlanCounts count(const model::Plan& plan) {
  PlanCounts counts;
  for (auto& action : plan.actions) {
    switch (action.change()) {
      case model::Change::create: ++counts.create; break;
      case model::Change::modify: ++counts.change; break;
      case model::Change::remove: ++counts.remove; break;
    }
  }
  return counts;
}

std::string format_plan(const model::Plan& plan) {
  if (plan.empty()) return "No changes.\n";
  std::string text;
  for (auto& action : plan.actions) text += format_action(action) + "\n";
  return text + format_counts(count(plan)) + "\n";
}

std::string format_counts(const PlanCounts& c) {
  return fmt::format("Plan: {} to create, {} to change, {} to delete.", c.create, c.change,
                     c.remove);
}

std::string format_conflicts(const std::vector<Conflict>& conflicts) {
  std::string text;
  for (auto& c : conflicts) text += fmt::format("conflict: {}\n", c.message);
  return text;
}

}  // namespace nstopo::plan
