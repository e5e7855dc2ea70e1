#include "services/exec.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <list>

#include "kernel/netns/netns_exec.h"
#include "kernel/unique_fd.h"
#include "services/forwarded_signals.h"
#include "services/launch.h"

namespace nstopo::services {

namespace {

int exit_code_of(int status) {
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nstopo's own output is gone (a closed pipe): nothing to tell
    data.remove_prefix(static_cast<size_t>(n));
  }
}

// One output stream of one command: its pipe and the start of a line not yet ended.
struct PrefixedStream {
  kernel::UniqueFd pipe;
  int to = -1;
  std::string partial;

  // Reads what is there; writes each whole line with the prefix. False at EOF (or an error).
  bool drain(const std::string& prefix) {
    char buffer[16384];
    ssize_t n = ::read(pipe.get(), buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    if (n <= 0) {
      if (!partial.empty()) write_all(to, prefix + partial + "\n");  // a last line without \n
      partial.clear();
      pipe = kernel::UniqueFd();
      return false;
    }
    partial.append(buffer, static_cast<size_t>(n));
    std::string lines;
    size_t start = 0;
    for (size_t end; (end = partial.find('\n', start)) != std::string::npos; start = end + 1)
      lines.append(prefix).append(partial, start, end + 1 - start);
    partial.erase(0, start);
    if (!lines.empty()) write_all(to, lines);  // one write: lines of others never cut in
    return true;
  }
};

struct Running {
  size_t index = 0;  // into the results
  pid_t pid = -1;
  std::string prefix;
  PrefixedStream out, err;
  bool reaped = false;
  int status = 0;
  bool done() const { return reaped && !out.pipe && !err.pipe; }
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
  forwarded.add(*pid);
  int status = 0;
  while (::waitpid(*pid, &status, 0) < 0) {
    if (errno != EINTR)
      return fail(ErrorKind::internal, fmt::format("cannot wait for {}", spec.label), spec.label,
                  errno);
  }
  return exit_code_of(status);
}

std::vector<NamespaceExec> exec_in_namespaces(const std::string& netns_dir,
                                              const std::vector<std::string>& namespaces,
                                              const std::vector<std::string>& argv,
                                              size_t parallel, int out_fd, int err_fd) {
  std::vector<NamespaceExec> results(namespaces.size());
  for (size_t i = 0; i < namespaces.size(); ++i) results[i].ns = namespaces[i];
  parallel = std::clamp<size_t>(parallel, 1, ForwardedSignals::kMaxChildren);
  kernel::UniqueFd null_input(::open("/dev/null", O_RDONLY | O_CLOEXEC));

  ForwardedSignals forwarded;
  std::list<Running> running;
  size_t next = 0;

  // Starts namespace `i`'s command with its output on two pipes; false when it could not.
  auto start = [&](size_t i) {
    auto& result = results[i];
    auto failed = [&](Error error) {
      result.error = std::move(error);
      result.exit_code = 127;
      return false;
    };
    if (argv.empty())
      return failed({ErrorKind::usage, "no command given to run in the namespace", result.ns});
    auto entry = kernel::prepare_namespace_entry(netns_dir, result.ns);
    if (!entry) return failed(entry.error());
    int out_pipe[2], err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0)
      return failed({ErrorKind::internal, "cannot make a pipe", result.ns, errno});
    kernel::UniqueFd out_read(out_pipe[0]), out_write(out_pipe[1]);
    if (::pipe2(err_pipe, O_CLOEXEC) != 0)
      return failed({ErrorKind::internal, "cannot make a pipe", result.ns, errno});
    kernel::UniqueFd err_read(err_pipe[0]), err_write(err_pipe[1]);
    LaunchSpec spec;
    spec.label = fmt::format("'{}' in namespace {}", argv[0], result.ns);
    spec.entry = std::move(*entry);
    spec.argv = argv;
    spec.stdin_fd = null_input.get();
    spec.stdout_fd = out_write.get();
    spec.stderr_fd = err_write.get();
    forwarded.hold();
    auto pid = launch(spec);
    if (!pid) {
      forwarded.release();
      return failed(pid.error());
    }
    forwarded.add(*pid);
    result.started = true;
    auto& r = running.emplace_back();
    r.index = i;
    r.pid = *pid;
    r.prefix = fmt::format("[{}] ", result.ns);
    r.out = {std::move(out_read), out_fd, {}};
    r.err = {std::move(err_read), err_fd, {}};
    return true;
  };

  while (next < namespaces.size() || !running.empty()) {
    while (next < namespaces.size() && running.size() < parallel &&
           ForwardedSignals::stop_requested() == 0)
      start(next++);
    if (ForwardedSignals::stop_requested() != 0) next = namespaces.size();  // no more starts
    if (running.empty()) continue;

    std::vector<pollfd> fds;
    std::vector<PrefixedStream*> streams;
    for (auto& r : running)
      for (auto* s : {&r.out, &r.err})
        if (s->pipe) {
          fds.push_back({s->pipe.get(), POLLIN, 0});
          streams.push_back(s);
        }
    // Pipes at EOF and a command not reaped yet (it closed its output but runs on): look
    // again soon.
    bool unreaped = std::any_of(running.begin(), running.end(), [](auto& r) { return !r.reaped; });
    int ready = ::poll(fds.data(), fds.size(), fds.empty() || unreaped ? 50 : -1);
    if (ready > 0)
      for (size_t k = 0; k < fds.size(); ++k)
        if (fds[k].revents != 0) {
          auto& owner = *std::find_if(running.begin(), running.end(), [&](auto& r) {
            return &r.out == streams[k] || &r.err == streams[k];
          });
          streams[k]->drain(owner.prefix);
        }
    for (auto it = running.begin(); it != running.end();) {
      if (!it->reaped && ::waitpid(it->pid, &it->status, WNOHANG) == it->pid) {
        it->reaped = true;
        forwarded.remove(it->pid);
      }
      if (!it->done()) {
        ++it;
        continue;
      }
      results[it->index].exit_code = exit_code_of(it->status);
      it = running.erase(it);
    }
  }
  return results;
}

}  // namespace nstopo::services
