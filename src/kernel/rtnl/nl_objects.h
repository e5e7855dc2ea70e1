#pragma once
// Owning handles for libnl objects: the one file that releases them (*_put, *_free). Every
// other file holds libnl objects only through these, so nothing leaks on an early return.
// Also the conversions from model values to libnl addresses.
#include <netlink/addr.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <memory>

#include "model/ip.h"

namespace nstopo::kernel::nl {

template <typename T, void (*Release)(T*)>
struct Releaser {
  void operator()(T* object) const { Release(object); }
};

using SocketPtr = std::unique_ptr<nl_sock, Releaser<nl_sock, nl_socket_free>>;
using CallbacksPtr = std::unique_ptr<nl_cb, Releaser<nl_cb, nl_cb_put>>;
using MessagePtr = std::unique_ptr<nl_msg, Releaser<nl_msg, nlmsg_free>>;
using AddressPtr = std::unique_ptr<nl_addr, Releaser<nl_addr, nl_addr_put>>;
using LinkPtr = std::unique_ptr<rtnl_link, Releaser<rtnl_link, rtnl_link_put>>;
using InterfaceAddressPtr = std::unique_ptr<rtnl_addr, Releaser<rtnl_addr, rtnl_addr_put>>;
using QdiscPtr = std::unique_ptr<rtnl_qdisc, Releaser<rtnl_qdisc, rtnl_qdisc_put>>;
using RoutePtr = std::unique_ptr<rtnl_route, Releaser<rtnl_route, rtnl_route_put>>;
// Until handed to rtnl_route_add_nexthop, which takes it over (then: release()).
using NexthopPtr = std::unique_ptr<rtnl_nexthop, Releaser<rtnl_nexthop, rtnl_route_nh_free>>;

// The address with a prefix length, as libnl wants it in addresses and routes.
inline AddressPtr make_address(const model::IpAddress& ip, int prefix_length) {
  AddressPtr address(
      nl_addr_build(ip.af(), ip.bytes.data(), static_cast<size_t>(ip.byte_length())));
  if (address) nl_addr_set_prefixlen(address.get(), prefix_length);
  return address;
}

inline AddressPtr make_address(const model::IpAddress& ip) {
  return make_address(ip, ip.byte_length() * 8);
}

inline AddressPtr make_mac(const model::MacAddress& mac) {
  return AddressPtr(nl_addr_build(AF_LLC, mac.bytes.data(), mac.bytes.size()));
}

// A libnl "build request" result: the message, owned.
inline MessagePtr take(nl_msg* message) { return MessagePtr(message); }

}  // namespace nstopo::kernel::nl
