#include "graph/graphviz.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nstopo::graph {

namespace {

constexpr std::string_view kMissing =
    "Graphviz's `dot` was not found in PATH: -f svg and -f html need it (Debian: apt-get install "
    "graphviz); -f dot, -f mermaid and -f json do not";

struct Pipe {
  int read = -1, write = -1;
  bool open() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return false;
    read = fds[0];
    write = fds[1];
    return true;
  }
};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// SIGPIPE ignored while dot runs: a dot that exits early must give EPIPE, not end nstopo.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, &saved_);
  }
  ~IgnoreSigpipe() { sigaction(SIGPIPE, &saved_, nullptr); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  struct sigaction saved_ {};
};

}  // namespace

Result<std::string> run_dot_svg(const std::string& dot_text) {
  Pipe in, out, err, exec_status;
  if (!in.open() || !out.open() || !err.open() || !exec_status.open())
    return fail(ErrorKind::internal, "cannot make a pipe for dot", "dot", errno);

  pid_t pid = fork();
  if (pid < 0) return fail(ErrorKind::internal, "cannot fork to run dot", "dot", errno);
  if (pid == 0) {
    // Only async-signal-safe calls until exec. The pipes are O_CLOEXEC; dup2 clears it.
    dup2(in.read, STDIN_FILENO);
    dup2(out.write, STDOUT_FILENO);
    dup2(err.write, STDERR_FILENO);
    char dot[] = "dot", tsvg[] = "-Tsvg";
    char* argv[] = {dot, tsvg, nullptr};
    execvp("dot", argv);
    int e = errno;
    (void)!::write(exec_status.write, &e, sizeof e);
    _exit(127);
  }
  close_fd(in.read);
  close_fd(out.write);
  close_fd(err.write);
  close_fd(exec_status.write);
  // Non-blocking: a blocking write of the whole text could wait on dot while dot waits on us.
  fcntl(in.write, F_SETFL, fcntl(in.write, F_GETFL) | O_NONBLOCK);

  IgnoreSigpipe guard;
  std::string svg, diagnostics;
  size_t written = 0;
  int write_error = 0;
  if (dot_text.empty()) close_fd(in.write);
  // Write and read at once: dot may fill its output pipe before it has read all its input.
  while (out.read >= 0 || err.read >= 0) {
    pollfd fds[3];
    int n = 0;
    for (int fd : {in.write, out.read, err.read})
      if (fd >= 0) fds[n++] = {fd, static_cast<short>(fd == in.write ? POLLOUT : POLLIN), 0};
    if (poll(fds, static_cast<nfds_t>(n), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in.write) {
        ssize_t w = ::write(in.write, dot_text.data() + written, dot_text.size() - written);
        if (w < 0 && errno != EINTR && errno != EAGAIN) write_error = errno;
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 ? write_error != 0 : written == dot_text.size()) close_fd(in.write);
        continue;
      }
      char buffer[65536];
      ssize_t r = ::read(fds[i].fd, buffer, sizeof buffer);
      if (r < 0 && errno == EINTR) continue;
      int& fd = fds[i].fd == out.read ? out.read : err.read;
      if (r <= 0) {
        close_fd(fd);
        continue;
      }
      (fd == out.read ? svg : diagnostics).append(buffer, static_cast<size_t>(r));
    }
  }
  close_fd(in.write);

  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  int exec_errno = 0;
  ssize_t got = ::read(exec_status.read, &exec_errno, sizeof exec_errno);
  close_fd(exec_status.read);
  if (got == sizeof exec_errno) {
    if (exec_errno == ENOENT) return fail(ErrorKind::unsupported, std::string(kMissing), "dot");
    return fail(ErrorKind::unsupported, "cannot run Graphviz's dot: " + std::string(std::strerror(exec_errno)),
                "dot", exec_errno);
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    while (!diagnostics.empty() && diagnostics.back() == '\n') diagnostics.pop_back();
    auto how = WIFEXITED(status) ? fmt::format("exited {}", WEXITSTATUS(status))
                                 : fmt::format("was killed by signal {}", WTERMSIG(status));
    return fail(ErrorKind::internal,
                fmt::format("Graphviz's dot {} on the graph nstopo made: {}", how,
                            diagnostics.empty() ? "(it said nothing)" : diagnostics),
                "dot");
  }
  if (write_error != 0)
    return fail(ErrorKind::internal, "dot stopped reading the graph before its end", "dot", write_error);
  return svg;
}

}  // namespace nstopo::graph
