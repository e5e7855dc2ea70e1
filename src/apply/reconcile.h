#pragma once
// The pipeline behind plan, apply and destroy (ARCHITECTURE.md, "The pipeline"): open the lab
// (its lock, then its records), observe, plan, stop at conflicts, stop after the plan for
// `plan` / --dry-run, execute with undo, verify. destroy is apply toward an empty lab.
//
// Everything outside is a seam: the lab (LabStore/Lab, apply/lab.h: lock, records, the real
// Observer and Executor) and a Reporter (apply/reporter.h) told, in typed events, what
// happens. This layer never prints; the CLI builds the real collaborators and renders the
// events (text, JSON).
#include <optional>
#include <string>
#include <vector>

#include "apply/lab.h"
#include "apply/reporter.h"
#include "apply/verify.h"
#include "model/topology.h"
#include "plan/planner.h"

namespace nstopo::apply {

struct ReconcileRequest {
  Mode mode = Mode::plan;
  model::Topology desired;  // destroy: plan::empty_topology(lab)
  std::string file;         // for messages and the lab's record; empty for destroy --name
  plan::PlanOptions options;
  bool dry_run = false;  // stop after the plan
  bool no_wait = false;  // a held lock is an error, not a wait
  bool force = false;    // apply despite warnings (plan/preflight.h: an address the host uses)
  // destroy --name of a lab the state directory has no directory for: these are the labs it
  // has. Unless the kernel still holds objects marked as the lab's, the name is a typo.
  std::optional<std::vector<std::string>> unrecorded_lab_known_labs;
  std::string state_dir;  // named in the message for an unknown lab
  VerifyOptions verify;
};

struct ReconcileOutcome {
  bool changes_pending = false;  // plan / --dry-run: the plan is not empty
};

// Runs the pipeline. The error (also given to reporter.failed) decides the exit code.
Result<ReconcileOutcome> reconcile(const ReconcileRequest& request, LabStore& labs,
                                   Reporter& reporter);

}  // namespace nstopo::apply
