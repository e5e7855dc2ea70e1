// exec checks: the argv run in the namespace (as `nstopo exec` runs it: never a shell), its
// exit code and standard output compared with what the check expects.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/connect.h"
#include "checks/probes.h"
#include "services/launch.h"

namespace nstopo::checks {
namespace {

constexpr size_t kMaxOutput = 1 << 20;
constexpr size_t kExcerpt = 300;

std::string excerpt(std::string_view text) {
  std::string out(text.substr(0, kExcerpt));
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  for (char& c : out)
    if (c == '\n') c = '|';
  return text.size() > kExcerpt ? out + "..." : out;
}

struct Pipe {
  kernel::UniqueFd read, write;
  static std::optional<Pipe> make() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
    return Pipe{kernel::UniqueFd(fds[0]), kernel::UniqueFd(fds[1])};
  }
};

// Reads both pipes to their ends or the deadline; false when the deadline came first.
bool collect(int out_fd, int err_fd, Clock::time_point deadline, std::string& out, std::string& err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&out, &err};
  int open = 2;
  while (open > 0) {
    int ready = ::poll(fds, 2, poll_timeout(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[8192];
      ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (got <= 0) {
        fds[i].fd = -1;
        --open;
        continue;
      }
      if (sinks[i]->size() < kMaxOutput) sinks[i]->append(buffer, static_cast<size_t>(got));
    }
  }
  return true;
}

}  // namespace

ProbeOutcome exec(const model::ExecCheck& check, const ProbeContext& context) {
  ProbeOutcome outcome;
  std::string command = fmt::format("{}", fmt::join(check.command, " "));
  auto entry = kernel::prepare_namespace_entry(context.netns_dir, check.in);
  auto out = Pipe::make(), err = Pipe::make();
  kernel::UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!entry || !out || !err || !null) {
    outcome.summary = entry ? fmt::format("cannot make pipes: {}", errno_text(errno))
                            : entry.error().describe();
    outcome.evidence.push_back(outcome.summary);
    return outcome;
  }
  services::LaunchSpec spec;
  spec.label = fmt::format("exec check '{}' in namespace {}", check.command.front(), check.in);
  spec.entry = std::move(*entry);
  spec.argv = check.command;
  spec.stdin_fd = null.get();
  spec.stdout_fd = out->write.get();
  spec.stderr_fd = err->write.get();
  outcome.evidence.push_back(fmt::format("ran in {}: {}", check.in, command));
  auto start = Clock::now();
  auto pid = services::launch(spec);
  out->write.reset();
  err->write.reset();
  if (!pid) {
    outcome.summary = pid.error().describe();
    outcome.evidence.push_back(outcome.summary);
    return outcome;
  }
  std::string stdout_text, stderr_text;
  bool ended = collect(out->read.get(), err->read.get(), start + context.timeout, stdout_text, stderr_text);
  if (!ended) ::kill(*pid, SIGKILL);  // its output did not end: the command is still running
  int status = 0;
  while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
  }
  auto took = format_duration(Clock::now() - start);
  if (!stdout_text.empty()) outcome.evidence.push_back("stdout: " + excerpt(stdout_text));
  if (!stderr_text.empty()) outcome.evidence.push_back("stderr: " + excerpt(stderr_text));
  if (!ended) {
    outcome.summary = fmt::format("still running after {} ms: killed", context.timeout.count());
  } else if (WIFSIGNALED(status)) {
    outcome.summary = fmt::format("killed by signal {} after {}", WTERMSIG(status), took);
  } else if (WEXITSTATUS(status) != check.exit) {
    outcome.summary = fmt::format("exit code {} where {} was expected", WEXITSTATUS(status), check.exit);
  } else if (check.stdout_contains && stdout_text.find(*check.stdout_contains) == std::string::npos) {
    outcome.summary = fmt::format("exit code {}, but stdout does not contain '{}'",
                                  WEXITSTATUS(status), *check.stdout_contains);
  } else {
    outcome.succeeded = true;
    outcome.summary = check.stdout_contains
                          ? fmt::format("exit code {}, stdout contains '{}'", check.exit, *check.stdout_contains)
                          : fmt::format("exit code {}", check.exit);
  }
  outcome.evidence.push_back(outcome.summary);
  return outcome;
}

}  // namespace nstopo::checks
