#pragma once
// Entering a named network namespace the way `ip netns exec` does (iproute2 lib/namespace.c):
// setns into the namespace, a private mount namespace, a fresh sysfs on /sys so that it shows
// the namespace's interfaces, and every file of /etc/netns/NAME/ bound over /etc/FILE.
// Plus short visits of the calling thread (a socket, a /proc read) that always come back:
// setns(2) is per thread, and a thread left in the wrong namespace would touch the wrong links.
#include <string>
#include <vector>

#include "kernel/unique_fd.h"
#include "model/error.h"

namespace nstopo::kernel {

// Everything a forked child needs to enter the namespace, gathered before fork() so that the
// child only makes system calls (no allocation, no directory reads) between fork and exec.
struct NamespaceEntry {
  struct EtcBinding {
    std::string source;  // /etc/netns/NAME/FILE
    std::string target;  // /etc/FILE
  };
  std::string name;                   // the namespace; also the sysfs mount's source name
  UniqueFd netns;                     // invalid for the host: stay where nstopo is
  std::vector<EtcBinding> etc_bindings;
  bool enters() const { return static_cast<bool>(netns); }
};

// The files of /etc/netns/NAME/ are read here. `ns` "host" (model::kHostNamespace) gives an
// entry that changes nothing. A missing namespace is an error naming its path.
Result<NamespaceEntry> prepare_namespace_entry(const std::string& netns_dir, const std::string& ns);

// Which step of entering a namespace failed in the child, and why.
struct EntryFailure {
  enum class Step : int { none, setns, unshare_mounts, make_slave, mount_sysfs, bind_etc };
  Step step = Step::none;
  int error_number = 0;
  int binding = -1;  // bind_etc: index into NamespaceEntry::etc_bindings
};

// Only in a freshly forked child, never in nstopo itself (it changes the calling process's
// mount namespace for good). Async-signal-safe: system calls only. Returns false and fills
// `failure` when a step fails.
bool enter_namespace_in_child(const NamespaceEntry& entry, EntryFailure& failure) noexcept;

// "cannot mount a fresh sysfs on /sys in namespace ns_rifky" (the errno goes in Error).
std::string describe_entry_failure(const NamespaceEntry& entry, const EntryFailure& failure);

// A socket created inside namespace `ns` (the calling thread goes in and comes straight back).
Result<UniqueFd> socket_in_namespace(const std::string& netns_dir, const std::string& ns,
                                     int domain, int type, int protocol = 0);

// IPv6 addresses of namespace `ns` that are still tentative (duplicate address detection not
// finished), as "ADDR on DEV", read from /proc/net/if_inet6 inside the namespace. Link-local
// addresses are left out: services bind declared (global or ULA) addresses, or wildcards.
Result<std::vector<std::string>> tentative_ipv6_addresses(const std::string& netns_dir,
                                                          const std::string& ns);

// The names of the interfaces of namespace `ns`, read from /proc/net/dev inside it.
Result<std::vector<std::string>> interface_names(const std::string& netns_dir, const std::string& ns);

// The parsing half of the above: the lines of /proc/net/dev after its two header lines
// ("  eth0: 1234 ...").
std::vector<std::string> parse_interface_names(std::string_view net_dev);

// The parsing half of tentative_ipv6_addresses, for tests: lines of /proc/net/if_inet6
// ("fe800000000000000000000000000001 02 40 20 40 eth0", the fifth column the IFA_F_* flags).
std::vector<std::string> parse_tentative_ipv6_addresses(std::string_view if_inet6);

}  // namespace nstopo::kernel
