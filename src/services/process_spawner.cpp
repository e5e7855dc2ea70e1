#include "services/process_spawner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "kernel/netns/netns_exec.h"
#include "kernel/unique_fd.h"
#include "model/interruption.h"
#include "services/listeners.h"
#include "services/proc.h"
#include "services/readiness.h"
#include "services/supervisor_args.h"

namespace nstopo::services {

namespace {

constexpr auto kExecProbePoll = std::chrono::milliseconds(10);

Result<kernel::UniqueFd> open_dev_null(int flags) {
  kernel::UniqueFd fd(::open("/dev/null", flags | O_CLOEXEC));
  if (!fd) return fail(ErrorKind::internal, "cannot open /dev/null", "/dev/null", errno);
  return fd;
}

// The exit of child `pid` without reaping it (so its pid, and with it its process group id,
// cannot be reused yet). nullopt while it runs or when it is not our child.
std::optional<int> peek_exit(int pid) {
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
      info.si_pid != pid)
    return std::nullopt;
  switch (info.si_code) {
    case CLD_EXITED: return (info.si_status & 0xff) << 8;
    case CLD_KILLED: return info.si_status & 0x7f;
    case CLD_DUMPED: return (info.si_status & 0x7f) | 0x80;
    default: return std::nullopt;
  }
}

void reap(int pid) {
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

// Runs the exec probe to its end (or kills it after `timeout`); true when it exits 0.
bool run_exec_probe(const ProcessSpec& service, const std::vector<std::string>& argv,
                    std::chrono::milliseconds timeout) {
  ProcessSpec probe = service;
  probe.argv = argv;
  auto spec = launch_spec_for(probe, fmt::format("readiness probe of service {}", service.label));
  auto null_in = open_dev_null(O_RDONLY);
  auto null_out = open_dev_null(O_WRONLY);
  if (!spec || !null_in || !null_out) return false;
  spec->new_session = true;  // its own group, so that what it leaves behind can be killed
  spec->stdin_fd = null_in->get();
  spec->stdout_fd = spec->stderr_fd = null_out->get();
  auto pid = launch(*spec);
  if (!pid) return false;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<int> status;
  // An attempt may now last the whole readiness timeout: a first SIGINT/SIGTERM ends it at
  // its next poll (not ready), and the wait that called it reports the interruption.
  while (!(status = peek_exit(*pid)) && std::chrono::steady_clock::now() < deadline &&
         !model::interrupted())
    std::this_thread::sleep_for(kExecProbePoll);
  // The probe is not reaped yet, so group *pid is still the probe's own.
  ::kill(-*pid, SIGKILL);
  reap(*pid);
  return status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0;
}

}  // namespace

Result<LaunchSpec> launch_spec_for(const ProcessSpec& spec, std::string label) {
  LaunchSpec launch_spec;
  auto entry = kernel::prepare_namespace_entry(spec.netns_dir, spec.ns);
  if (!entry) {
    Error error = entry.error();
    error.message = fmt::format("failed to start {}: {}", label, error.message);
    return std::unexpected(std::move(error));
  }
  std::optional<UserIdentity> user;
  if (spec.user) {
    auto resolved = resolve_user(*spec.user);
    if (!resolved) {
      Error error = resolved.error();
      error.message = fmt::format("failed to start {}: {}", label, error.message);
      return std::unexpected(std::move(error));
    }
    user = std::move(*resolved);
  }
  launch_spec.label = std::move(label);
  launch_spec.entry = std::move(*entry);
  launch_spec.argv = spec.argv;
  launch_spec.environment = service_environment(spec.env, user, inherited_environment());
  launch_spec.cwd = spec.cwd;
  launch_spec.user = std::move(user);
  return launch_spec;
}

Result<StartedProcess> ProcessSpawner::start(const ProcessSpec& spec, const SupervisedStart& how,
                                             int log_fd) {
  auto launch_spec = launch_spec_for(spec, fmt::format("service {}", spec.label));
  if (!launch_spec) return std::unexpected(launch_spec.error());
  auto null_in = open_dev_null(O_RDONLY);
  if (!null_in) return std::unexpected(null_in.error());
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return fail(ErrorKind::internal, fmt::format("failed to start service {}", spec.label),
                spec.label, errno);
  kernel::UniqueFd report_read(fds[0]);
  kernel::UniqueFd report_write(fds[1]);

  // The supervisor runs as root in the namespace with the service's environment; it switches
  // to the service's user and directory for the command alone.
  SupervisorArgs args{spec.label,  how.token, how.state_dir, how.log_path, how.max_log_bytes,
                      how.grace,   spec.user, spec.cwd,      spec.argv};
  launch_spec->argv = supervisor_argv(args);
  launch_spec->executable = supervisor_;
  launch_spec->user.reset();
  launch_spec->cwd.emplace(1, '/');  // (g++ 12 warns, wrongly, on = "/")
  launch_spec->new_session = true;
  launch_spec->stdin_fd = null_in->get();
  launch_spec->stdout_fd = report_write.get();
  launch_spec->stderr_fd = log_fd;  // the supervisor's log at the start
  auto pid = launch(*launch_spec);
  report_write.reset();
  if (!pid) return std::unexpected(pid.error());

  std::string line;
  char c = 0;
  for (;;) {
    ssize_t n = ::read(report_read.get(), &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    line += c;
  }
  if (line.empty()) {
    // Ended (or closed its stdout) before it said anything: its exit says why.
    auto status = peek_exit(*pid);
    release(*pid);
    return fail(ErrorKind::internal,
                fmt::format("failed to start service {}: its supervisor {}", spec.label,
                            status ? describe_wait_status(*status) : "ended without a word"),
                spec.label);
  }
  if (auto failure = parse_supervisor_report(line, spec.label)) {
    // It exits 127 right after the report.
    reap(*pid);
    return std::unexpected(std::move(*failure));
  }
  // Our child is not reaped yet, so its /proc entry is there even if it already exited.
  auto stat = read_proc_stat(*pid);
  if (!stat)
    return fail(ErrorKind::internal,
                fmt::format("service {} started as pid {} but /proc/{}/stat is unreadable",
                            spec.label, *pid, *pid),
                spec.label);
  return StartedProcess{*pid, stat->start_time};
}

ProcessStatus ProcessSpawner::status(int pid, uint64_t start_time) {
  auto stat = read_proc_stat(pid);
  if (!stat) return {ProcessStatus::State::exited, std::nullopt};
  if (stat->start_time != start_time) return {ProcessStatus::State::reused, std::nullopt};
  if (stat->ended()) return {ProcessStatus::State::exited, peek_exit(pid)};
  return {ProcessStatus::State::running, std::nullopt};
}

bool ProcessSpawner::group_alive(int pgid, uint64_t start_time) {
  if (pgid <= 0) return false;
  if (::kill(-pgid, 0) != 0 && errno == ESRCH) return false;
  // kill(2) also reaches zombies: look at the members themselves.
  for (const auto& member : processes_in_group(pgid))
    if (!member.ended() && member.start_time >= start_time) return true;
  return false;
}

Result<void> ProcessSpawner::signal_group(int pgid, int signal) {
  if (pgid <= 0)
    return fail(ErrorKind::internal, fmt::format("refusing to signal process group {}", pgid));
  if (::kill(-pgid, signal) != 0 && errno != ESRCH)
    return fail(ErrorKind::service,
                fmt::format("cannot send {} to process group {}", ::sigabbrev_np(signal), pgid),
                fmt::format("pgid {}", pgid), errno);
  return {};
}

Result<void> ProcessSpawner::signal_process(int pid, int signal) {
  if (pid <= 1)
    return fail(ErrorKind::internal, fmt::format("refusing to signal process {}", pid));
  if (::kill(pid, signal) != 0 && errno != ESRCH)
    return fail(ErrorKind::service,
                fmt::format("cannot send SIG{} to process {}", ::sigabbrev_np(signal), pid),
                fmt::format("pid {}", pid), errno);
  return {};
}

void ProcessSpawner::kill_tree(int pid) {
  if (pid <= 1) return;
  auto tree = process_tree(pid);
  // Children first: with the supervisor gone first, they would be adopted out of reach.
  for (auto it = tree.rbegin(); it != tree.rend(); ++it)
    if (it->pid > 1 && !it->ended()) ::kill(it->pid, SIGKILL);
}

std::optional<StartedProcess> ProcessSpawner::find_supervisor(const std::string& token) {
  for (const auto& process : all_processes())
    if (!process.ended() && process.pid > 1 &&
        is_supervisor_with_token(process_cmdline(process.pid), token))
      return StartedProcess{process.pid, process.start_time};
  return std::nullopt;
}

std::vector<ProcStat> ProcessSpawner::scan_processes() { return all_processes(); }

std::string ProcessSpawner::command_line(int pid) {
  constexpr size_t kLongest = 60;
  std::string text;
  for (const auto& word : process_cmdline(pid)) text += (text.empty() ? "" : " ") + word;
  if (text.empty()) text = process_name(pid);  // a kernel thread, or gone: "?"
  if (text.size() > kLongest) text = text.substr(0, kLongest - 3) + "...";
  return text;
}

void ProcessSpawner::release(int pid) {
  if (pid > 0 && peek_exit(pid)) reap(pid);
}

bool ProcessSpawner::probe_once(const ProcessSpec& service, const model::ReadyProbe& probe,
                                int owner, std::chrono::milliseconds attempt_timeout) {
  switch (probe.kind) {
    case model::ReadyProbe::Kind::none: return true;
    case model::ReadyProbe::Kind::tcp:
      return tcp_probe_ready(service.netns_dir, service.ns, probe, owner, attempt_timeout);
    case model::ReadyProbe::Kind::exec: return run_exec_probe(service, probe.argv, attempt_timeout);
  }
  return false;
}

std::string ProcessSpawner::explain_unready(const ProcessSpec&, const model::ReadyProbe& probe,
                                            int owner) {
  if (probe.kind != model::ReadyProbe::Kind::tcp || owner <= 0) return {};
  return describe_port_holders(probe.port, port_holders(owner, probe.port));
}

Result<std::vector<std::string>> ProcessSpawner::tentative_addresses(const std::string& netns_dir,
                                                                     const std::string& ns) {
  return kernel::tentative_ipv6_addresses(netns_dir, ns);
}

std::chrono::steady_clock::time_point ProcessSpawner::now() { return std::chrono::steady_clock::now(); }

void ProcessSpawner::sleep_for(std::chrono::milliseconds duration) {
  std::this_thread::sleep_for(duration);
}

}  // namespace nstopo::services
