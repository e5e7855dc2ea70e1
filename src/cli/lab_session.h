#pragma once
// Everything a command needs to work on one live lab, opened in the right order: privilege
// check (the kernel), then the lab's lock, then its records. Owns the real Observer and
// Executor that the pure layers are handed.
#include <memory>
#include <string>

#include "apply/routing_executor.h"
#include "cli/commands.h"
#include "kernel/netlink_kernel.h"
#include "services/process_spawner.h"
#include "services/service_manager.h"
#include "state/state_store.h"

namespace nstopo::cli {

class LabSession final : public model::Observer {
 public:
  // `lock`: false only for read-only commands that may run beside an apply (status).
  static Result<std::unique_ptr<LabSession>> open(const GlobalOptions& global,
                                                  const std::string& lab, bool lock, bool no_wait);

  // The kernel's view plus the services the records say are running.
  Result<model::ObservedState> observe(const model::ObserveRequest& request) override;

  model::Executor& executor() { return *routing_; }
  state::LabState& state() { return state_; }
  const state::StateStore& store() const { return store_; }
  services::ServiceManager& services() { return *services_; }
  services::Spawner& spawner() { return spawner_; }
  const GlobalOptions& global() const { return global_; }

  // Forgets the lab's records once nothing of it is left.
  Result<void> forget();

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

}  // namespace nstopo::cli
