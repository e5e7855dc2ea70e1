#pragma once
// `nstopo exec NS -- CMD...`: the replacement for `ip netns exec`; and the same command in
// several namespaces at once (`exec --all FILE`, a namespace glob).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/error.h"

namespace nstopo::services {

// Runs `argv` (no shell) in namespace `ns` with the environment a service gets there (its own
// mount namespace, /sys showing the namespace's interfaces, /etc/netns/NS/ files bound over
// /etc) but with nstopo's standard streams, environment and working directory, and waits for
// it. Returns its exit code, 128 + the signal number when a signal killed it; an error when it
// could not be started (namespace missing, command not found). While it runs, SIGINT,
// SIGTERM, SIGHUP and SIGQUIT sent to nstopo are sent on to the command; the ones the terminal
// sends (Ctrl-C) reach the command directly, as the foreground process group, and nstopo
// itself waits on (as system(3) does), so its exit status is the command's.
Result<int> exec_in_namespace(const std::string& netns_dir, const std::string& ns,
                              const std::vector<std::string>& argv);

// What one namespace's command of exec_in_namespaces came to.
struct NamespaceExec {
  std::string ns;
  int exit_code = 0;           // as exec_in_namespace's; 127 when it could not start
  std::optional<Error> error;  // it could not start (namespace gone, command not found)
  bool started = false;        // false also when a signal stopped the run before its turn
};

// Runs `argv` in each of `namespaces`, at most `parallel` at once (each as exec_in_namespace
// does, stdin /dev/null). Every line a command writes goes out whole, prefixed "[NS] ", to
// `out_fd` (its stdout) or `err_fd` (its stderr), as it comes, so lines of different
// namespaces interleave but never mix within a line. Signals are forwarded to every command
// running; after one, no further namespace is started. One result per namespace, in order.
std::vector<NamespaceExec> exec_in_namespaces(const std::string& netns_dir,
                                              const std::vector<std::string>& namespaces,
                                              const std::vector<std::string>& argv,
                                              size_t parallel, int out_fd, int err_fd);

}  // namespace nstopo::services
