#include "cli/namespace_access.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "model/topology.h"
#include "parse/names.h"

namespace nstopo::cli {

namespace {

// CAP_SYS_ADMIN in the effective set: what entering a namespace (setns) and giving the command
// its own /sys (unshare, mount) need. Asked with the raw capget(2), as the kernel layer does.
bool can_enter_namespaces() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capget, &header, data) != 0) return false;
  return (data[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32))) != 0;
}

}  // namespace

std::optional<Error> namespace_entry_problem(const std::string& ns, const std::string& command) {
  if (ns == model::kHostNamespace) return std::nullopt;  // the host is not entered
  if (auto problem = parse::namespace_name_problem(ns))
    return Error{ErrorKind::usage,
                 fmt::format("'{}' is not a namespace nstopo can enter: {}", ns, problem->message),
                 ns};
  if (!can_enter_namespaces())
    return Error{ErrorKind::permission,
                 fmt::format("{} needs root (CAP_SYS_ADMIN) to enter namespace {}; run it with sudo",
                             command, ns),
                 ns};
  return std::nullopt;
}

}  // namespace nstopo::cli
