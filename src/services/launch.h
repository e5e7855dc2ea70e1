#pragma once
// fork + enter the namespace + drop privileges + exec, with every failure before exec sent
// back to nstopo over a close-on-exec pipe: an empty pipe at EOF means the exec succeeded.
// Shared by services, exec readiness probes and `nstopo exec`.
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "kernel/netns/netns_exec.h"
#include "model/error.h"
#include "services/identity.h"

namespace nstopo::services {

struct LaunchSpec {
  std::string label;  // "service ns_rifky/web": the error reads "failed to start <label>: ..."
  kernel::NamespaceEntry entry;
  std::vector<std::string> argv;  // never run through a shell; argv[0] is looked up in PATH
  std::optional<std::string> executable;  // the file to exec instead of argv[0]'s
  std::optional<std::vector<std::string>> environment;  // "NAME=value"; nullopt: nstopo's own
  std::optional<std::string> cwd;                       // nullopt: nstopo's own
  std::optional<UserIdentity> user;                     // nullopt: stay who nstopo is
  bool new_session = false;  // setsid(): detached from nstopo's terminal, its own process group
  int stdin_fd = -1;         // -1: inherit nstopo's
  int stdout_fd = -1;
  int stderr_fd = -1;
};

// The child's pid once its command is running. The child is nstopo's to reap (release it
// with waitpid when it ends); when nstopo exits first, init adopts it.
Result<pid_t> launch(const LaunchSpec& spec);

}  // namespace nstopo::services
