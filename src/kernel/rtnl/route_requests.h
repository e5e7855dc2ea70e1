#pragma once
// Route requests (main table, unicast), built with libnl's rtnl_route.
#include <cstdint>
#include <optional>

#include "kernel/rtnl/netlink_socket.h"
#include "model/ip.h"

namespace nstopo::kernel {

struct RouteRequest {
  model::Prefix to;  // network form
  std::optional<model::IpAddress> via;
  int oif = 0;           // 0: the kernel picks the device from the gateway
  uint32_t metric = 0;   // RTA_PRIORITY
  uint8_t protocol = 0;  // rtm_protocol; on delete, 0 matches any
};

// RTM_NEWROUTE with NLM_F_CREATE|NLM_F_EXCL: the same route already there is EEXIST.
NetlinkResult<void> add_route(NetlinkSocket& socket, const RouteRequest& route);

// RTM_DELROUTE of the matching route, whatever its scope.
NetlinkResult<void> delete_route(NetlinkSocket& socket, const RouteRequest& route);

}  // namespace nstopo::kernel
