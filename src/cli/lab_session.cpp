#include "cli/lab_session.h"

#include <cstdio>
#include <filesystem>
#include <thread>

#include "model/interruption.h"
#include "services/command_lookup.h"
#include "services/proc.h"
#include "services/readiness.h"

namespace nstopo::cli {

Result<std::unique_ptr<LabSession>> LabSession::open(const GlobalOptions& global,
                                                     const std::string& lab, bool lock,
                                                     bool no_wait) {
  std::unique_ptr<LabSession> session(new LabSession(global));
  session->state_.lab = lab;
  // Privileges first: without them, nothing else can work and the message must say why.
  auto kernel = kernel::NetlinkKernel::open({.netns_dir = global.netns_dir}, session->store_,
                                            session->state_);
  if (!kernel) return std::unexpected(kernel.error());
  session->kernel_ = std::move(*kernel);

  // Two nstopo processes on one lab must not interleave: the second waits (or gives up).
  if (lock) {
    auto held = session->lock_or_wait(lab, no_wait);
    if (!held) return std::unexpected(held.error());
    session->lock_ = std::move(*held);
  }

  // Records are read under the lock, so they are the latest.
  auto state = session->store_.load(lab);
  if (!state) return std::unexpected(state.error());
  session->state_ = std::move(*state);

  session->services_ = std::make_unique<services::ServiceManager>(
      services::ServiceOptions{
          .netns_dir = global.netns_dir,
          .lab = lab,
          .parallel_starts = global.service_starts.value_or(services::kDefaultParallelStarts)},
      session->store_,
      session->state_, session->spawner_);
  session->routing_ =
      std::make_unique<apply::RoutingExecutor>(*session->kernel_, *session->services_);
  return session;
}

// The wait polls a non-blocking flock rather than blocking in flock(2): the signal handler
// restarts system calls (SA_RESTART), so a blocked flock would never see a Ctrl-C. 10 ms
// between tries is nothing next to the run being waited for.
Result<state::LabLock> LabSession::lock_or_wait(const std::string& lab, bool no_wait) {
  auto held = store_.lock(lab, /*wait=*/false, [] {});
  if (held || held.error().kind != ErrorKind::busy || no_wait) return held;
  std::fprintf(stderr, "nstopo: waiting for lab %s: another nstopo is working on it...\n",
               lab.c_str());
  while (!held && held.error().kind == ErrorKind::busy) {
    if (model::interrupted())
      return fail(ErrorKind::interrupted,
                  fmt::format("interrupted by {} while waiting for the lock of lab {}: nothing "
                              "was changed",
                              model::signal_name(model::interruption_signal()), lab),
                  lab);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    held = store_.lock(lab, /*wait=*/false, [] {});
  }
  return held;
}

Result<model::ObservedState> LabSession::observe(const model::ObserveRequest& request) {
  auto observed = kernel_->observe(request);
  if (!observed) return observed;
  observed->services = services_->observe();
  for (const auto& lookup : request.commands)
    if (auto found = services::find_command(lookup)) observed->commands.emplace(lookup, std::move(*found));
  // The lab's namespaces about to be deleted: what still runs inside them is stopped first.
  std::set<std::string> going;
  for (const auto& name : request.links_only)
    if (const auto* ns = observed->find_namespace(name); ns && ns->exists) going.insert(name);
  for (auto& [name, processes] : services_->processes_in(going))
    observed->namespaces[name].processes = std::move(processes);
  return observed;
}

void LabSession::record_plan(const plan::PlanResult& result,
                             const std::optional<std::string>& topology_file) {
  state_.namespaces.insert(result.adopted_namespaces.begin(), result.adopted_namespaces.end());
  // An adopted namespace's identity is its current one (the kernel records it); one made
  // again by someone else under a recorded name is not the lab's: its record goes.
  for (auto& ns : result.adopted_namespaces) state_.namespace_cookies.erase(ns);
  for (auto& ns : result.forgotten_namespaces) {
    state_.namespaces.erase(ns);
    state_.namespace_cookies.erase(ns);
  }
  if (topology_file) state_.topology_file = std::filesystem::absolute(*topology_file).string();
}

Result<void> LabSession::forget() { return store_.remove(state_.lab); }

apply::ServiceLive LabSession::probe_service(const model::Namespace& ns,
                                             const model::Service& service,
                                             const model::ObservedService& observed) {
  apply::ServiceLive live;
  live.uptime = services::uptime_since(observed.start_time);
  auto spec = services::service_process_spec(global_.netns_dir, ns.name, service);
  live.ready = services::probe_ready_once(spawner_, spec, service, observed.pid,
                                          std::chrono::milliseconds(500));
  return live;
}

Result<std::unique_ptr<apply::Lab>> SessionStore::open_unlocked(const std::string& lab) {
  auto session = LabSession::open(global_, lab, /*lock=*/false, false);
  if (!session) return std::unexpected(session.error());
  return std::unique_ptr<apply::Lab>(std::move(*session));
}

Result<std::unique_ptr<apply::Lab>> SessionStore::open(const std::string& lab, bool no_wait) {
  auto session = LabSession::open(global_, lab, /*lock=*/true, no_wait);
  if (!session) return std::unexpected(session.error());
  return std::unique_ptr<apply::Lab>(std::move(*session));
}

}  // namespace nstopo::cli
