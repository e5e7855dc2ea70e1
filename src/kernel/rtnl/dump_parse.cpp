#include "kernel/rtnl/dump_parse.h"

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace nstopo::kernel {

namespace {

// Attribute readers that check the length the kernel gave (libnl's nla_get_* do not).
template <typename T>
std::optional<T> fixed(const nlattr* attribute) {
  if (attribute == nullptr || nla_len(attribute) < static_cast<int>(sizeof(T))) return std::nullopt;
  T value{};
  std::memcpy(&value, nla_data(attribute), sizeof(T));
  return value;
}

std::string text(const nlattr* attribute) {
  if (attribute == nullptr) return {};
  const char* data = static_cast<const char*>(nla_data(attribute));
  return std::string(data, ::strnlen(data, static_cast<size_t>(std::max(nla_len(attribute), 0))));
}

// An IPv4 or IPv6 address attribute of the message's family.
std::optional<model::IpAddress> ip_address(const nlattr* attribute, int family) {
  if (attribute == nullptr) return std::nullopt;
  model::IpAddress ip;
  ip.family = family == AF_INET ? model::Family::inet : model::Family::inet6;
  if (nla_len(attribute) != ip.byte_length()) return std::nullopt;
  std::memcpy(ip.bytes.data(), nla_data(attribute), static_cast<size_t>(ip.byte_length()));
  return ip;
}

// libnl wants a mutable header; parsing does not change it.
template <size_t N>
bool parse(const nlmsghdr& message, size_t header_size, std::array<nlattr*, N>& found) {
  if (message.nlmsg_len < NLMSG_LENGTH(header_size)) return false;
  return nlmsg_parse(const_cast<nlmsghdr*>(&message), static_cast<int>(header_size), found.data(),
                     static_cast<int>(N - 1), nullptr) >= 0;
}

template <typename Header>
const Header& header_of(const nlmsghdr& message) {
  return *static_cast<const Header*>(nlmsg_data(&message));
}

}  // namespace

// IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE } }: whether the kernel makes IPv6
// link-local addresses for the link; nullopt when the link has no IPv6 settings.
std::optional<bool> ipv6_link_local(const nlattr* af_spec) {
  if (af_spec == nullptr) return std::nullopt;
  std::array<nlattr*, AF_INET6 + 1> families{};
  if (nla_parse_nested(families.data(), AF_INET6, const_cast<nlattr*>(af_spec), nullptr) < 0 ||
      families[AF_INET6] == nullptr)
    return std::nullopt;
  std::array<nlattr*, IFLA_INET6_MAX + 1> inet6{};
  if (nla_parse_nested(inet6.data(), IFLA_INET6_MAX, families[AF_INET6], nullptr) < 0)
    return std::nullopt;
  auto mode = fixed<uint8_t>(inet6[IFLA_INET6_ADDR_GEN_MODE]);
  if (!mode) return std::nullopt;
  return *mode != IN6_ADDR_GEN_MODE_NONE;
}

namespace {

// IFLA_INFO_DATA of a vxlan: its VNI, remote (IFLA_VXLAN_GROUP: a unicast remote is kept
// there), local address and port (network order).
std::optional<model::Vxlan> vxlan_of(const nlattr* data) {
  if (data == nullptr) return std::nullopt;
  std::array<nlattr*, IFLA_VXLAN_MAX + 1> found{};
  if (nla_parse_nested(found.data(), IFLA_VXLAN_MAX, const_cast<nlattr*>(data), nullptr) < 0)
    return std::nullopt;
  auto vni = fixed<uint32_t>(found[IFLA_VXLAN_ID]);
  if (!vni) return std::nullopt;
  model::Vxlan vxlan{.vni = *vni};
  if (auto remote = ip_address(found[IFLA_VXLAN_GROUP], AF_INET))
    vxlan.remote = *remote;
  else if (auto remote6 = ip_address(found[IFLA_VXLAN_GROUP6], AF_INET6))
    vxlan.remote = *remote6;
  vxlan.local = ip_address(found[IFLA_VXLAN_LOCAL], AF_INET);
  if (!vxlan.local) vxlan.local = ip_address(found[IFLA_VXLAN_LOCAL6], AF_INET6);
  if (auto port = fixed<uint16_t>(found[IFLA_VXLAN_PORT])) vxlan.port = ntohs(*port);
  return vxlan;
}

// IFLA_INFO_SLAVE_DATA of a bridge port: IFLA_BRPORT_ISOLATED.
std::optional<bool> port_isolated(const nlattr* data) {
  if (data == nullptr) return std::nullopt;
  std::array<nlattr*, IFLA_BRPORT_MAX + 1> found{};
  if (nla_parse_nested(found.data(), IFLA_BRPORT_MAX, const_cast<nlattr*>(data), nullptr) < 0)
    return std::nullopt;
  auto isolated = fixed<uint8_t>(found[IFLA_BRPORT_ISOLATED]);
  if (!isolated) return std::nullopt;
  return *isolated != 0;
}

}  // namespace

std::optional<LinkMessage> parse_link(const nlmsghdr& message) {
  std::array<nlattr*, IFLA_MAX + 1> found{};
  if (message.nlmsg_type != RTM_NEWLINK || !parse(message, sizeof(ifinfomsg), found))
    return std::nullopt;
  const auto& info = header_of<ifinfomsg>(message);
  LinkMessage parsed;
  model::ObservedLink& link = parsed.link;
  link.name = text(found[IFLA_IFNAME]);
  link.ifindex = info.ifi_index;
  link.up = (info.ifi_flags & IFF_UP) != 0;
  link.mtu = fixed<uint32_t>(found[IFLA_MTU]).value_or(0);
  link.alias = text(found[IFLA_IFALIAS]);
  if (const nlattr* address = found[IFLA_ADDRESS];
      address != nullptr && nla_len(address) == static_cast<int>(link.mac.bytes.size()))
    std::memcpy(link.mac.bytes.data(), nla_data(address), link.mac.bytes.size());
  if (found[IFLA_LINKINFO] != nullptr) {
    std::array<nlattr*, IFLA_INFO_MAX + 1> info_found{};
    if (nla_parse_nested(info_found.data(), IFLA_INFO_MAX, found[IFLA_LINKINFO], nullptr) >= 0) {
      link.kind = text(info_found[IFLA_INFO_KIND]);
      if (link.kind == "vxlan") link.vxlan = vxlan_of(info_found[IFLA_INFO_DATA]);
      if (text(info_found[IFLA_INFO_SLAVE_KIND]) == "bridge")
        link.isolated = port_isolated(info_found[IFLA_INFO_SLAVE_DATA]);
    }
  }
  if (link.kind == "veth") link.peer_ifindex = fixed<int32_t>(found[IFLA_LINK]).value_or(0);
  if (auto netnsid = fixed<int32_t>(found[IFLA_LINK_NETNSID])) link.peer_netnsid = *netnsid;
  parsed.master_ifindex = fixed<int32_t>(found[IFLA_MASTER]).value_or(0);
  link.ipv6_link_local = ipv6_link_local(found[IFLA_AF_SPEC]);
  parsed.noqueue_root = text(found[IFLA_QDISC]) == "noqueue";
  if (link.name.empty()) return std::nullopt;
  return parsed;
}

std::optional<AddressMessage> parse_address(const nlmsghdr& message) {
  std::array<nlattr*, IFA_MAX + 1> found{};
  if (message.nlmsg_type != RTM_NEWADDR || !parse(message, sizeof(ifaddrmsg), found))
    return std::nullopt;
  const auto& info = header_of<ifaddrmsg>(message);
  if (info.ifa_family != AF_INET && info.ifa_family != AF_INET6) return std::nullopt;
  // IFA_LOCAL is the interface's own address; IFA_ADDRESS the peer's on a point-to-point
  // link. IPv6 sends only IFA_ADDRESS.
  auto ip = ip_address(found[IFA_LOCAL], info.ifa_family);
  if (!ip) ip = ip_address(found[IFA_ADDRESS], info.ifa_family);
  if (!ip) return std::nullopt;
  AddressMessage parsed;
  parsed.ifindex = static_cast<int>(info.ifa_index);
  parsed.address.prefix = model::Prefix{*ip, info.ifa_prefixlen};
  parsed.address.flags = fixed<uint32_t>(found[IFA_FLAGS]).value_or(info.ifa_flags);
  parsed.address.scope = info.ifa_scope;
  parsed.address.proto = fixed<uint8_t>(found[IFA_PROTO]).value_or(0);
  return parsed;
}

std::optional<RouteMessage> parse_route(const nlmsghdr& message) {
  std::array<nlattr*, RTA_MAX + 1> found{};
  if (message.nlmsg_type != RTM_NEWROUTE || !parse(message, sizeof(rtmsg), found))
    return std::nullopt;
  const auto& info = header_of<rtmsg>(message);
  if (info.rtm_family != AF_INET && info.rtm_family != AF_INET6) return std::nullopt;
  uint32_t table = fixed<uint32_t>(found[RTA_TABLE]).value_or(info.rtm_table);
  if (table != RT_TABLE_MAIN || info.rtm_type != RTN_UNICAST) return std::nullopt;
  auto family = info.rtm_family == AF_INET ? model::Family::inet : model::Family::inet6;
  RouteMessage parsed;
  model::ObservedRoute& route = parsed.route;
  route.to = model::Prefix::default_route(family);
  route.to.length = info.rtm_dst_len;
  if (auto destination = ip_address(found[RTA_DST], info.rtm_family))
    route.to.address = *destination;
  route.via = ip_address(found[RTA_GATEWAY], info.rtm_family);
  route.metric = fixed<uint32_t>(found[RTA_PRIORITY]).value_or(0);
  route.protocol = info.rtm_protocol;
  route.table = RT_TABLE_MAIN;
  route.type = info.rtm_type;
  parsed.oif = fixed<int32_t>(found[RTA_OIF]).value_or(0);
  return parsed;
}

}  // namespace nstopo::kernel

namespace nstopo::kernel {

namespace {

// TCA_OPTIONS of tbf: tc_tbf_qopt in TCA_TBF_PARMS, a rate above 32 bits in TCA_TBF_RATE64.
void parse_tbf(const nlattr* options, model::QdiscSpec& spec) {
  std::array<nlattr*, TCA_TBF_MAX + 1> found{};
  if (nla_parse_nested(found.data(), TCA_TBF_MAX, const_cast<nlattr*>(options), nullptr) < 0) return;
  if (auto parms = fixed<tc_tbf_qopt>(found[TCA_TBF_PARMS])) {
    spec.rate = parms->rate.rate;
    spec.limit = parms->limit;
  }
  if (auto rate64 = fixed<uint64_t>(found[TCA_TBF_RATE64])) spec.rate = *rate64;
}

// TCA_OPTIONS of netem: a tc_netem_qopt, then attributes (in the same payload). Times are
// read from the 64-bit nanosecond attributes (kernel >= 4.15), else from the ticks.
void parse_netem(const nlattr* options, model::QdiscSpec& spec) {
  auto* data = static_cast<const char*>(nla_data(options));
  int length = nla_len(options);
  if (length < static_cast<int>(sizeof(tc_netem_qopt))) return;
  tc_netem_qopt qopt{};
  std::memcpy(&qopt, data, sizeof qopt);
  spec.limit = qopt.limit;
  spec.loss = qopt.loss;
  spec.duplicate = qopt.duplicate;
  auto ticks_to_us = [](uint64_t ticks) { return static_cast<uint32_t>((ticks * 64 + 500) / 1000); };
  spec.delay = ticks_to_us(qopt.latency);
  spec.jitter = ticks_to_us(qopt.jitter);
  int rest = length - static_cast<int>(NLA_ALIGN(sizeof qopt));
  if (rest <= 0) return;
  std::array<nlattr*, TCA_NETEM_MAX + 1> found{};
  auto* first = reinterpret_cast<nlattr*>(const_cast<char*>(data) + NLA_ALIGN(sizeof qopt));
  if (nla_parse(found.data(), TCA_NETEM_MAX, first, rest, nullptr) < 0) return;
  auto ns_to_us = [](int64_t ns) { return static_cast<uint32_t>((ns + 500) / 1000); };
  if (auto latency = fixed<int64_t>(found[TCA_NETEM_LATENCY64])) spec.delay = ns_to_us(*latency);
  if (auto jitter = fixed<int64_t>(found[TCA_NETEM_JITTER64])) spec.jitter = ns_to_us(*jitter);
  if (auto corrupt = fixed<tc_netem_corrupt>(found[TCA_NETEM_CORRUPT]))
    spec.corrupt = corrupt->probability;
  if (auto reorder = fixed<tc_netem_reorder>(found[TCA_NETEM_REORDER]))
    spec.reorder = reorder->probability;
  if (auto rate = fixed<tc_netem_rate>(found[TCA_NETEM_RATE])) spec.rate = rate->rate;
  if (auto rate64 = fixed<uint64_t>(found[TCA_NETEM_RATE64])) spec.rate = *rate64;
}

}  // namespace

std::optional<QdiscMessage> parse_qdisc(const nlmsghdr& message) {
  if (message.nlmsg_type != RTM_NEWQDISC) return std::nullopt;
  std::array<nlattr*, TCA_MAX + 1> found{};
  if (!parse(message, sizeof(tcmsg), found)) return std::nullopt;
  const auto& header = header_of<tcmsg>(message);
  if (header.tcm_parent != TC_H_ROOT) return std::nullopt;
  QdiscMessage out;
  out.ifindex = header.tcm_ifindex;
  out.qdisc.handle = header.tcm_handle;
  out.qdisc.kind = text(found[TCA_KIND]);
  if (const nlattr* options = found[TCA_OPTIONS]) {
    if (out.qdisc.kind == "tbf") {
      out.qdisc.spec.kind = model::QdiscKind::tbf;
      parse_tbf(options, out.qdisc.spec);
    } else if (out.qdisc.kind == "netem") {
      out.qdisc.spec.kind = model::QdiscKind::netem;
      parse_netem(options, out.qdisc.spec);
    }
  }
  return out;
}

}  // namespace nstopo::kernel
