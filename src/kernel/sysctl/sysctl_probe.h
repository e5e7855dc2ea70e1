#pragma once
// Whether a network sysctl exists in the calling thread's network namespace (the caller
// enters it first, as for sysctl.h), and if not, the keys beside it: the facts behind the
// plan's "did you mean" (plan/preflight.h).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nstopo::kernel {

// nullopt when `key` exists (or is no net.* key: the parser refuses those); otherwise the
// existing keys of the deepest /proc/sys/net directory on its path, dotted, sorted (for
// "net.ipv4.ip_forwardd": every entry of /proc/sys/net/ipv4, "net.ipv4.ip_forward" among them).
std::optional<std::vector<std::string>> absent_sysctl_neighbours(std::string_view key);

}  // namespace nstopo::kernel
