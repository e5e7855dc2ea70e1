// The documents scripts read (-o json, -o yaml): one on stdout when the run ends, in the
// shape schemas/output.schema.json fixes.
#include <cstdio>

#include "cli/render.h"
#include "cli/report.h"
#include "plan/format.h"

namespace nstopo::cli {

namespace {

nlohmann::json summary_json(int create, int change, int remove) {
  return {{"create", create}, {"change", change}, {"delete", remove}};
}

class DocumentReporter final : public apply::Reporter {
 public:
  explicit DocumentReporter(OutputFormat format) : format_(format) {}

  void begin(const apply::RunInfo& run) override {
    document_ = document(apply::verb(run.mode));
    document_["lab"] = run.lab;
    if (!run.file.empty()) document_["file"] = run.file;
    if (run.mode == apply::Mode::status) document_["objects"] = nlohmann::json::array();
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
    print_json();
  }

  void unchanged(std::chrono::nanoseconds took) override {
    document_["changes"] = nlohmann::json::array();
    document_["changed"] = false;
    document_["seconds"] = std::chrono::duration<double>(took).count();
    print_json();
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
    print_json();
  }

  void failed(const Error& error) override {
    document_["error"] = error_json(error);
    print_json();
  }

  void status_object(const apply::StatusObject& object) override {
    const auto& e = object.entry;
    nlohmann::json j{{"object", e.object}, {"state", plan::to_string(e.state)}};
    add_object_ref(j, e.key);
    if (e.key.kind == model::ObjectKind::link) j["link_kind"] = e.kind;
    if (!e.detail.empty()) j["detail"] = e.detail;
    if (e.key.kind == model::ObjectKind::service) {
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
    print_json();
  }

 private:
  void print_json() { print_document(document_, format_); }

  OutputFormat format_;
  nlohmann::json document_;
};

}  // namespace

std::unique_ptr<apply::Reporter> make_document_reporter(OutputFormat format) {
  return std::make_unique<DocumentReporter>(format);
}

}  // namespace nstopo::cli
