#pragma once
// The network sysctls that rtnetlink also reports (RTM_GETNETCONF): forwarding, rp_filter,
// proxy_arp/proxy_ndp, mc_forwarding, bc_forwarding and ignore_routes_with_linkdown, per
// device and for "all" and "default". The observer reads these with one dump over the
// namespace's socket instead of from /proc/sys/net: there, every lookup walks one cached
// directory entry per network namespace on the machine (the entries for all namespaces share
// one name under /proc/sys), so N namespaces cost O(N^2).
#include <linux/netlink.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace nstopo::kernel {

struct NetconfKey {
  int family = 0;      // AF_INET, AF_INET6
  std::string device;  // "all", "default" or a link name
  int attribute = 0;   // NETCONFA_*
};

// "net.ipv4.ip_forward" -> {AF_INET, "all", NETCONFA_FORWARDING};
// "net.ipv4.conf.eth0.rp_filter" -> {AF_INET, "eth0", NETCONFA_RP_FILTER}; nullopt for a key
// netconf does not carry. Keys are in sysctl(8)'s dotted form ('/' in a device name for '.').
std::optional<NetconfKey> netconf_key(std::string_view key);

// The values of RTM_NEWNETCONF messages, by family, ifindex (NETCONFA_IFINDEX_ALL and
// _DEFAULT for all and default) and attribute.
class NetconfTable {
 public:
  void add(const nlmsghdr& message);  // ignores anything but RTM_NEWNETCONF
  std::optional<int32_t> find(int family, int ifindex, int attribute) const;
  void clear() { values_.clear(); }

 private:
  std::map<std::tuple<int, int, int>, int32_t> values_;
};

}  // namespace nstopo::kernel
