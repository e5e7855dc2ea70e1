#include "services/exec.h"

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>

#include "kernel/netns_exec.h"
#include "services/launch.h"

namespace nstopo::services {

namespace {

// Ignores a signal for as long as it lives, then puts the previous disposition back.
class IgnoredSignal {
 public:
  explicit IgnoredSignal(int sig) : sig_(sig) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigemptyset(&ignore.sa_mask);
    ::sigaction(sig_, &ignore, &previous_);
  }
  IgnoredSignal(const IgnoredSignal&) = delete;
  IgnoredSignal& operator=(const IgnoredSignal&) = delete;
  ~IgnoredSignal() { ::sigaction(sig_, &previous_, nullptr); }

 private:
  int sig_;
  struct sigaction previous_ {};
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

  IgnoredSignal interrupt(SIGINT);
  IgnoredSignal quit(SIGQUIT);
  auto pid = launch(spec);  // the child puts every signal back to its default
  if (!pid) return std::unexpected(pid.error());
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
