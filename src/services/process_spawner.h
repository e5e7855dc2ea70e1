#pragma once
// The real Spawner: fork/exec inside the namespace (services/launch.h), /proc for liveness,
// kill(2) on process groups, and the readiness probes.
//
// A service's supervisor is forked once: while nstopo runs it is nstopo's child, so an early
// exit is seen with its exit status (waitid(WNOWAIT) peeks without reaping; the supervisor
// exits with its command's status); nstopo never blocks on it, and when nstopo exits, init
// adopts it. One that ends while nstopo still runs stays a zombie only until then (or until it
// is stopped, which reaps it): /proc shows it as 'Z', which counts as not running.
#include "services/launch.h"
#include "services/spawner.h"

namespace nstopo::services {

class ProcessSpawner final : public Spawner {
 public:
  // `supervisor`: the nstopo binary to run as "nstopo __supervise" (nstopo's own: a test
  // binary that uses this class must answer that command line too).
  explicit ProcessSpawner(std::string supervisor = "/proc/self/exe")
      : supervisor_(std::move(supervisor)) {}

  Result<StartedProcess> start(const ProcessSpec& spec, const SupervisedStart& how,
                               int log_fd) override;
  ProcessStatus status(int pid, uint64_t start_time) override;
  bool group_alive(int pgid, uint64_t start_time) override;
  Result<void> signal_group(int pgid, int signal) override;
  Result<void> signal_process(int pid, int signal) override;
  void kill_tree(int pid) override;
  std::optional<StartedProcess> find_supervisor(const std::string& token) override;
  std::vector<ProcStat> scan_processes() override;
  std::string command_line(int pid) override;
  void release(int pid) override;
  std::optional<uint64_t> netns_inode_of(int pid) override;          // process_namespace.cpp
  std::optional<uint64_t> namespace_inode(const std::string& netns_dir,
                                          const std::string& ns) override;
  bool probe_once(const ProcessSpec& service, const model::ReadyProbe& probe, int owner,
                  std::chrono::milliseconds attempt_timeout) override;
  std::string explain_unready(const ProcessSpec& service, const model::ReadyProbe& probe,
                              int owner) override;
  Result<std::vector<std::string>> tentative_addresses(const std::string& netns_dir,
                                                       const std::string& ns) override;
  std::chrono::steady_clock::time_point now() override;
  void sleep_for(std::chrono::milliseconds duration) override;

 private:
  std::string supervisor_;
};

// The launch of `spec` (namespace opened, user resolved, environment built), named `label`
// in errors. Standard streams and session are left for the caller to set.
Result<LaunchSpec> launch_spec_for(const ProcessSpec& spec, std::string label);

}  // namespace nstopo::services
