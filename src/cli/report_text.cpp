// The text people read: progress as each change lands, errors on stderr. On a terminal the
// changes are coloured and a long run shows one live line (cli/terminal.h decides).
#include <cstdio>

#include "cli/progress_line.h"
#include "cli/render.h"
#include "cli/report.h"
#include "plan/format.h"

namespace nstopo::cli {

namespace {

using Clock = std::chrono::steady_clock;

std::string duration_text(std::chrono::seconds s) {
  auto n = s.count();
  if (n < 60) return fmt::format("{}s", n);
  if (n < 3600) return fmt::format("{}m{}s", n / 60, n % 60);
  return fmt::format("{}h{}m", n / 3600, (n % 3600) / 60);
}

class TextReporter final : public apply::Reporter {
 public:
  explicit TextReporter(TextStyle style) : style_(style) {}

  void begin(const apply::RunInfo& run) override { run_ = run; }

  // On stderr, as the errors are: the plan on stdout stays a plan.
  void findings(const std::vector<plan::Finding>& findings) override {
    std::fflush(stdout);
    for (const auto& f : findings)
      std::fprintf(stderr, "nstopo: %s: %s\n",
                   f.severity == plan::Finding::Severity::error ? "error" : "warning",
                   f.message.c_str());
  }

  void planned(const model::Plan& plan) override {
    if (style_.quiet) return;
    std::printf("Lab %s%s:\n", run_.lab.c_str(),
                run_.file.empty() ? "" : fmt::format(" ({})", run_.file).c_str());
    if (plan.empty()) {
      std::printf("No changes.\n");
      return;
    }
    for (auto& action : plan.actions)
      std::printf("%s\n", paint(style_, action.change(), plan::format_action(action)).c_str());
    std::printf("%s\n", bold(style_, plan::format_counts(plan::count(plan))).c_str());
  }

  void unchanged(std::chrono::nanoseconds took) override {
    if (style_.quiet) return;
    if (run_.mode == apply::Mode::destroy)
      std::printf("Nothing to destroy: lab %s has nothing left (checked in %s).\n", run_.lab.c_str(),
                  seconds_text(took).c_str());
    else
      std::printf("No changes: lab %s matches %s (checked in %s).\n", run_.lab.c_str(),
                  run_.file.c_str(), seconds_text(took).c_str());
  }

  void executing(const model::Plan& plan) override {
    if (style_.quiet) return;
    const char* verb = run_.mode == apply::Mode::destroy ? "destroying" : "applying";
    if (style_.progress) {
      progress_.start(fmt::format("Lab {}: {}", run_.lab, verb), plan.actions.size());
      return;
    }
    std::printf("Lab %s: %s\n", run_.lab.c_str(), verb);
  }

  void action_started(const model::Action& action) override {
    if (style_.progress)
      progress_.begin_action(paint(style_, action.change(),
                                   fmt::format("{} {}", static_cast<char>(action.change()),
                                               action.describe())));
  }

  void action_done(const model::Action& action, std::chrono::nanoseconds took) override {
    if (style_.quiet) return;
    if (style_.progress) {
      progress_.action_done();
      return;
    }
    std::printf("%s  [%s]\n", paint(style_, action.change(), plan::format_action(action)).c_str(),
                seconds_text(took).c_str());
    flush_now_and_then();
  }

  void action_failed(const model::Action& action, const Error&) override {
    // Even with -q: the error that follows names the action, but the line says where it stopped.
    line(fmt::format("{}  [{}]\n", plan::format_action(action), red(style_, "failed")));
  }

  void undo_done(const model::Action& undo, const Result<void>& outcome) override {
    line(fmt::format("  undo: {} {}  [{}]\n", static_cast<char>(undo.change()), undo.describe(),
                     outcome ? "done" : red(style_, "failed")));
  }

  void applied(const apply::RunSummary& s) override {
    progress_.stop();
    if (style_.quiet) return;
    std::printf("%s complete: lab %s: %d created, %d changed, %d deleted in %s (verified after %d check%s).\n",
                run_.mode == apply::Mode::destroy ? "Destroy" : "Apply", run_.lab.c_str(), s.created,
                s.changed, s.deleted, seconds_text(s.took).c_str(), s.verify_checks,
                s.verify_checks == 1 ? "" : "s");
  }

  void failed(const Error& error) override {
    progress_.stop();
    std::fflush(stdout);  // what was printed comes before the error, which goes to stderr
    print_error(error);
  }

  void status_begin() override {
    if (style_.quiet) return;
    std::printf("Lab %s (%s):\n", run_.lab.c_str(), run_.file.c_str());
  }

  void status_object(const apply::StatusObject& object) override {
    if (style_.quiet) return;
    const auto& e = object.entry;
    std::string text = std::string(plan::to_string(e.state));
    if (e.kind == "service") {
      if (object.live) {
        text = fmt::format("running, pid {}, up {}, {}", object.service->pid,
                           object.live->uptime ? duration_text(*object.live->uptime) : "?",
                           object.live->ready ? "ready" : "not ready");
        if (e.state != plan::LiveState::present) text += ", " + std::string(plan::to_string(e.state));
      } else {
        text = object.service ? fmt::format("not running (pid {} exited)", object.service->pid)
                              : "not running";
      }
    }
    if (!e.detail.empty() && e.kind != "service" && e.detail != plan::to_string(e.state))
      text += " (" + e.detail + ")";
    std::printf("  %-9s %-48s %s\n", e.kind.c_str(), e.object.c_str(), text.c_str());
  }

  void status_summary(const plan::StatusTotals& t) override {
    if (style_.quiet) return;
    std::printf("%d present, %d missing, %d drifted, %d in conflict.\n", t.present, t.missing,
                t.drifted, t.conflict);
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

  // A line printed while the changes run: above the live line when there is one.
  void line(const std::string& text) {
    if (style_.progress) {
      progress_.print_above(text);
      return;
    }
    std::fputs(text.c_str(), stdout);
    std::fflush(stdout);  // before an error, which goes to stderr
  }

  TextStyle style_;
  apply::RunInfo run_;
  ProgressLine progress_;
  Clock::time_point last_flush_{};
};

}  // namespace

std::unique_ptr<apply::Reporter> make_text_reporter(TextStyle style) {
  return std::make_unique<TextReporter>(style);
}

}  // namespace nstopo::cli
