// Services: running with the same spec means nothing to do; dead means start again; a
// changed spec means restart (stop, then start); no longer declared means stop.
#include <sys/wait.h>

#include <cstring>

#include "plan/diff_context.h"

namespace nstopo::plan {

namespace {

// "exited", or with the status nstopo saw when the process was its own child.
std::string ended(const model::ObservedService& s) {
  if (!s.exit_status) return "exited";
  int status = *s.exit_status;
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return fmt::format("killed by SIG{}", ::sigabbrev_np(WTERMSIG(status)));
  return "exited";
}

}  // namespace

void diff_services(DiffContext& ctx) {
  std::map<std::string, const model::ObservedService*> recorded;
  for (auto& s : ctx.observed.services) recorded[s.ns + "/" + s.name] = &s;

  // The spec it was started with goes along: undoing the stop starts it again.
  auto stop = [&](const model::ObservedService& s, std::chrono::milliseconds grace,
                  model::Reason reason) {
    ctx.add(model::StopService{s.ns, s.name, s.pid, s.start_time, grace, s.spec}, std::move(reason));
  };

  std::set<std::string> declared;
  auto diff = [&](const model::Namespace& ns) {
    if (ctx.namespace_foreign(ns.name)) return;
    for (auto& [name, service] : ns.services) {
      std::string key = ns.name + "/" + name;
      declared.insert(key);
      auto it = recorded.find(key);
      if (it == recorded.end()) {
        ctx.add(model::StartService{ns.name, service}, model::Reason::missing("not running"));
        continue;
      }
      auto& have = *it->second;
      if (!have.running) {
        ctx.add(model::StartService{ns.name, service},
                model::Reason::missing(fmt::format("{} (was pid {})", ended(have), have.pid)));
      } else if (ctx.namespace_fresh(ns.name)) {
        stop(have, service.stop_grace, model::Reason::differs("its namespace was deleted outside nstopo"));
        ctx.add(model::StartService{ns.name, service}, model::Reason::missing("namespace recreated"));
      } else if (have.spec_hash != service.spec_hash()) {
        stop(have, service.stop_grace, model::Reason::differs("spec changed"));
        ctx.add(model::StartService{ns.name, service}, model::Reason::differs("spec changed"));
      }
    }
  };
  diff(ctx.desired.host);
  for (auto& [name, ns] : ctx.desired.namespaces) diff(ns);

  for (auto& [key, s] : recorded)
    if (!declared.contains(key))
      stop(*s, s->stop_grace.value_or(model::Service{}.stop_grace),
           model::Reason::not_declared(s->running ? "" : "not declared (exited)"));
}

}  // namespace nstopo::plan
