#pragma once
// Link requests over one namespace's socket: create (a kind, or a veth pair with both ends
// placed at once), change, delete, look up. Built with libnl's rtnl_link, sent whole.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/rtnl/netlink_socket.h"
#include "model/ip.h"
#include "model/topology.h"

namespace nstopo::kernel {

// A link to create, or one end of a veth pair.
struct NewLink {
  std::string name;
  std::optional<uint32_t> mtu;
  std::optional<model::MacAddress> mac;
  int netns_fd = -1;  // made directly in this namespace (IFLA_NET_NS_FD); -1: the socket's
};

// RTM_NEWLINK with NLM_F_CREATE|NLM_F_EXCL for a link of `kind` ("bridge") without kind-
// specific settings. A kind this kernel does not have (EOPNOTSUPP, "Unknown device type") is
// ErrorKind::unsupported: "<message>: this kernel has no 'dummy' link type (module not
// available)". Other refusals: `message` with the kernel's words.
Result<void> create_link(NetlinkSocket& socket, std::string_view kind, const NewLink& link,
                         const std::string& message, const std::string& object);

// A veth pair in one request on `socket`: `end` and `peer` are each made in their own
// namespace (netns_fd) under their final names. Refusals as for create_link.
Result<void> create_veth(NetlinkSocket& socket, const NewLink& end, const NewLink& peer,
                         const std::string& message, const std::string& object);

// A VXLAN device (model::Vxlan) named and placed as `link` says, made by a request on
// `socket`: its UDP socket lives in the socket's namespace (the host's), wherever the device
// is. Refusals as for create_link; a VNI already used on this port is the kernel's EEXIST.
Result<void> create_vxlan(NetlinkSocket& socket, const NewLink& link, const model::Vxlan& vxlan,
                          const std::string& message, const std::string& object);

// The Error for a refused link creation (the mapping of a missing link kind described above).
Error link_creation_error(const Refusal& refusal, std::string_view kind, const std::string& message,
                          const std::string& object);

// Changes of an existing link, all in one RTM_NEWLINK (without NLM_F_CREATE, so the kernel
// changes the link it finds by name and creates nothing).
struct LinkChange {
  std::optional<uint32_t> mtu;
  std::optional<model::MacAddress> mac;
  std::optional<int> master_ifindex;  // 0: no master
  std::optional<std::string> alias;   // "": remove the alias
  std::optional<bool> up;
  std::optional<bool> ipv6_link_local;  // false: IFLA_INET6_ADDR_GEN_MODE none
  int netns_fd = -1;  // move it to this namespace
  bool empty() const { return !mtu && !mac && !master_ifindex && !alias && !up && !ipv6_link_local && netns_fd < 0; }
};
NetlinkResult<void> change_link(NetlinkSocket& socket, std::string_view name,
                                const LinkChange& change);

// A bridge port's isolation (IFLA_INFO_SLAVE_DATA { IFLA_BRPORT_ISOLATED }): the link must
// already be a port of a bridge.
NetlinkResult<void> set_port_isolated(NetlinkSocket& socket, std::string_view name, bool isolated);

// RTM_DELLINK by name. Deleting one end of a veth deletes the pair.
NetlinkResult<void> delete_link(NetlinkSocket& socket, std::string_view name);

// The ifindex of `name` in the socket's namespace (one RTM_GETLINK, changes nothing).
NetlinkResult<int> link_index(NetlinkSocket& socket, std::string_view name);

}  // namespace nstopo::kernel
