#include "kernel/rtnl/link_requests.h"

#include <linux/if_link.h>
#include <netlink/route/link/inet6.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/vxlan.h>

#include <cerrno>
#include <cstring>

#include "kernel/rtnl/dump_parse.h"
#include "kernel/rtnl/nl_objects.h"
#include "kernel/rtnl/request_building.h"

namespace nstopo::kernel {

namespace {

// Name, MTU, MAC and target namespace of a link object.
NetlinkResult<void> describe(rtnl_link* object, const NewLink& link) {
  rtnl_link_set_name(object, link.name.c_str());
  if (link.mtu) rtnl_link_set_mtu(object, *link.mtu);
  if (link.mac) {
    nl::AddressPtr mac = nl::make_mac(*link.mac);
    if (!mac) return std::unexpected(out_of_memory());
    rtnl_link_set_addr(object, mac.get());  // takes its own reference
  }
  if (link.netns_fd >= 0) rtnl_link_set_ns_fd(object, link.netns_fd);
  return {};
}

NetlinkResult<nl::MessagePtr> build_add(rtnl_link* object, int flags) {
  nl_msg* raw = nullptr;
  if (int err = rtnl_link_build_add_request(object, flags, &raw); err < 0)
    return std::unexpected(build_failure(err));
  return nl::take(raw);
}

}  // namespace

Error link_creation_error(const Refusal& refusal, std::string_view kind, const std::string& message,
                          const std::string& object) {
  // rtnl_newlink answers a kind it cannot find (after trying to load rtnl-link-KIND) with
  // EOPNOTSUPP and "Unknown device type".
  bool unknown_kind =
      refusal.error_number == EOPNOTSUPP &&
      (refusal.text.empty() || refusal.text.find("Unknown device type") != std::string::npos);
  Error error = refusal_error(refusal, message, object);
  if (unknown_kind) {
    error.kind = ErrorKind::unsupported;
    error.message =
        fmt::format("{}: this kernel has no '{}' link type (module not available)", message, kind);
  }
  return error;
}

Result<void> create_link(NetlinkSocket& socket, std::string_view kind, const NewLink& link,
                         const std::string& message, const std::string& object) {
  auto refused = [&](const Refusal& why) {
    return std::unexpected(link_creation_error(why, kind, message, object));
  };
  nl::LinkPtr new_link(rtnl_link_alloc());
  if (!new_link) return refused(out_of_memory());
  if (int err = rtnl_link_set_type(new_link.get(), std::string(kind).c_str()); err < 0)
    return refused(build_failure(err));
  if (auto described = describe(new_link.get(), link); !described)
    return refused(described.error());
  auto request = build_add(new_link.get(), NLM_F_CREATE | NLM_F_EXCL);
  if (!request) return refused(request.error());
  if (auto sent = socket.request(request->get()); !sent) return refused(sent.error());
  return {};
}

Result<void> create_veth(NetlinkSocket& socket, const NewLink& end, const NewLink& peer,
                         const std::string& message, const std::string& object) {
  auto refused = [&](const Refusal& why) {
    return std::unexpected(link_creation_error(why, "veth", message, object));
  };
  nl::LinkPtr link(rtnl_link_veth_alloc());
  if (!link) return refused(out_of_memory());
  // The peer belongs to `link`; this is one more reference, released first.
  nl::LinkPtr peer_link(rtnl_link_veth_get_peer(link.get()));
  if (!peer_link) return refused(out_of_memory());
  if (auto described = describe(link.get(), end); !described) return refused(described.error());
  if (auto described = describe(peer_link.get(), peer); !described)
    return refused(described.error());
  auto request = build_add(link.get(), NLM_F_CREATE | NLM_F_EXCL);
  if (!request) return refused(request.error());
  if (auto sent = socket.request(request->get()); !sent) return refused(sent.error());
  return {};
}

Result<void> create_vxlan(NetlinkSocket& socket, const NewLink& link, const model::Vxlan& vxlan,
                          const std::string& message, const std::string& object) {
  auto refused = [&](const Refusal& why) {
    return std::unexpected(link_creation_error(why, "vxlan", message, object));
  };
  nl::LinkPtr new_link(rtnl_link_vxlan_alloc());
  if (!new_link) return refused(out_of_memory());
  if (auto described = describe(new_link.get(), link); !described)
    return refused(described.error());
  nl::AddressPtr remote = nl::make_address(vxlan.remote);
  if (!remote) return refused(out_of_memory());
  int err = rtnl_link_vxlan_set_id(new_link.get(), vxlan.vni);
  if (err >= 0) err = rtnl_link_vxlan_set_group(new_link.get(), remote.get());
  if (err >= 0) err = rtnl_link_vxlan_set_port(new_link.get(), vxlan.port);
  nl::AddressPtr local;
  if (err >= 0 && vxlan.local) {
    local = nl::make_address(*vxlan.local);
    if (!local) return refused(out_of_memory());
    err = rtnl_link_vxlan_set_local(new_link.get(), local.get());
  }
  if (err < 0) return refused(build_failure(err));
  auto request = build_add(new_link.get(), NLM_F_CREATE | NLM_F_EXCL);
  if (!request) return refused(request.error());
  if (auto sent = socket.request(request->get()); !sent) return refused(sent.error());
  return {};
}

NetlinkResult<void> change_link(NetlinkSocket& socket, std::string_view name,
                                const LinkChange& change) {
  nl::LinkPtr link(rtnl_link_alloc());
  if (!link) return std::unexpected(out_of_memory());
  NewLink base{std::string(name), change.mtu, change.mac, change.netns_fd};
  if (auto described = describe(link.get(), base); !described) return described;
  if (change.master_ifindex) rtnl_link_set_master(link.get(), *change.master_ifindex);
  if (change.up) {
    if (*change.up)
      rtnl_link_set_flags(link.get(), IFF_UP);
    else
      rtnl_link_unset_flags(link.get(), IFF_UP);
  }
  if (change.ipv6_link_local)
    rtnl_link_inet6_set_addr_gen_mode(link.get(), *change.ipv6_link_local
                                                      ? IN6_ADDR_GEN_MODE_EUI64
                                                      : IN6_ADDR_GEN_MODE_NONE);
  auto request = build_add(link.get(), 0);
  if (!request) return std::unexpected(request.error());
  // The alias goes in raw: libnl would send it with its NUL, which the kernel keeps as part of
  // the alias (so "" would not remove it). iproute2 sends the bare bytes too.
  if (change.alias && nla_put(request->get(), IFLA_IFALIAS, static_cast<int>(change.alias->size()),
                              change.alias->data()) < 0)
    return std::unexpected(out_of_memory());
  return socket.request(request->get());
}

NetlinkResult<void> set_port_isolated(NetlinkSocket& socket, std::string_view name, bool isolated) {
  // libnl 3.7's bridge port flags have no isolated bit: the nest is built by hand, as
  // `ip link set NAME type bridge_slave isolated on` sends it.
  ifinfomsg header{};
  header.ifi_family = AF_UNSPEC;
  nl::MessagePtr request = header_request(RTM_NEWLINK, 0, header);
  if (!request || nla_put_string(request.get(), IFLA_IFNAME, std::string(name).c_str()) < 0)
    return std::unexpected(out_of_memory());
  nlattr* info = nla_nest_start(request.get(), IFLA_LINKINFO);
  if (!info || nla_put_string(request.get(), IFLA_INFO_SLAVE_KIND, "bridge") < 0)
    return std::unexpected(out_of_memory());
  nlattr* data = nla_nest_start(request.get(), IFLA_INFO_SLAVE_DATA);
  if (!data || nla_put_u8(request.get(), IFLA_BRPORT_ISOLATED, isolated ? 1 : 0) < 0)
    return std::unexpected(out_of_memory());
  nla_nest_end(request.get(), data);
  nla_nest_end(request.get(), info);
  return socket.request(request.get());
}

NetlinkResult<void> delete_link(NetlinkSocket& socket, std::string_view name) {
  nl::LinkPtr link(rtnl_link_alloc());
  if (!link) return std::unexpected(out_of_memory());
  rtnl_link_set_name(link.get(), std::string(name).c_str());
  nl_msg* raw = nullptr;
  if (int err = rtnl_link_build_delete_request(link.get(), &raw); err < 0)
    return std::unexpected(build_failure(err));
  nl::MessagePtr request = nl::take(raw);
  return socket.request(request.get());
}

NetlinkResult<int> link_index(NetlinkSocket& socket, std::string_view name) {
  ifinfomsg header{};
  header.ifi_family = AF_UNSPEC;
  nl::MessagePtr request = header_request(RTM_GETLINK, 0, header);
  if (!request || nla_put_string(request.get(), IFLA_IFNAME, std::string(name).c_str()) < 0 ||
      nla_put_u32(request.get(), IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS) < 0)
    return std::unexpected(out_of_memory());
  int ifindex = 0;
  auto answered = socket.request(request.get(), [&](const nlmsghdr& reply) {
    if (auto link = parse_link(reply)) ifindex = link->link.ifindex;
  });
  if (!answered) return std::unexpected(answered.error());
  if (ifindex <= 0) return std::unexpected(Refusal{ENODEV, std::strerror(ENODEV)});
  return ifindex;
}

}  // namespace nstopo::kernel
