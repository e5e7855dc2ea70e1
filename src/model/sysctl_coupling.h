#pragma once
// How the kernel couples network sysctls: writing some keys rewrites others of the same
// namespace. The planner orders writes and predicts their side effects with this; the test
// fake kernel plays the same rules.
//
//   net.ipv4.ip_forward and net.ipv4.conf.all.forwarding are one value. Changing it sets
//   net.ipv4.conf.{default,every interface}.forwarding to it, and
//   net.ipv4.conf.all.accept_redirects to its negation (inet_forward_change).
//   net.ipv6.conf.all.forwarding and net.ipv6.conf.all.disable_ipv6, changed, set the same key
//   of `default` and of every interface (addrconf_forward_change, addrconf_disable_change).
//   net.ipv4.conf.default.X, changed, is copied to every interface that never had X set on
//   its own (devinet_copy_dflt_conf): which ones nstopo cannot see, so it "may rewrite" them.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nstopo::model {

// The order in which sysctls of one namespace are written: 0 forwarding switches that fan out
// (net.ipv4.ip_forward, net.ipv{4,6}.conf.all.forwarding), 1 other conf.all.* keys, 2
// conf.default.* keys, 3 everything else (per-interface keys). A key written later can then
// never be overwritten by one written before it.
int sysctl_write_order(std::string_view key);

// What changing `written` to `value` does to `other` (another key of the same namespace).
struct SysctlEffect {
  enum class Kind { none, sets, may_rewrite } kind = Kind::none;
  std::string value;  // sets: the value `other` takes
};
SysctlEffect sysctl_effect(std::string_view written, std::string_view value, std::string_view other);

// The keys of a namespace with these interfaces that changing `key` sets (the `sets` effects
// above): for net.ipv4.ip_forward, net.ipv4.conf.default.forwarding,
// net.ipv4.conf.all.accept_redirects and net.ipv4.conf.IFACE.forwarding of each interface.
// Empty for a key that fans out to none.
std::vector<std::string> sysctl_fanned_out(std::string_view key,
                                           const std::vector<std::string>& interfaces);

// The one name of keys the kernel holds as one value: "net.ipv4.conf.all.forwarding" ->
// "net.ipv4.ip_forward"; any other key as it is (path form "net/..." turned dotted).
std::string sysctl_canonical(std::string_view key);

// The interface a per-interface key names ("net.ipv4.conf.eth0.rp_filter" -> "eth0",
// "net.ipv6.neigh.eth0.X" -> "eth0"; '/' in the key stands for '.' in the name); nullopt for
// "all", "default" and keys that name none.
std::optional<std::string> sysctl_interface(std::string_view key);

// The same per-interface key for another device ("net.ipv4.conf.eth0.rp_filter", "default" ->
// "net.ipv4.conf.default.rp_filter"), dotted; nullopt for a key that names no device.
std::optional<std::string> sysctl_with_device(std::string_view key, std::string_view device);

}  // namespace nstopo::model
