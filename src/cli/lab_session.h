#pragma once
// Everything a command needs to work on one live lab, opened in the right order: privilege
// check (the kernel), then the lab's lock, then its records. Owns the real Observer and
// Executor that the pure layers are handed.
#include <memory>
#include <string>

#include "apply/lab.h"
#include "apply/routing_executor.h"
#include "cli/commands.h"
#include "kernel/netlink_kernel.h"
#include "services/process_spawner.h"
#include "services/service_manager.h"
#include "state/state_store.h"

namespace nstopo::cli {

class LabSession final : public model::Observer, public apply::Lab {
 public:
  // `lock`: false only for read-only commands that may run beside an apply (status).
  static Result<std::unique_ptr<LabSession>> open(const GlobalOptions& global,
                                                  const std::string& lab, bool lock, bool no_wait);

  // The kernel's view plus the services the records say are running.
  Result<model::ObservedState> observe(const model::ObserveRequest& request) override;

  model::Observer& observer() override { return *this; }
  model::Executor& executor() override { return *routing_; }
  const std::set<std::string>& recorded_namespaces() const override { return state_.namespaces; }
  void record_plan(const plan::PlanResult& result,
                   const std::optional<std::string>& topology_file) override;
  state::LabState& state() { return state_; }
  const state::StateStore& store() const { return store_; }
  services::ServiceManager& services() { return *services_; }
  services::Spawner& spawner() { return spawner_; }
  const GlobalOptions& global() const { return global_; }

  // Forgets the lab's records once nothing of it is left.
  Result<void> forget() override;

  // One readiness probe (500 ms for a connect) and the uptime of a running service.
  apply::ServiceLive probe_service(const model::Namespace& ns, const model::Service& service,
                                   const model::ObservedService& observed) override;

 private:
  explicit LabSession(const GlobalOptions& global) : global_(global), store_(global.state_dir) {}
  // Takes the lab's lock, waiting (and saying so) while another nstopo holds it, unless
  // `no_wait`; a first SIGINT or SIGTERM ends the wait.
  Result<state::LabLock> lock_or_wait(const std::string& lab, bool no_wait);

  GlobalOptions global_;
  state::StateStore store_;
  state::LabState state_;
  state::LabLock lock_;
  std::unique_ptr<kernel::NetlinkKernel> kernel_;
  services::ProcessSpawner spawner_;
  std::unique_ptr<services::ServiceManager> services_;
  std::unique_ptr<apply::RoutingExecutor> routing_;
};

// The real labs for the pipeline: LabSession::open with the lock.
class SessionStore final : public apply::LabStore {
 public:
  explicit SessionStore(const GlobalOptions& global) : global_(global) {}
  Result<std::unique_ptr<apply::Lab>> open(const std::string& lab, bool no_wait) override;
  Result<std::unique_ptr<apply::Lab>> open_unlocked(const std::string& lab) override;

 private:
  const GlobalOptions& global_;
};

}  // namespace nstopo::cli
