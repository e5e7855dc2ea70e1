// The JSON scripts read: one document on stdout when the run ends.
#include <cstdio>

#include "cli/render.h"
#include "cli/report.h"
#include "plan/format.h"

namespace nstopo::cli {

namespace {

nlohmann::json summary_json(int create, int change, int remove) {
  return {{"create", create}, {"change", change}, {"delete", remove}};
}

class JsonReporter final : public apply::Reporter {
 public:
  void begin(const apply::RunInfo& run) override {
    mode_ = run.mode;
    if (run.mode == apply::Mode::status) {
      document_ = {{"lab", run.lab}, {"file", run.file}};
      document_["objects"] = nlohmann::json::array();
      return;
    }
    document_ = {{"command", apply::verb(run.mode)}, {"lab", run.lab}};
    if (!run.file.empty()) document_["file"] = run.file;
  }

  void findings(const std::vector<plan::Finding>& findings) override {
    auto list = nlohmann::json::array();
    for (const auto& f : findings)
      list.push_back({{"severity", f.severity == plan::Finding::Severity::error ? "error" : "warning"},
                      {"kind", model::to_string(f.key.kind)},
                      {"namespace", f.key.ns},
                      {"name", f.key.name},
                      {"object", f.key.to_string()},
                      {"message", f.message}});
    document_["findings"] = list;
  }

  void conflicts(const std::vector<plan::Conflict>& conflicts) override {
    document_["conflicts"] = conflicts_json(conflicts);
  }

  void planned(const model::Plan& plan) override {
    auto counts = plan::count(plan);
    auto actions = nlohmann::json::array();
    for (auto& a : plan.actions) actions.push_back(action_json(a));
    document_["actions"] = actions;
    document_["summary"] = summary_json(counts.create, counts.change, counts.remove);
    print_json(document_);
  }

  void unchanged(std::chrono::nanoseconds took) override {
    document_["changes"] = nlohmann::json::array();
    document_["changed"] = false;
    document_["seconds"] = std::chrono::duration<double>(took).count();
    print_json(document_);
  }

  void executing(const model::Plan&) override { document_["changes"] = nlohmann::json::array(); }

  void action_done(const model::Action& action, std::chrono::nanoseconds took) override {
    document_["changes"].push_back(action_json(action, took));
  }

  void action_failed(const model::Action&, const Error&) override { std::fflush(stdout); }

  void undo_done(const model::Action&, const Result<void>&) override { std::fflush(stdout); }

  void applied(const apply::RunSummary& s) override {
    document_["changed"] = true;
    document_["summary"] = summary_json(s.created, s.changed, s.deleted);
    document_["seconds"] = std::chrono::duration<double>(s.took).count();
    document_["verify_checks"] = s.verify_checks;
    print_json(document_);
  }

  void failed(const Error& error) override {
    if (mode_ == apply::Mode::status) {  // status says why it could not look, as text
      print_error(error);
      return;
    }
    document_["error"] = error_json(error);
    print_json(document_);
  }

  void status_object(const apply::StatusObject& object) override {
    const auto& e = object.entry;
    nlohmann::json j{{"kind", e.kind}, {"object", e.object}, {"state", plan::to_string(e.state)}};
    if (!e.detail.empty()) j["detail"] = e.detail;
    if (e.kind == "service") {
      if (object.live) {
        j["pid"] = object.service->pid;
        j["running"] = true;
        j["ready"] = object.live->ready;
        if (object.live->uptime) j["uptime_seconds"] = object.live->uptime->count();
      } else {
        j["running"] = false;
      }
    }
    document_["objects"].push_back(j);
  }

  void status_summary(const plan::StatusTotals& t) override {
    document_["summary"] = {{"present", t.present},
                            {"missing", t.missing},
                            {"drifted", t.drifted},
                            {"conflict", t.conflict}};
    print_json(document_);
  }

 private:
  apply::Mode mode_ = apply::Mode::plan;
  nlohmann::json document_;
};

}  // namespace

std::unique_ptr<apply::Reporter> make_json_reporter() { return std::make_unique<JsonReporter>(); }

}  // namespace nstopo::cli
