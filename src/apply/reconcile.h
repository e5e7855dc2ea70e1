#pragma once
// The pipeline behind plan, apply and destroy (ARCHITECTURE.md, "The pipeline"): open the lab
// (its lock, then its records), observe, plan, stop at conflicts, stop after the plan for
// `plan` / --dry-run, execute with undo, verify. destroy is apply toward an empty lab.
//
// Everything outside is a seam: the lab (LabStore/Lab: lock, records, the real Observer and
// Executor) and a Reporter told, in typed events, what happens. This layer never prints; the
// CLI builds the real collaborators and renders the events (text, JSON).
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "apply/verify.h"
#include "model/seams.h"
#include "model/topology.h"
#include "plan/planner.h"
#include "plan/status.h"

namespace nstopo::apply {

enum class Mode { plan, apply, destroy, status };

std::string_view verb(Mode mode);  // "plan", "apply", "destroy", "status"

// What a probe found of a declared service that runs (status).
struct ServiceLive {
  std::optional<std::chrono::seconds> uptime;
  bool ready = false;
};

// One lab, opened: its lock is held (for as long as this lives) and its records are read.
class Lab {
 public:
  virtual ~Lab() = default;
  // The kernel's view plus the services the records say are running.
  virtual model::Observer& observer() = 0;
  virtual model::Executor& executor() = 0;
  // The namespaces the records hold as the lab's.
  virtual const std::set<std::string>& recorded_namespaces() const = 0;
  // Before the first change: the plan's adopted namespaces become the lab's, its forgotten
  // ones (made again outside nstopo) are dropped, and an apply of a file records the file.
  virtual void record_plan(const plan::PlanResult& result,
                           const std::optional<std::string>& topology_file) = 0;
  // Forgets the lab's records (and its lock's directory) once nothing of it is left.
  virtual Result<void> forget() = 0;
  // status: one readiness probe of a declared service found running, with its uptime.
  virtual ServiceLive probe_service(const model::Namespace& ns, const model::Service& service,
                                    const model::ObservedService& observed) = 0;
};

// Opens labs: the privilege check first, then the lab's lock (waiting unless `no_wait`:
// a held lock is then an ErrorKind::busy error), then its records.
class LabStore {
 public:
  virtual ~LabStore() = default;
  virtual Result<std::unique_ptr<Lab>> open(const std::string& lab, bool no_wait) = 0;
  // Without the lock, for what only reads and may run beside an apply (status).
  virtual Result<std::unique_ptr<Lab>> open_unlocked(const std::string& lab) = 0;
};

// What a run is, as the reporter is first told.
struct RunInfo {
  Mode mode = Mode::plan;
  std::string lab;
  std::string file;  // empty for destroy --name
};

// status: one declared object and its live state; for a service, what its probe found.
struct StatusObject {
  const plan::StatusEntry& entry;
  const model::ObservedService* service = nullptr;  // a service the records name
  std::optional<ServiceLive> live;                  // ... found running
};

// The summary of a run that changed the lab.
struct RunSummary {
  int created = 0, changed = 0, deleted = 0;
  std::chrono::nanoseconds took{};
  int verify_checks = 0;
};

// Told, in order, what the pipeline does. Every run begins with `begin` and ends with exactly
// one of `failed`, `planned`, `unchanged` or `applied` (status: `failed` or
// `status_summary`), except that a destroy whose records could not be removed after
// `unchanged` ends with `failed` too.
class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void begin(const RunInfo& /*run*/) {}
  // The plan, made without conflicts (every mode).
  virtual void plan_ready(const model::Plan& /*plan*/) {}
  // Declared objects that exist but are not the lab's: `failed` (ErrorKind::conflict) follows.
  virtual void conflicts(const std::vector<plan::Conflict>& /*conflicts*/) {}
  // plan, or --dry-run: the plan is the result; nothing was changed.
  virtual void planned(const model::Plan& /*plan*/) {}
  // Nothing to change (checked in `took`).
  virtual void unchanged(std::chrono::nanoseconds /*took*/) {}
  // The changes begin.
  virtual void executing(const model::Plan& /*plan*/) {}
  virtual void action_done(const model::Action& /*action*/, std::chrono::nanoseconds /*took*/) {}
  virtual void action_failed(const model::Action& /*action*/, const Error& /*error*/) {}
  virtual void undo_done(const model::Action& /*undo*/, const Result<void>& /*outcome*/) {}
  // Observed again: the lab matches the file.
  virtual void verified(int /*checks*/) {}
  virtual void applied(const RunSummary& /*summary*/) {}
  // The run stopped with this error (conflicts, lock, kernel, undo, verify, interruption).
  virtual void failed(const Error& /*error*/) {}

  // status (apply::status): the lab was observed; then each declared object, then the counts.
  virtual void status_begin() {}
  virtual void status_object(const StatusObject& /*object*/) {}
  virtual void status_summary(const plan::StatusTotals& /*totals*/) {}
};

struct ReconcileRequest {
  Mode mode = Mode::plan;
  model::Topology desired;  // destroy: plan::empty_topology(lab)
  std::string file;         // for messages and the lab's record; empty for destroy --name
  plan::PlanOptions options;
  bool dry_run = false;  // stop after the plan
  bool no_wait = false;  // a held lock is an error, not a wait
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
