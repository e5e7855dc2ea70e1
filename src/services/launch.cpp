#include "services/launch.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "kernel/unique_fd.h"

namespace nstopo::services {

namespace {

// What the child reports when a step before exec fails.
struct ChildFailure {
  enum class Step : int { none, enter_namespace, new_session, redirect, groups, gid, uid,
                          still_privileged, cwd, exec };
  Step step = Step::none;
  int error_number = 0;
  kernel::EntryFailure entry;
};

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (const auto& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

// Between fork and exec: system calls only (nothing that allocates or takes a lock).
[[noreturn]] void run_child(const LaunchSpec& spec, char* const* argv, char** envp,
                            int report_fd) noexcept {
  ChildFailure failure;
  auto fail_with = [&](ChildFailure::Step step, int error_number) {
    failure.step = step;
    failure.error_number = error_number;
    ssize_t ignored = ::write(report_fd, &failure, sizeof failure);
    (void)ignored;
    ::_exit(127);
  };
  // nstopo may ignore or block signals; the command must start with the defaults.
  struct sigaction defaults {};
  defaults.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &defaults, nullptr);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  if (!kernel::enter_namespace_in_child(spec.entry, failure.entry))
    fail_with(ChildFailure::Step::enter_namespace, failure.entry.error_number);
  if (spec.new_session && ::setsid() < 0) fail_with(ChildFailure::Step::new_session, errno);
  for (auto [from, to] : {std::pair{spec.stdin_fd, 0}, {spec.stdout_fd, 1}, {spec.stderr_fd, 2}})
    if (from >= 0 && ::dup2(from, to) < 0) fail_with(ChildFailure::Step::redirect, errno);
  // Nothing else of nstopo's (netlink sockets, the lab's lock file) may reach the command.
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);

  if (spec.user) {
    const UserIdentity& u = *spec.user;
    // Groups first, then the gid, then the uid: after setuid there is no right left to do them.
    if (::setgroups(u.groups.size(), u.groups.data()) != 0) fail_with(ChildFailure::Step::groups, errno);
    if (::setgid(u.gid) != 0) fail_with(ChildFailure::Step::gid, errno);
    if (::setuid(u.uid) != 0) fail_with(ChildFailure::Step::uid, errno);
    if (u.uid != 0 && (::setuid(0) == 0 || ::geteuid() != u.uid || ::getegid() != u.gid))
      fail_with(ChildFailure::Step::still_privileged, EPERM);
  }
  if (spec.cwd && ::chdir(spec.cwd->c_str()) != 0) fail_with(ChildFailure::Step::cwd, errno);
  // execvp searches the PATH of the environment in force: make it the command's own.
  if (envp != nullptr) environ = envp;
  if (spec.executable)
    ::execv(spec.executable->c_str(), argv);
  else
    ::execvp(argv[0], argv);
  fail_with(ChildFailure::Step::exec, errno);
  ::_exit(127);
}

std::string describe_failure(const LaunchSpec& spec, const ChildFailure& failure) {
  using Step = ChildFailure::Step;
  std::string user = spec.user ? spec.user->name : "";
  switch (failure.step) {
    case Step::none: break;
    case Step::enter_namespace: return kernel::describe_entry_failure(spec.entry, failure.entry);
    case Step::new_session: return "cannot start a new session";
    case Step::redirect: return "cannot redirect its standard input and output";
    case Step::groups: return fmt::format("cannot set the groups of user {}", user);
    case Step::gid: return fmt::format("cannot switch to the group of user {}", user);
    case Step::uid: return fmt::format("cannot switch to user {}", user);
    case Step::still_privileged:
      return fmt::format("could get root back after switching to user {}; refusing to run", user);
    case Step::cwd: return fmt::format("cannot change directory to {}", spec.cwd.value_or(""));
    case Step::exec: {
      const std::string& file = spec.executable.value_or(spec.argv[0]);
      if (failure.error_number == ENOENT) return fmt::format("command '{}' not found", file);
      return fmt::format("cannot execute '{}'", file);
    }
  }
  return "the child process failed before exec";
}

}  // namespace

Result<pid_t> launch(const LaunchSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty())
    return fail(ErrorKind::internal, fmt::format("failed to start {}: empty command", spec.label),
                spec.label);
  std::vector<char*> argv = c_strings(spec.argv);
  std::vector<char*> envp;
  if (spec.environment) envp = c_strings(*spec.environment);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return fail(ErrorKind::internal, fmt::format("failed to start {}", spec.label), spec.label, errno);
  kernel::UniqueFd report_read(fds[0]);
  kernel::UniqueFd report_write(fds[1]);

  pid_t pid = ::fork();
  if (pid < 0)
    return fail(ErrorKind::internal, fmt::format("failed to start {}: fork", spec.label),
                spec.label, errno);
  if (pid == 0) run_child(spec, argv.data(), spec.environment ? envp.data() : nullptr, report_write.get());

  report_write.reset();
  ChildFailure failure;
  ssize_t n = 0;
  do {
    n = ::read(report_read.get(), &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  if (n == 0) return pid;  // closed by the exec

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (n != static_cast<ssize_t>(sizeof failure))
    return fail(ErrorKind::internal,
                fmt::format("failed to start {}: lost the child's report", spec.label), spec.label);
  return fail(ErrorKind::service,
              fmt::format("failed to start {}: {}", spec.label, describe_failure(spec, failure)),
              spec.label, failure.error_number);
}

}  // namespace nstopo::services
