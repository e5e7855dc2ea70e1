#include "kernel/sysctl/netconf.h"

#include <linux/netconf.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <sys/socket.h>

#include <array>
#include <cstring>

namespace nstopo::kernel {

namespace {

struct Field {
  std::string_view name;
  int attribute;
};

constexpr std::array kIpv4Fields{
    Field{"forwarding", NETCONFA_FORWARDING},
    Field{"rp_filter", NETCONFA_RP_FILTER},
    Field{"mc_forwarding", NETCONFA_MC_FORWARDING},
    Field{"bc_forwarding", NETCONFA_BC_FORWARDING},
    Field{"proxy_arp", NETCONFA_PROXY_NEIGH},
    Field{"ignore_routes_with_linkdown", NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN},
};
constexpr std::array kIpv6Fields{
    Field{"forwarding", NETCONFA_FORWARDING},
    Field{"mc_forwarding", NETCONFA_MC_FORWARDING},
    Field{"proxy_ndp", NETCONFA_PROXY_NEIGH},
    Field{"ignore_routes_with_linkdown", NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN},
};

template <size_t N>
std::optional<int> attribute_of(const std::array<Field, N>& fields, std::string_view name) {
  for (const auto& field : fields)
    if (field.name == name) return field.attribute;
  return std::nullopt;
}

}  // namespace

std::optional<NetconfKey> netconf_key(std::string_view key) {
  if (key == "net.ipv4.ip_forward") return NetconfKey{AF_INET, "all", NETCONFA_FORWARDING};
  int family = 0;
  if (key.starts_with("net.ipv4.conf.")) {
    family = AF_INET;
    key.remove_prefix(std::string_view("net.ipv4.conf.").size());
  } else if (key.starts_with("net.ipv6.conf.")) {
    family = AF_INET6;
    key.remove_prefix(std::string_view("net.ipv6.conf.").size());
  } else {
    return std::nullopt;
  }
  // DEVICE.FIELD; a device name's dots are written as slashes.
  size_t dot = key.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  std::string device(key.substr(0, dot));
  if (device.find('.') != std::string::npos) return std::nullopt;
  for (char& c : device) c = c == '/' ? '.' : c;
  auto attribute = family == AF_INET ? attribute_of(kIpv4Fields, key.substr(dot + 1))
                                     : attribute_of(kIpv6Fields, key.substr(dot + 1));
  if (!attribute) return std::nullopt;
  return NetconfKey{family, std::move(device), *attribute};
}

void NetconfTable::add(const nlmsghdr& message) {
  if (message.nlmsg_type != RTM_NEWNETCONF || message.nlmsg_len < NLMSG_LENGTH(sizeof(netconfmsg)))
    return;
  std::array<nlattr*, NETCONFA_MAX + 1> found{};
  if (nlmsg_parse(const_cast<nlmsghdr*>(&message), sizeof(netconfmsg), found.data(), NETCONFA_MAX,
                  nullptr) < 0)
    return;
  auto value = [](const nlattr* attribute) -> std::optional<int32_t> {
    if (attribute == nullptr || nla_len(attribute) < static_cast<int>(sizeof(int32_t)))
      return std::nullopt;
    int32_t v = 0;
    std::memcpy(&v, nla_data(attribute), sizeof v);
    return v;
  };
  auto ifindex = value(found[NETCONFA_IFINDEX]);
  if (!ifindex) return;
  int family = static_cast<const netconfmsg*>(nlmsg_data(&message))->ncm_family;
  for (int attribute = NETCONFA_IFINDEX + 1; attribute <= NETCONFA_MAX; ++attribute)
    if (auto v = value(found[static_cast<size_t>(attribute)]))
      values_[{family, *ifindex, attribute}] = *v;
}

std::optional<int32_t> NetconfTable::find(int family, int ifindex, int attribute) const {
  auto found = values_.find({family, ifindex, attribute});
  if (found == values_.end()) return std::nullopt;
  return found->second;
}

}  // namespace nstopo::kernel
