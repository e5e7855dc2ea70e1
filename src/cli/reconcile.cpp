#include "cli/reconcile.h"

#include <cstdio>
#include <filesystem>

#include "apply/run.h"
#include "apply/verify.h"
#include "cli/exit_codes.h"
#include "cli/interrupt_handlers.h"
#include "cli/lab_session.h"
#include "cli/render.h"
#include "model/interruption.h"
#include "plan/format.h"

namespace nstopo::cli {

namespace {

using Clock = std::chrono::steady_clock;

std::string_view verb(ReconcileMode mode) {
  switch (mode) {
    case ReconcileMode::plan: return "plan";
    case ReconcileMode::apply: return "apply";
    case ReconcileMode::destroy: return "destroy";
  }
  return "plan";
}

// Prints each change as it lands (text), or collects it for the final document (JSON).
class ReportingProgress final : public apply::Progress {
 public:
  ReportingProgress(OutputFormat output, nlohmann::json& changes) : output_(output), changes_(changes) {}

  void action_done(const model::Action& action, std::chrono::nanoseconds took) override {
    changes_.push_back(action_json(action, took));
    if (output_ == OutputFormat::text) {
      std::printf("%s  [%s]\n", plan::format_action(action).c_str(), seconds_text(took).c_str());
      flush_now_and_then();
    }
  }
  void action_failed(const model::Action& action, const Error&) override {
    if (output_ == OutputFormat::text) std::printf("%s  [failed]\n", plan::format_action(action).c_str());
    std::fflush(stdout);  // before the error, which goes to stderr
  }
  void undo_done(const model::Action& undo, const Result<void>& outcome) override {
    if (output_ == OutputFormat::text)
      std::printf("  undo: %c %s  [%s]\n", static_cast<char>(undo.change()), undo.describe().c_str(),
                  outcome ? "done" : "failed");
    std::fflush(stdout);
  }

 private:
  // Progress reaches a pipe (a CI log, `tee`) at least every 50 ms, not one write per line:
  // a 1000-namespace apply prints 4000 lines in about two seconds.
  void flush_now_and_then() {
    auto now = Clock::now();
    if (now - last_flush_ < std::chrono::milliseconds(50)) return;
    std::fflush(stdout);
    last_flush_ = now;
  }

  OutputFormat output_;
  nlohmann::json& changes_;
  Clock::time_point last_flush_{};
};

class Reconciler {
 public:
  Reconciler(const GlobalOptions& global, const ReconcileRequest& request)
      : global_(global), request_(request), lab_(request.desired.name) {
    document_ = {{"command", verb(request.mode)}, {"lab", lab_}};
    if (!request.file.empty()) document_["file"] = request.file;
  }

  int run() {
    auto start = Clock::now();
    // Lock the lab and read its records (the kernel layer checks privileges first).
    auto session = LabSession::open(global_, lab_, /*lock=*/true, request_.no_wait);
    if (!session) return failed(session.error());
    session_ = std::move(*session);

    // Observe the host, every declared namespace and every namespace the lab recorded.
    auto observe_request = plan::observe_request(request_.desired, session_->state().namespaces);
    auto observed = session_->observe(observe_request);
    if (!observed) return failed(observed.error());
    if (model::interrupted())
      return failed({ErrorKind::interrupted,
                     fmt::format("interrupted by {} before any change: nothing was changed",
                                 model::signal_name(model::interruption_signal())),
                     lab_});

    // Plan: pure diff, each action with its reason.
    auto result = plan::plan(request_.desired, *observed, request_.options);

    // Conflicts stop everything before the first change: nothing that is not ours is touched.
    if (!result.conflicts.empty()) return conflicted(result);
    if (request_.unrecorded_lab_known_labs && result.plan.empty()) return no_such_lab();

    // Print the plan; plan and --dry-run stop here.
    bool changes = !result.plan.empty();
    if (request_.mode == ReconcileMode::plan || request_.dry_run) return planned(result.plan);
    if (!changes) return unchanged(start);

    // Execute in order; the first failure undoes this run's changes.
    auto& state = session_->state();
    state.namespaces.insert(result.adopted_namespaces.begin(), result.adopted_namespaces.end());
    // An adopted namespace's identity is its current one (the kernel records it); one made
    // again by someone else under a recorded name is not the lab's: its record goes.
    for (auto& ns : result.adopted_namespaces) state.namespace_cookies.erase(ns);
    for (auto& ns : result.forgotten_namespaces) {
      state.namespaces.erase(ns);
      state.namespace_cookies.erase(ns);
    }
    if (request_.mode == ReconcileMode::apply && !request_.file.empty())
      state.topology_file = std::filesystem::absolute(request_.file).string();
    if (request_.output == OutputFormat::text)
      std::printf("Lab %s: %s\n", lab_.c_str(), verb(request_.mode) == "destroy" ? "destroying" : "applying");
    document_["changes"] = nlohmann::json::array();
    ReportingProgress progress(request_.output, document_["changes"]);
    auto ran = apply::run_plan(result.plan, session_->executor(), progress,
                               {.undo_when_interrupted = request_.mode != ReconcileMode::destroy});
    if (!ran) return failed(ran.error());

    // Verify: observe again until the diff is empty (bounded retry).
    auto verified = apply::verify(request_.desired, *session_, observe_request);
    if (!verified) return failed(verified.error());

    // Destroy leaves no record behind once nothing of the lab is left.
    if (request_.mode == ReconcileMode::destroy)
      if (auto forgotten = session_->forget(); !forgotten) return failed(forgotten.error());
    return applied(result.plan, Clock::now() - start, verified->checks);
  }

 private:
  int failed(const Error& error) {
    if (request_.output == OutputFormat::json) {
      document_["error"] = error_json(error);
      print_json(document_);
    } else {
      print_error(error);
    }
    return exit_code(exit_code_for(error));
  }

  int conflicted(const plan::PlanResult& result) {
    Error error{ErrorKind::conflict,
                fmt::format("lab {}: {} declared object{} exist{} but {} not created by nstopo; "
                            "nothing was changed",
                            lab_, result.conflicts.size(), result.conflicts.size() == 1 ? "" : "s",
                            result.conflicts.size() == 1 ? "s" : "", result.conflicts.size() == 1 ? "was" : "were"),
                lab_};
    for (auto& c : result.conflicts) error.notes.push_back("  " + c.message);
    document_["conflicts"] = conflicts_json(result.conflicts);
    return failed(error);
  }

  // destroy --name NAME: no record of NAME and nothing of it in the kernel.
  int no_such_lab() {
    (void)session_->forget();  // the lock's directory, made by this run
    const auto& known = *request_.unrecorded_lab_known_labs;
    std::string list;
    for (auto& name : known) list += (list.empty() ? "" : ", ") + name;
    return failed({ErrorKind::invalid_input,
                   known.empty() ? fmt::format("no such lab {}; no labs are recorded (in {})", lab_,
                                               global_.state_dir)
                                 : fmt::format("no such lab {}; known labs: {}", lab_, list),
                   lab_});
  }

  int planned(const model::Plan& plan) {
    auto counts = plan::count(plan);
    if (request_.output == OutputFormat::json) {
      auto actions = nlohmann::json::array();
      for (auto& a : plan.actions) actions.push_back(action_json(a));
      document_["actions"] = actions;
      document_["summary"] = {{"create", counts.create}, {"change", counts.change}, {"delete", counts.remove}};
      print_json(document_);
    } else {
      std::printf("Lab %s%s:\n%s", lab_.c_str(),
                  request_.file.empty() ? "" : fmt::format(" ({})", request_.file).c_str(),
                  plan::format_plan(plan).c_str());
    }
    bool pending = !plan.empty();
    return exit_code(request_.detailed_exitcode && pending ? ExitCode::changes_pending : ExitCode::ok);
  }

  int unchanged(Clock::time_point start) {
    auto took = Clock::now() - start;
    if (request_.output == OutputFormat::json) {
      document_["changes"] = nlohmann::json::array();
      document_["changed"] = false;
      document_["seconds"] = std::chrono::duration<double>(took).count();
      print_json(document_);
    } else if (request_.mode == ReconcileMode::destroy) {
      std::printf("Nothing to destroy: lab %s has nothing left (checked in %s).\n", lab_.c_str(),
                  seconds_text(took).c_str());
    } else {
      std::printf("No changes: lab %s matches %s (checked in %s).\n", lab_.c_str(),
                  request_.file.c_str(), seconds_text(took).c_str());
    }
    if (request_.mode == ReconcileMode::destroy)
      if (auto forgotten = session_->forget(); !forgotten) return failed(forgotten.error());
    return exit_code(ExitCode::ok);
  }

  int applied(const model::Plan& plan, std::chrono::nanoseconds took, int checks) {
    auto counts = plan::count(plan);
    if (request_.output == OutputFormat::json) {
      document_["changed"] = true;
      document_["summary"] = {{"create", counts.create}, {"change", counts.change}, {"delete", counts.remove}};
      document_["seconds"] = std::chrono::duration<double>(took).count();
      document_["verify_checks"] = checks;
      print_json(document_);
    } else {
      std::printf("%s complete: lab %s: %d created, %d changed, %d deleted in %s (verified after %d check%s).\n",
                  request_.mode == ReconcileMode::destroy ? "Destroy" : "Apply", lab_.c_str(),
                  counts.create, counts.change, counts.remove, seconds_text(took).c_str(), checks,
                  checks == 1 ? "" : "s");
    }
    return exit_code(ExitCode::ok);
  }

  const GlobalOptions& global_;
  const ReconcileRequest& request_;
  std::string lab_;
  nlohmann::json document_;
  std::unique_ptr<LabSession> session_;
};

}  // namespace

int reconcile(const GlobalOptions& global, const ReconcileRequest& request) {
  InterruptHandlers handlers;  // a first SIGINT/SIGTERM stops at an action boundary, undone
  return Reconciler(global, request).run();
}

}  // namespace nstopo::cli
