#include "services/exec.h"

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <cerrno>
#include <iterator>

#include "kernel/netns/netns_exec.h"
#include "services/launch.h"

namespace nstopo::services {

namespace {

// The child `nstopo exec` waits for; 0 while there is none. Read by the signal handler.
std::atomic<pid_t> forward_to{0};

// A signal sent to nstopo (kill, a supervisor, `timeout`) goes on to the command. One the
// terminal sent (Ctrl-C, Ctrl-\, a hang-up: si_code SI_KERNEL) went to the whole foreground
// process group, the command included: it is not sent a second time.
void forward(int signal, siginfo_t* info, void*) {
  pid_t child = forward_to.load();
  if (child > 0 && info && info->si_code != SI_KERNEL) ::kill(child, signal);
}

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// For as long as it lives: the forwarded signals go to forward(), and are held off (blocked)
// until the child's pid is known, so that none arriving during the start is lost.
class ForwardedSignals {
 public:
  ForwardedSignals() {
    struct sigaction action {};
    action.sa_sigaction = forward;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    ::sigemptyset(&action.sa_mask);
    sigset_t held;
    ::sigemptyset(&held);
    for (size_t i = 0; i < std::size(kForwarded); ++i) {
      ::sigaction(kForwarded[i], &action, &previous_[i]);
      ::sigaddset(&held, kForwarded[i]);
    }
    ::sigprocmask(SIG_BLOCK, &held, &previous_mask_);
  }
  ForwardedSignals(const ForwardedSignals&) = delete;
  ForwardedSignals& operator=(const ForwardedSignals&) = delete;

  // From now on, signals go to `child` (the ones held off meanwhile, at once).
  void start(pid_t child) {
    forward_to.store(child);
    ::sigprocmask(SIG_SETMASK, &previous_mask_, nullptr);
  }

  ~ForwardedSignals() {
    sigset_t held;
    ::sigemptyset(&held);
    for (int sig : kForwarded) ::sigaddset(&held, sig);
    ::sigprocmask(SIG_BLOCK, &held, nullptr);
    forward_to.store(0);
    for (size_t i = 0; i < std::size(kForwarded); ++i)
      ::sigaction(kForwarded[i], &previous_[i], nullptr);
    ::sigprocmask(SIG_SETMASK, &previous_mask_, nullptr);
  }

 private:
  struct sigaction previous_[std::size(kForwarded)] {};
  sigset_t previous_mask_{};
};

}  // namespace

Result<int> exec_in_namespace(const std::string& netns_dir, const std::string& ns,
                              const std::vector<std::string>& argv) {
  if (argv.empty()) return fail(ErrorKind::usage, "no command given to run in the namespace", ns);
  auto entry = kernel::prepare_namespace_entry(netns_dir, ns);
  if (!entry) return std::unexpected(entry.error());
  LaunchSpec spec;
  spec.label = fmt::format("'{}' in namespace {}", argv[0], ns);
  spec.entry = std::move(*entry);
  spec.argv = argv;

  ForwardedSignals forwarded;
  auto pid = launch(spec);  // the child puts every signal back to its default, unblocked
  if (!pid) return std::unexpected(pid.error());
  forwarded.start(*pid);
  int status = 0;
  while (::waitpid(*pid, &status, 0) < 0) {
    if (errno != EINTR)
      return fail(ErrorKind::internal, fmt::format("cannot wait for {}", spec.label), spec.label,
                  errno);
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

}  // namespace nstopo::services
