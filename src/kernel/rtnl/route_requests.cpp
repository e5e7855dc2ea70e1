#include "kernel/rtnl/route_requests.h"

#include <linux/rtnetlink.h>

#include <cerrno>

#include "kernel/rtnl/nl_objects.h"
#include "kernel/rtnl/request_building.h"

namespace nstopo::kernel {

namespace {

// The route as libnl's object: destination, table main, unicast, one nexthop. The scope is
// left for libnl to infer as `ip route` does: link for a device route, universe via a gateway.
NetlinkResult<nl::RoutePtr> route_object(const RouteRequest& request) {
  nl::RoutePtr route(rtnl_route_alloc());
  nl::AddressPtr destination = nl::make_address(request.to.address, request.to.length);
  if (!route || !destination) return std::unexpected(out_of_memory());
  int family = request.to.address.af();
  rtnl_route_set_family(route.get(), static_cast<uint8_t>(family));
  if (int err = rtnl_route_set_dst(route.get(), destination.get()); err < 0)
    return std::unexpected(Refusal{0, nl_geterror(err)});
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  rtnl_route_set_type(route.get(), RTN_UNICAST);
  rtnl_route_set_protocol(route.get(), request.protocol);
  rtnl_route_set_priority(route.get(), request.metric);
  if (request.via || request.oif > 0) {
    nl::NexthopPtr nexthop(rtnl_route_nh_alloc());
    if (!nexthop) return std::unexpected(out_of_memory());
    if (request.oif > 0) rtnl_route_nh_set_ifindex(nexthop.get(), request.oif);
    if (request.via) {
      nl::AddressPtr gateway = nl::make_address(*request.via);
      if (!gateway) return std::unexpected(out_of_memory());
      rtnl_route_nh_set_gateway(nexthop.get(), gateway.get());  // takes its own reference
    }
    rtnl_route_add_nexthop(route.get(), nexthop.release());  // the route owns it now
  }
  return route;
}

}  // namespace

NetlinkResult<void> add_route(NetlinkSocket& socket, const RouteRequest& request) {
  auto route = route_object(request);
  if (!route) return std::unexpected(route.error());
  nl_msg* raw = nullptr;
  int err = rtnl_route_build_add_request(route->get(), NLM_F_CREATE | NLM_F_EXCL, &raw);
  auto message = built_request(err, raw);
  if (!message) return std::unexpected(message.error());
  return socket.request(message->get());
}

NetlinkResult<void> delete_route(NetlinkSocket& socket, const RouteRequest& request) {
  auto route = route_object(request);
  if (!route) return std::unexpected(route.error());
  nl_msg* raw = nullptr;
  int err = rtnl_route_build_del_request(route->get(), 0, &raw);
  auto message = built_request(err, raw);
  if (!message) return std::unexpected(message.error());
  // As `ip route del`: scope "nowhere" matches a route of any scope (libnl would have written
  // its guess, which misses a route someone added with another scope).
  static_cast<rtmsg*>(nlmsg_data(nlmsg_hdr(message->get())))->rtm_scope = RT_SCOPE_NOWHERE;
  return socket.request(message->get());
}

}  // namespace nstopo::kernel
