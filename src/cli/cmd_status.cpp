// nstopo status FILE: every declared object with its live state; services with PID, uptime
// and readiness. Read-only: it does not take the lab's lock.
#include <cstdio>

#include "cli/exit_codes.h"
#include "cli/lab_session.h"
#include "cli/render.h"
#include "cli/topology_file.h"
#include "plan/status.h"
#include "services/proc.h"
#include "services/readiness.h"

namespace nstopo::cli {

namespace {

std::string duration_text(std::chrono::seconds s) {
  auto n = s.count();
  if (n < 60) return fmt::format("{}s", n);
  if (n < 3600) return fmt::format("{}m{}s", n / 60, n % 60);
  return fmt::format("{}h{}m", n / 3600, (n % 3600) / 60);
}

struct ServiceLive {
  const model::ObservedService* observed = nullptr;
  std::optional<std::chrono::seconds> uptime;
  bool ready = false;
};

ServiceLive service_live(LabSession& session, const model::ObservedState& observed,
                         const model::Namespace& ns, const model::Service& service) {
  ServiceLive live;
  for (auto& s : observed.services)
    if (s.ns == ns.name && s.name == service.name) live.observed = &s;
  if (!live.observed || !live.observed->running) return live;
  live.uptime = services::uptime_since(live.observed->start_time);
  auto spec = services::service_process_spec(session.global().netns_dir, ns.name, service);
  live.ready = services::probe_ready_once(session.spawner(), spec, service, live.observed->pid,
                                          std::chrono::milliseconds(500));
  return live;
}

}  // namespace

int run_status(const GlobalOptions& global, const StatusArgs& args) {
  auto topology = load_topology_or_report(args.file);
  if (!topology) return exit_code(ExitCode::error);
  auto session = LabSession::open(global, topology->name, /*lock=*/false, false);
  if (!session) {
    print_error(session.error());
    return exit_code(exit_code_for(session.error()));
  }
  auto request = plan::observe_request(*topology, (*session)->state().namespaces);
  auto observed = (*session)->observe(request);
  if (!observed) {
    print_error(observed.error());
    return exit_code(exit_code_for(observed.error()));
  }
  auto entries = plan::status(*topology, *observed);

  auto document = nlohmann::json{{"lab", topology->name}, {"file", args.file}};
  auto list = nlohmann::json::array();
  std::map<plan::LiveState, int> totals;
  if (args.output == OutputFormat::text) std::printf("Lab %s (%s):\n", topology->name.c_str(), args.file.c_str());
  for (auto& e : entries) {
    ++totals[e.state];
    nlohmann::json j{{"kind", e.kind}, {"object", e.object}, {"state", plan::to_string(e.state)}};
    if (!e.detail.empty()) j["detail"] = e.detail;
    std::string text = std::string(plan::to_string(e.state));
    if (e.kind == "service") {
      auto* ns = topology->find_namespace(e.key.ns);
      auto live = service_live(**session, *observed, *ns, ns->services.at(e.key.name));
      if (live.observed && live.observed->running) {
        j["pid"] = live.observed->pid;
        j["running"] = true;
        j["ready"] = live.ready;
        if (live.uptime) j["uptime_seconds"] = live.uptime->count();
        text = fmt::format("running, pid {}, up {}, {}", live.observed->pid,
                           live.uptime ? duration_text(*live.uptime) : "?",
                           live.ready ? "ready" : "not ready");
        if (e.state != plan::LiveState::present) text += ", " + std::string(plan::to_string(e.state));
      } else {
        j["running"] = false;
        text = live.observed ? fmt::format("not running (pid {} exited)", live.observed->pid) : "not running";
      }
    }
    if (!e.detail.empty() && e.kind != "service" && e.detail != plan::to_string(e.state))
      text += " (" + e.detail + ")";
    list.push_back(j);
    if (args.output == OutputFormat::text)
      std::printf("  %-9s %-48s %s\n", e.kind.c_str(), e.object.c_str(), text.c_str());
  }
  document["objects"] = list;
  document["summary"] = {{"present", totals[plan::LiveState::present]},
                         {"missing", totals[plan::LiveState::missing]},
                         {"drifted", totals[plan::LiveState::drifted]},
                         {"conflict", totals[plan::LiveState::conflict]}};
  if (args.output == OutputFormat::json) {
    print_json(document);
  } else {
    std::printf("%d present, %d missing, %d drifted, %d in conflict.\n",
                totals[plan::LiveState::present], totals[plan::LiveState::missing],
                totals[plan::LiveState::drifted], totals[plan::LiveState::conflict]);
  }
  if (!args.detailed_exitcode) return exit_code(ExitCode::ok);
  auto t = plan::totals(entries);
  if (t.conflict > 0) return exit_code(ExitCode::conflict);
  if (t.missing > 0 || t.drifted > 0) return exit_code(ExitCode::changes_pending);
  return exit_code(ExitCode::ok);
}

}  // namespace nstopo::cli
