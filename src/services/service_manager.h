#pragma once
// Carries out the planner's StartService and StopService actions, and reports what the lab's
// state file says is running. The planner decides (same spec: nothing; changed spec: stop then
// start; dead: start; removed: stop); this class only does, and keeps the record:
// `state.services["ns/name"]` holds pid, start time and spec hash, saved after every change.
//
// Start: wait until no IPv6 address of the namespace is tentative, open the log (appended,
// rotated when too big), start the command detached in its namespace, record it, then wait
// for its readiness probe. A service that exits early or is not ready in time is stopped, its
// record dropped, and the error carries its exit status and the last lines of its log.
//
// Stop: SIGTERM to the service's process group, SIGKILL after the grace period. Only when the
// recorded pid still has the recorded start time (or is gone but left group members started
// after it): a recycled pid is never signalled. A process that left the group (setsid or
// setpgid of its own) is out of reach: nstopo never kills what it cannot prove is the lab's.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "kernel/state_store.h"
#include "model/observed.h"
#include "model/seams.h"
#include "services/logs.h"
#include "services/spawner.h"

namespace nstopo::services {

struct ServiceOptions {
  std::string netns_dir = "/run/netns";
  std::string lab;  // the lab's name; empty: the state's
  // Told when a service it started became ready, with how long that took (apply prints it).
  std::function<void(const std::string& ns, const std::string& name, int pid,
                     std::chrono::milliseconds waited)>
      on_ready;
  uint64_t max_log_bytes = kMaxLogBytes;
  std::chrono::milliseconds dad_wait{3'000};  // for tentative IPv6 addresses before a start
};

class ServiceManager final : public model::Executor {
 public:
  ServiceManager(ServiceOptions options, const kernel::StateStore& store, kernel::LabState& state,
                 Spawner& spawner);

  // StartService and StopService; any other action is an internal error.
  Result<void> execute(const model::Action& action) override;

  // The recorded services of the state, each checked against /proc (alive with the recorded
  // start time).
  std::vector<model::ObservedService> observe() const;

  // The lab's name: options.lab, or the state's when that is empty.
  const std::string& lab() const;

 private:
  Result<void> start(const model::StartService& start);
  Result<void> stop(const model::StopService& stop);
  Result<void> wait_for_settled_addresses(const std::string& ns, const std::string& label);
  Result<std::chrono::milliseconds> wait_until_ready(const ProcessSpec& spec,
                                                     const model::Service& service,
                                                     const StartedProcess& process,
                                                     const std::string& log_path);
  Result<void> terminate(int pid, uint64_t start_time, std::chrono::milliseconds grace,
                         const std::string& label);
  bool wait_group_gone(int pgid, uint64_t start_time, std::chrono::milliseconds limit);
  Result<void> save();

  ServiceOptions options_;
  const kernel::StateStore& store_;
  kernel::LabState& state_;
  Spawner& spawner_;
};

}  // namespace nstopo::services
