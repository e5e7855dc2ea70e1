#pragma once
// Plan rendering, Terraform-style: "+ create", "~ change", "- delete", each with its reason.
#include <string>

#include "model/action.h"
#include "plan/planner.h"

namespace nstopo::plan {

// One line per action: "  + namespace ns_rifky  (missing)".
std::string format_action(const model::Action& action);
// Every action, then "Plan: 3 to create, 1 to change, 0 to delete." or "No changes.".
std::string format_plan(const model::Plan& plan);
// "conflict: MESSAGE" per conflict.
std::string format_conflicts(const std::vector<Conflict>& conflicts);

struct PlanCounts {
  int create = 0, change = 0, remove = 0;
};
PlanCounts count(const model::Plan& plan);
// "Plan: 2 to create, 0 to change, 1 to delete."
std::string format_counts(const PlanCounts& counts);

}  // namespace nstopo::plan
