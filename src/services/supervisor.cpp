#include "services/supervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <optional>

#include "kernel/netns/netns_exec.h"
#include "kernel/unique_fd.h"
#include "model/topology.h"
#include "services/identity.h"
#include "services/launch.h"
#include "services/logs.h"
#include "services/proc.h"
#include "services/readiness.h"

namespace nstopo::services {

namespace {

using Clock = std::chrono::steady_clock;
using kernel::UniqueFd;
using std::chrono::milliseconds;

constexpr int kStopSignals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
constexpr milliseconds kKillRetry{50};  // between SIGKILL rounds (a descendant may fork)

// The service's log, never larger than max_bytes: once it is full, the file becomes PATH.1
// (replacing the previous one) and a new one is started. Write errors
// (a full disk) drop the output rather than stall the service.
class CappedLog {
 public:
  CappedLog(const SupervisorArgs& args, UniqueFd fd) : args_(args), fd_(std::move(fd)) {
    struct stat st {};
    if (::fstat(fd_.get(), &st) == 0) size_ = static_cast<uint64_t>(st.st_size);
  }

  // The file is filled up to the cap, then rotated: PATH.1 then PATH read as one stream.
  void write(const char* data, size_t n) {
    const uint64_t max = std::max<uint64_t>(args_.max_log_bytes, 1);
    while (n > 0) {
      if (size_ >= max) rotate();
      if (size_ >= max) return;  // could not start a new file: this output is lost
      size_t piece = static_cast<size_t>(std::min<uint64_t>(n, max - size_));
      write_all(data, piece);  // (a write the disk refuses is dropped)
      data += piece;
      n -= piece;
    }
  }

  void note(const std::string& line) {
    std::string text = fmt::format("nstopo: {}\n", line);
    write(text.data(), text.size());
  }

 private:
  void write_all(const char* data, size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_.get(), data, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return;  // ENOSPC and the like: this output is lost, the service goes on
      size_ += static_cast<uint64_t>(w);
      data += w;
      n -= static_cast<size_t>(w);
    }
  }

  void rotate() {
    // open_service_log renames the full file to PATH.1 (it holds more than 0 bytes).
    if (auto fresh = open_service_log(args_.state_dir, args_.log_path, 0)) {
      fd_ = std::move(*fresh);
      size_ = 0;
      return;
    }
    // Not possible (the directory was tampered with): keep the bound by starting over.
    if (::ftruncate(fd_.get(), 0) == 0) size_ = 0;
  }

  const SupervisorArgs& args_;
  UniqueFd fd_;
  uint64_t size_ = 0;
};

void send_report(const std::optional<Error>& failure) {
  std::string line = format_supervisor_report(failure);
  ssize_t ignored = ::write(STDOUT_FILENO, line.data(), line.size());
  (void)ignored;
  // nstopo reads to the end of the line; nothing else ever goes there.
  int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd >= 0) {
    ::dup2(null_fd, STDOUT_FILENO);
    ::close(null_fd);
  }
}

// Every process below the supervisor, as one scan of /proc shows them.
// (Ended ones, zombies waiting for reap(), are left out.)
std::vector<ProcStat> descendants() {
  auto tree = process_tree(::getpid());
  if (!tree.empty()) tree.erase(tree.begin());  // the supervisor itself
  std::erase_if(tree, [](const ProcStat& p) { return p.ended(); });
  return tree;
}

size_t signal_descendants(int signal) {
  size_t sent = 0;
  for (const auto& process : descendants())
    if (::kill(process.pid, signal) == 0) ++sent;
  return sent;
}

// The supervisor's own exit, mirroring its command's: the same exit code, or death by the
// same signal (with the default action restored and the signal unblocked).
[[noreturn]] void exit_like(int wait_status) {
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    ::signal(sig, SIG_DFL);
    sigset_t only;
    ::sigemptyset(&only);
    ::sigaddset(&only, sig);
    ::sigprocmask(SIG_UNBLOCK, &only, nullptr);
    ::kill(::getpid(), sig);
    ::_exit(128 + sig);  // a signal whose default is to go on (none of the stop signals)
  }
  ::_exit(WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 1);
}

class Supervision {
 public:
  Supervision(const SupervisorArgs& args, CappedLog& log, int output, int signals, pid_t command)
      : args_(args), log_(log), output_(output), signals_(signals), command_(command) {}

  // Runs until nothing of the service is left; returns the wait status to exit with.
  int run() {
    for (;;) {
      reap();
      flush_note();
      if (no_children_) {
        drain_output();
        return exit_status();
      }
      if (stopping_ && Clock::now() >= kill_at_) kill_all();
      int timeout = -1;  // SIGCHLD, a stop signal or output wake it up
      if (stopping_) {
        auto left = std::chrono::duration_cast<milliseconds>(kill_at_ - Clock::now()).count();
        timeout = static_cast<int>(left > 0 ? left : kKillRetry.count());
      }
      std::array<pollfd, 2> fds{pollfd{signals_, POLLIN, 0}, pollfd{output_, POLLIN, 0}};
      int n = ::poll(fds.data(), output_ >= 0 ? 2 : 1, timeout);
      if (n < 0 && errno != EINTR) return exit_status();
      if (fds[0].revents & POLLIN) read_signals();
      if (output_ >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) read_output();
    }
  }

 private:
  void reap() {
    for (;;) {
      int status = 0;
      pid_t pid = ::waitpid(-1, &status, WNOHANG);
      if (pid < 0) {
        if (errno == ECHILD) no_children_ = true;
        return;
      }
      if (pid == 0) return;
      if (pid == command_) {
        command_status_ = status;
        if (!stopping_)
          pending_note_ = fmt::format("service {} {}", args_.service, describe_wait_status(status));
      }
    }
  }

  void read_signals() {
    signalfd_siginfo info{};
    while (::read(signals_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
      if (info.ssi_signo == SIGCHLD) continue;  // reap() runs on every round
      if (!stopping_) begin_stop(static_cast<int>(info.ssi_signo));
    }
  }

  // How the command ended, in the log; a command that left processes behind (it daemonized)
  // keeps the service running: that is said too.
  void flush_note() {
    if (pending_note_.empty()) return;
    size_t left = no_children_ ? 0 : descendants().size();
    log_.note(left == 0 ? pending_note_
                        : fmt::format("{}; {} process{} it started keep{} the service running",
                                      pending_note_, left, left == 1 ? "" : "es",
                                      left == 1 ? "s" : ""));
    pending_note_.clear();
  }

  void begin_stop(int signal) {
    stopping_ = true;
    stop_signal_ = signal;
    kill_at_ = Clock::now() + args_.grace;
    signal_descendants(SIGTERM);
  }

  void kill_all() {
    size_t killed = signal_descendants(SIGKILL);
    if (killed > 0 && !said_kill_) {
      log_.note(fmt::format("{} process{} of service {} still running after {}: SIGKILL", killed,
                            killed == 1 ? "" : "es", args_.service, format_duration(args_.grace)));
      said_kill_ = true;
    }
  }

  void read_output() {
    std::array<char, 65536> buf{};
    ssize_t n = ::read(output_, buf.data(), buf.size());
    if (n > 0) {
      log_.write(buf.data(), static_cast<size_t>(n));
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
      ::close(output_);  // every writer is gone
      output_ = -1;
    }
  }

  void drain_output() {
    while (output_ >= 0) read_output();
  }

  int exit_status() const {
    if (stopping_) return stop_signal_;  // as a wait status: killed by the stop signal
    return command_status_.value_or(0);
  }

  const SupervisorArgs& args_;
  CappedLog& log_;
  int output_;
  int signals_;
  pid_t command_;
  std::optional<int> command_status_;
  std::string pending_note_;
  bool no_children_ = false;
  bool stopping_ = false;
  bool said_kill_ = false;
  int stop_signal_ = SIGTERM;
  Clock::time_point kill_at_{};
};

}  // namespace

int supervise(const SupervisorArgs& args) {
  // A stop signal must not kill the supervisor before it has stopped the service; they are
  // read from a signalfd. SIGPIPE: nstopo may be gone before it read the report.
  sigset_t handled;
  ::sigemptyset(&handled);
  ::sigaddset(&handled, SIGCHLD);
  for (int sig : kStopSignals) ::sigaddset(&handled, sig);
  ::sigprocmask(SIG_BLOCK, &handled, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  UniqueFd signals(::signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK));

  auto fail_start = [&](Error error) {
    send_report(error);
    return 127;
  };
  if (!signals)
    return fail_start(Error{ErrorKind::internal, "cannot create a signalfd", args.service, errno});
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
    return fail_start(Error{ErrorKind::internal, "cannot become a child subreaper", args.service, errno});

  auto log_fd = open_service_log(args.state_dir, args.log_path, args.max_log_bytes);
  if (!log_fd) return fail_start(log_fd.error());
  CappedLog log(args, std::move(*log_fd));

  LaunchSpec spec;
  spec.label = fmt::format("service {}", args.service);
  auto entry = kernel::prepare_namespace_entry("/", std::string(model::kHostNamespace));
  if (!entry) return fail_start(entry.error());
  spec.entry = std::move(*entry);  // the supervisor is in the namespace already
  spec.argv = args.command;
  spec.cwd = args.cwd;
  if (args.user) {
    auto user = resolve_user(*args.user);
    if (!user) {
      Error error = user.error();
      error.message = fmt::format("failed to start {}: {}", spec.label, error.message);
      return fail_start(error);
    }
    spec.user = std::move(*user);
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return fail_start(Error{ErrorKind::internal, "cannot create a pipe", args.service, errno});
  UniqueFd output(fds[0]);
  UniqueFd output_write(fds[1]);
  spec.stdout_fd = spec.stderr_fd = output_write.get();
  auto command = launch(spec);  // same process group and session as the supervisor
  output_write.reset();
  if (!command) return fail_start(command.error());
  send_report(std::nullopt);

  ::fcntl(output.get(), F_SETFL, O_NONBLOCK);
  Supervision supervision(args, log, output.release(), signals.get(), *command);
  exit_like(supervision.run());
}

int supervisor_main(int argc, char** argv) {
  std::vector<std::string> line(argv, argv + argc);
  auto args = parse_supervisor_argv(line);
  if (!args) {
    fmt::print(stderr, "nstopo: {} is started by nstopo for a service, not by hand\n",
               kSuperviseCommand);
    return 64;
  }
  return supervise(*args);
}

}  // namespace nstopo::services
