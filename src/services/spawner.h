#pragma once
// The seam between the service logic (what to start, when it is ready, how to stop it) and
// the processes themselves (ninja's CommandRunner): ProcessSpawner is the real one, the unit
// tests use a recording fake that never forks.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/error.h"
#include "model/topology.h"
#include "services/proc.h"

namespace nstopo::services {

// A command to run inside a namespace, as a service or as its exec readiness probe.
struct ProcessSpec {
  std::string label;       // "ns_rifky/web": for messages
  std::string netns_dir;   // where named namespaces are bind-mounted
  std::string ns;          // model::kHostNamespace: nstopo's own namespaces
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;  // the declared env, on top of a minimal one
  std::optional<std::string> cwd;          // nullopt: keep nstopo's
  std::optional<std::string> user;         // name or numeric uid; nullopt: stay root
};

// The spec a declared service runs with (its cwd defaults to "/", as systemd's does: the
// directory nstopo happened to be started from is no business of the service's).
ProcessSpec service_process_spec(const std::string& netns_dir, const std::string& ns,
                                 const model::Service& service);

// What the supervisor of a service is given besides the command (services/supervisor_args.h).
struct SupervisedStart {
  std::string token;      // recorded before the start: the supervisor is found by it
  std::string state_dir;  // the log lies below it
  std::string log_path;
  uint64_t max_log_bytes = 0;
  std::chrono::milliseconds grace{5'000};
};

struct StartedProcess {
  int pid = 0;
  uint64_t start_time = 0;  // /proc/PID/stat field 22, clock ticks since boot
};

struct ProcessStatus {
  enum class State {
    running,  // the pid is alive with the recorded start time
    exited,   // it has ended (a zombie of ours or gone from /proc)
    reused,   // the pid now belongs to another process: never signal it
  };
  State state = State::exited;
  std::optional<int> wait_status;  // exited while our child: the waitpid(2) status
};

class Spawner {
 public:
  virtual ~Spawner() = default;

  // Starts `spec` under a supervisor (services/supervisor.h), detached from nstopo: its own
  // session, so its own process group whose id is the supervisor's pid, with stdin on
  // /dev/null and the command's output into the log `how` names (`log_fd`, opened by the
  // caller, is the log at the start). Returns the supervisor once the command has been
  // exec'd: a failure before that (namespace, user, cwd, command not found) is an error
  // naming the command.
  virtual Result<StartedProcess> start(const ProcessSpec& spec, const SupervisedStart& how,
                                       int log_fd) = 0;

  virtual ProcessStatus status(int pid, uint64_t start_time) = 0;

  // True while process group `pgid` has a live (non-zombie) member started no earlier than
  // `start_time` (members of the group a reused pid might have made later cannot be told apart
  // otherwise; see ProcessSpawner).
  virtual bool group_alive(int pgid, uint64_t start_time) = 0;
  virtual Result<void> signal_group(int pgid, int signal) = 0;
  // A supervised service is stopped through its supervisor alone (it stops the rest);
  // kill_tree is the last resort when the supervisor itself did not end: SIGKILL to every
  // process below `pid` (their parent links as of one /proc scan), then to `pid`.
  virtual Result<void> signal_process(int pid, int signal) = 0;
  virtual void kill_tree(int pid) = 0;

  // The supervisor whose command line carries `token` (a start whose pid a killed run never
  // recorded), with its start time; nullopt when there is none.
  virtual std::optional<StartedProcess> find_supervisor(const std::string& token) = 0;

  // The nsfs inode of the network namespace process `pid` is in (/proc/PID/ns/net); nullopt
  // when it cannot be read (gone). And that of the named namespace NETNS_DIR/NS (the host:
  // nstopo's own), nullopt when there is none. A process is the lab's only in the namespace
  // its record names: nstopo never signals one elsewhere.
  virtual std::optional<uint64_t> netns_inode_of(int pid) = 0;
  virtual std::optional<uint64_t> namespace_inode(const std::string& netns_dir,
                                                  const std::string& ns) = 0;

  // Every process as one scan of /proc shows it (zombies included), and the command line of
  // one, shortened, for messages ("?" when gone).
  virtual std::vector<ProcStat> scan_processes() = 0;
  virtual std::string command_line(int pid) = 0;

  // Reaps `pid` if it is an ended child of this process; nothing otherwise.
  virtual void release(int pid) = 0;

  // One readiness attempt for the service `service`, whose supervisor is `owner` (0 when
  // unknown): a tcp connect from inside its namespace to the probe's targets, which counts
  // only when the listener is open in `owner`'s process tree (so never without an owner),
  // or the exec probe run there with the service's environment until it exits (killed after
  // `attempt_timeout`). `none` is always ready.
  virtual bool probe_once(const ProcessSpec& service, const model::ReadyProbe& probe, int owner,
                          std::chrono::milliseconds attempt_timeout) = 0;

  // Why a tcp probe of the service whose supervisor is `owner` is not ready, for the notes
  // of its error: who listens on the port ("tcp port 4000 is listened on at 0.0.0.0 by pid
  // 812 (python3), not the service's"); empty for other probes.
  virtual std::string explain_unready(const ProcessSpec& service, const model::ReadyProbe& probe,
                                      int owner) = 0;

  // IPv6 addresses of the namespace still tentative (duplicate address detection running).
  virtual Result<std::vector<std::string>> tentative_addresses(const std::string& netns_dir,
                                                               const std::string& ns) = 0;

  // The clock the waits run on (the fake's only moves when someone sleeps).
  virtual std::chrono::steady_clock::time_point now() = 0;
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

}  // namespace nstopo::services
