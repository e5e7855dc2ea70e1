#pragma once
// What the pipeline tells of a run, in typed events: the CLI renders them (text, JSON; a new
// format is a new Reporter), the unit tests record them. The pipeline itself never prints.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "apply/lab.h"
#include "model/action.h"
#include "model/error.h"
#include "plan/planner.h"
#include "plan/status.h"

namespace nstopo::apply {

enum class Mode { plan, apply, destroy, status };

std::string_view verb(Mode mode);  // "plan", "apply", "destroy", "status"

// What a run is, as the reporter is first told.
struct RunInfo {
  Mode mode = Mode::plan;
  std::string lab;
  std::string file;  // empty for destroy --name
};

// The summary of a run that changed the lab.
struct RunSummary {
  int created = 0, changed = 0, deleted = 0;
  std::chrono::nanoseconds took{};
  int verify_checks = 0;
};

// status: one declared object and its live state; for a service, what its probe found.
struct StatusObject {
  const plan::StatusEntry& entry;
  const model::ObservedService* service = nullptr;  // a service the records name
  std::optional<ServiceLive> live;                  // ... found running
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
  // What the checks before any change found (plan/preflight.h), when they found something:
  // errors (`failed` follows) and warnings (apply without --force: `failed` follows).
  virtual void findings(const std::vector<plan::Finding>& /*findings*/) {}
  // Declared objects that exist but are not the lab's: `failed` (ErrorKind::conflict) follows.
  virtual void conflicts(const std::vector<plan::Conflict>& /*conflicts*/) {}
  // plan, or --dry-run: the plan is the result; nothing was changed.
  virtual void planned(const model::Plan& /*plan*/) {}
  // Nothing to change (checked in `took`).
  virtual void unchanged(std::chrono::nanoseconds /*took*/) {}
  // The changes begin.
  virtual void executing(const model::Plan& /*plan*/) {}
  // An action begins (for a group made side by side, each of them as the group starts).
  virtual void action_started(const model::Action& /*action*/) {}
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

}  // namespace nstopo::apply
