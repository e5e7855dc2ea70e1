#pragma once
// `nstopo exec NS -- CMD...`: the replacement for `ip netns exec`.
#include <string>
#include <vector>

#include "model/error.h"

namespace nstopo::services {

// Runs `argv` (no shell) in namespace `ns` with the environment a service gets there (its own
// mount namespace, /sys showing the namespace's interfaces, /etc/netns/NS/ files bound over
// /etc) but with nstopo's standard streams, environment and working directory, and waits for
// it. Returns its exit code, 128 + the signal number when a signal killed it; an error when it
// could not be started (namespace missing, command not found). While it runs, nstopo ignores
// SIGINT and SIGQUIT (as system(3) does): a Ctrl-C at the terminal is the command's to handle.
Result<int> exec_in_namespace(const std::string& netns_dir, const std::string& ns,
                              const std::vector<std::string>& argv);

}  // namespace nstopo::services
