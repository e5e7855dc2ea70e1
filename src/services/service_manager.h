#pragma once
// Carries out the planner's StartService and StopService actions, and reports what the lab's
// state file says is running. The planner decides (same spec: nothing; changed spec: stop then
// start; dead: start; removed: stop); this class only does, and keeps the record:
// `state.services["ns/name"]` holds pid, start time and spec hash, saved after every change.
//
// Start: wait until no IPv6 address of the namespace is tentative, open the log (appended,
// rotated when too big), start the command detached in its namespace, record it, then wait
// for its readiness probe. A service that exits early or is not ready in time is stopped, its
// record dropped, and the error carries its exit status and the last lines of its log. A run
// of starts goes side by side, at most `parallel_starts` at once (service_starts.cpp).
//
// Stop: SIGTERM to the service's process group, SIGKILL after the grace period. Only when the
// recorded pid still has the recorded start time (or is gone but left group members started
// after it): a recycled pid is never signalled. A process that left the group (setsid or
// setpgid of its own) is out of reach: nstopo never kills what it cannot prove is the lab's.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "model/observed.h"
#include "model/seams.h"
#include "services/logs.h"
#include "services/spawner.h"
#include "state/state_store.h"

namespace nstopo::services {

// How many services of a run start at once by default. A start is mostly waiting (the
// supervisor's exec, readiness polls 20 ms to 200 ms apart), so the bound is not the cores:
// it is the services' own start-up work, which all runs at once within the bound, while each
// readiness timeout counts from its own start. 32 python3 servers starting together take
// about 2 s of CPU on 2 cores, well inside the default 10 s timeout; and 32 starts hold about
// 200 descriptors, inside the margin the open-file limit is raised by.
inline constexpr unsigned kDefaultParallelStarts = 32;

struct ServiceOptions {
  std::string netns_dir = "/run/netns";
  std::string lab;  // the lab's name; empty: the state's
  // Told when a service it started became ready, with how long that took (apply prints it).
  std::function<void(const std::string& ns, const std::string& name, int pid,
                     std::chrono::milliseconds waited)>
      on_ready;
  uint64_t max_log_bytes = kMaxLogBytes;
  std::chrono::milliseconds dad_wait{3'000};  // for tentative IPv6 addresses before a start
  // At most this many services starting at once; 1: one after the other, on the caller's
  // thread (and on_ready is called there). Otherwise on_ready comes from worker threads, one
  // call at a time.
  unsigned parallel_starts = kDefaultParallelStarts;
};

class ServiceManager final : public model::Executor {
 public:
  ServiceManager(ServiceOptions options, const state::StateStore& store, state::LabState& state,
                 Spawner& spawner);

  // StartService and StopService; any other action is an internal error.
  Result<void> execute(const model::Action& action) override;
  // A run of StopService actions is stopped side by side: every SIGTERM goes out at once,
  // each service gets its own grace period, and two stubborn services take one period, not
  // two. A run of StartService actions is started by a pool of at most parallel_starts
  // threads while the caller collects them in order (service_starts.cpp); once one fails or
  // a signal comes, the ones not yet begun are not begun. Anything else one by one.
  void start_independent(std::span<const model::Action> actions) override;
  model::ActionOutcome collect_started(size_t k) override;
  ~ServiceManager() override;

  // The recorded services of the state, each checked against /proc (alive with the recorded
  // start time). A record with a token and no pid (a run was killed between the start of the
  // supervisor and the record of its pid) is completed first, in memory, by adopt_unrecorded.
  std::vector<model::ObservedService> observe();
  void adopt_unrecorded();

  // The processes inside each of `namespaces` (the lab's, about to be deleted) that are not
  // in a recorded service's process tree, nor nstopo or one of its parents; by namespace,
  // the ones with any (namespace_processes.cpp).
  std::map<std::string, std::vector<model::NamespaceProcess>> processes_in(
      const std::set<std::string>& namespaces);

  // The lab's name: options.lab, or the state's when that is empty.
  const std::string& lab() const;

 private:
  // A process to stop, with what proves it is the lab's (service_stops.cpp).
  struct StopTarget {
    std::string label;  // "ns/name"
    std::string ns;
    int pid = 0;
    uint64_t start_time = 0;
    uint64_t netns_inode = 0;  // 0: unknown (an older record): the namespace's inode now
    std::chrono::milliseconds grace{5'000};
    // Started under a supervisor (the record has a token): SIGTERM goes to the supervisor
    // alone, which stops every process below it; SIGKILL, if it comes to that, to the tree.
    bool supervised = false;
  };
  StopTarget target_of(const state::ServiceRecord& record) const;
  // True only for a process nstopo can prove is the one it started: not pid 0 or 1 (a
  // signal to group 1 reaches every process), not nstopo or its parent, in the namespace the
  // record names. Its start time is checked by every signal's caller (ProcessStatus::reused).
  bool provably_ours(const StopTarget& target) const;
  Result<void> stop_namespace_processes(const model::StopNamespaceProcesses& action);

  Result<void> start(const model::StartService& start);
  // The pool of a run of starts (service_starts.cpp).
  class StartPool;
  void start_pooled(std::span<const model::Action> actions);
  // Stops every action's process side by side; one outcome per action, in order.
  std::vector<model::ActionOutcome> stop_all(std::span<const model::Action> actions);
  Result<void> wait_for_settled_addresses(const std::string& ns, const std::string& label);
  Result<std::chrono::milliseconds> wait_until_ready(const ProcessSpec& spec,
                                                     const model::Service& service,
                                                     const StartedProcess& process,
                                                     const std::string& log_path);
  // SIGTERM, then SIGKILL after each one's grace, to every target's process group at once.
  std::vector<Result<void>> terminate_all(const std::vector<StopTarget>& targets);
  Result<void> terminate(const StopTarget& target) { return terminate_all({target}).front(); }
  // The record of one service changed (or dropped: nullopt) and the whole record saved, as
  // one step under records_mutex_: starts side by side change their own keys, and every save
  // writes what all of them have done so far.
  Result<void> record_and_save(const std::string& key, std::optional<state::ServiceRecord> record);
  std::optional<state::ServiceRecord> recorded(const std::string& key);
  Result<void> save();

  ServiceOptions options_;
  const state::StateStore& store_;
  state::LabState& state_;
  Spawner& spawner_;
  std::vector<model::ActionOutcome> started_;  // the last start_independent's outcomes
  std::unique_ptr<StartPool> start_pool_;      // the last run of starts, while collected
  std::mutex records_mutex_;                   // state_.services and its saves, during a pool
  std::mutex on_ready_mutex_;                  // one on_ready call at a time
};

}  // namespace nstopo::services
