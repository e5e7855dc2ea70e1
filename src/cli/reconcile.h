#pragma once
// The pipeline behind plan, apply and destroy (ARCHITECTURE.md, "The pipeline"): lock,
// observe, plan, print, execute with undo, verify. destroy is apply toward an empty lab.
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "model/topology.h"
#include "plan/planner.h"

namespace nstopo::cli {

enum class ReconcileMode { plan, apply, destroy };

struct ReconcileRequest {
  ReconcileMode mode = ReconcileMode::plan;
  model::Topology desired;  // destroy: plan::empty_topology(lab)
  std::string file;         // for messages and the lab's record; empty for destroy --name
  OutputFormat output = OutputFormat::text;
  plan::PlanOptions options;
  bool dry_run = false;            // stop after printing the plan
  bool detailed_exitcode = false;  // plan: 0 no changes, 2 changes pending
  bool no_wait = false;
  // destroy --name of a lab the state directory has no directory for: these are the labs it
  // has. Unless the kernel still holds objects marked as the lab's, the name is a typo.
  std::optional<std::vector<std::string>> unrecorded_lab_known_labs;
};

int reconcile(const GlobalOptions& global, const ReconcileRequest& request);

}  // namespace nstopo::cli
