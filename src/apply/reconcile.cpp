#include "apply/reconcile.h"

#include "apply/run.h"
#include "model/interruption.h"
#include "plan/format.h"

namespace nstopo::apply {

std::string_view verb(Mode mode) {
  switch (mode) {
    case Mode::plan: return "plan";
    case Mode::apply: return "apply";
    case Mode::destroy: return "destroy";
    case Mode::status: return "status";
  }
  return "plan";
}

namespace {

using Clock = std::chrono::steady_clock;

// run_plan's progress, passed on to the reporter.
class ReporterProgress final : public Progress {
 public:
  explicit ReporterProgress(Reporter& reporter) : reporter_(reporter) {}
  void action_started(const model::Action& action) override { reporter_.action_started(action); }
  void action_done(const model::Action& action, std::chrono::nanoseconds took) override {
    reporter_.action_done(action, took);
  }
  void action_failed(const model::Action& action, const Error& error) override {
    reporter_.action_failed(action, error);
  }
  void undo_done(const model::Action& undo, const Result<void>& outcome) override {
    reporter_.undo_done(undo, outcome);
  }

 private:
  Reporter& reporter_;
};

class Reconciler {
 public:
  Reconciler(const ReconcileRequest& request, LabStore& labs, Reporter& reporter)
      : request_(request), labs_(labs), reporter_(reporter), lab_name_(request.desired.name) {}

  Result<ReconcileOutcome> run() {
    auto start = Clock::now();
    reporter_.begin({.mode = request_.mode, .lab = lab_name_, .file = request_.file});
    // Lock the lab and read its records (the kernel layer checks privileges first).
    auto lab = labs_.open(lab_name_, request_.no_wait);
    if (!lab) return failed(lab.error());
    lab_ = std::move(*lab);

    // Observe the host, every declared namespace and every namespace the lab recorded.
    auto observe_request = plan::observe_request(request_.desired, lab_->recorded_namespaces());
    auto observed = lab_->observer().observe(observe_request);
    if (!observed) return failed(observed.error());
    if (model::interrupted())
      return failed({ErrorKind::interrupted,
                     fmt::format("interrupted by {} before any change: nothing was changed",
                                 model::signal_name(model::interruption_signal())),
                     lab_name_});

    // Plan: pure diff, each action with its reason.
    auto result = plan::plan(request_.desired, *observed, request_.options);

    // What only the live system shows (plan/preflight.h): errors stop plan and apply, warnings
    // stop apply unless --force. Conflicts are reported with them; either stops before the
    // first change.
    if (!result.findings.empty()) reporter_.findings(result.findings);
    if (auto stop = stopped_by_findings(result)) {
      if (!result.conflicts.empty()) reporter_.conflicts(result.conflicts);
      return failed(std::move(*stop));
    }

    // Conflicts stop everything before the first change: nothing that is not ours is touched.
    if (!result.conflicts.empty()) return conflicted(result);
    reporter_.plan_ready(result.plan);
    if (request_.unrecorded_lab_known_labs && result.plan.empty()) return no_such_lab();

    // The plan is the result of plan and --dry-run.
    bool changes = !result.plan.empty();
    if (request_.mode == Mode::plan || request_.dry_run) {
      reporter_.planned(result.plan);
      return ReconcileOutcome{.changes_pending = changes};
    }
    if (!changes) return unchanged(start);

    // Execute in order; the first failure undoes this run's changes.
    lab_->record_plan(result, request_.mode == Mode::apply && !request_.file.empty()
                                  ? std::optional<std::string>(request_.file)
                                  : std::nullopt);
    reporter_.executing(result.plan);
    ReporterProgress progress(reporter_);
    auto ran = run_plan(result.plan, lab_->executor(), progress,
                        {.undo_when_interrupted = request_.mode != Mode::destroy});
    if (!ran) return failed(ran.error());

    // Verify: observe again until the diff is empty (bounded retry).
    auto verified = verify(request_.desired, lab_->observer(), observe_request, request_.verify);
    if (!verified) return failed(verified.error());
    reporter_.verified(verified->checks);

    // Destroy leaves no record behind once nothing of the lab is left.
    if (request_.mode == Mode::destroy)
      if (auto forgotten = lab_->forget(); !forgotten) return failed(forgotten.error());
    auto counts = plan::count(result.plan);
    reporter_.applied({.created = counts.create,
                       .changed = counts.change,
                       .deleted = counts.remove,
                       .took = Clock::now() - start,
                       .verify_checks = verified->checks});
    return ReconcileOutcome{};
  }

 private:
  // The error that stops the run before any change, given what preflight found: any error;
  // a warning, for an apply (not a dry run) without --force. The findings themselves were
  // reported (Reporter::findings); the error only sums them up.
  std::optional<Error> stopped_by_findings(const plan::PlanResult& result) const {
    size_t errors = 0, warnings = 0;
    for (const auto& f : result.findings)
      ++(f.severity == plan::Finding::Severity::error ? errors : warnings);
    if (errors > 0)
      return Error{ErrorKind::invalid_input,
                   fmt::format("lab {}: {} problem{} found before any change; nothing was changed",
                               lab_name_, errors, errors == 1 ? "" : "s"),
                   lab_name_};
    bool applying = request_.mode == Mode::apply && !request_.dry_run;
    if (warnings == 0 || !applying || request_.force) return std::nullopt;
    return Error{ErrorKind::conflict,
                 fmt::format("lab {}: {} warning{} above; nothing was changed (apply --force "
                             "applies anyway)",
                             lab_name_, warnings, warnings == 1 ? "" : "s"),
                 lab_name_};
  }

  std::unexpected<Error> failed(Error error) {
    reporter_.failed(error);
    return std::unexpected(std::move(error));
  }

  std::unexpected<Error> conflicted(const plan::PlanResult& result) {
    auto n = result.conflicts.size();
    Error error{ErrorKind::conflict,
                fmt::format("lab {}: {} declared object{} exist{} but {} not created by nstopo; "
                            "nothing was changed",
                            lab_name_, n, n == 1 ? "" : "s", n == 1 ? "s" : "", n == 1 ? "was" : "were"),
                lab_name_};
    for (auto& c : result.conflicts) error.notes.push_back("  " + c.message);
    reporter_.conflicts(result.conflicts);
    return failed(std::move(error));
  }

  // destroy --name NAME: no record of NAME and nothing of it in the kernel.
  std::unexpected<Error> no_such_lab() {
    (void)lab_->forget();  // the lock's directory, made by this run
    const auto& known = *request_.unrecorded_lab_known_labs;
    std::string list;
    for (auto& name : known) list += (list.empty() ? "" : ", ") + name;
    return failed({ErrorKind::invalid_input,
                   known.empty() ? fmt::format("no such lab {}; no labs are recorded (in {})",
                                               lab_name_, request_.state_dir)
                                 : fmt::format("no such lab {}; known labs: {}", lab_name_, list),
                   lab_name_});
  }

  Result<ReconcileOutcome> unchanged(Clock::time_point start) {
    reporter_.unchanged(Clock::now() - start);
    if (request_.mode == Mode::destroy)
      if (auto forgotten = lab_->forget(); !forgotten) return failed(forgotten.error());
    return ReconcileOutcome{};
  }

  const ReconcileRequest& request_;
  LabStore& labs_;
  Reporter& reporter_;
  std::string lab_name_;
  std::unique_ptr<Lab> lab_;
};

}  // namespace

Result<ReconcileOutcome> reconcile(const ReconcileRequest& request, LabStore& labs,
                                   Reporter& reporter) {
  return Reconciler(request, labs, reporter).run();
}

}  // namespace nstopo::apply
