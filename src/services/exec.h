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
// could not be started (namespace missing, command not found). While it runs, SIGINT,
// SIGTERM, SIGHUP and SIGQUIT sent to nstopo are sent on to the command; the ones the terminal
// sends (Ctrl-C) reach the command directly, as the foreground process group, and nstopo
// itself waits on (as system(3) does), so its exit status is the command's.
Result<int> exec_in_namespace(const std::string& netns_dir, const std::string& ns,
                              const std::vector<std::string>& argv);

}  // namespace nstopo::services
