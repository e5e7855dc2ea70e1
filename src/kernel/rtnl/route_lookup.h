#pragma once
// What the kernel's route lookup says for one destination (`ip route get ADDR`): RTM_GETROUTE
// without NLM_F_DUMP, asked inside a namespace. No traffic is sent. For route checks.
#include <linux/netlink.h>

#include <optional>
#include <string>

#include "model/error.h"
#include "model/ip.h"

namespace nstopo::kernel {

struct RouteAnswer {
  std::optional<model::IpAddress> gateway;  // RTA_GATEWAY; none for a directly reachable one
  std::string dev;                          // RTA_OIF's name in that namespace; "" if none
  std::optional<model::IpAddress> source;   // RTA_PREFSRC
  int type = 0;                             // RTN_UNICAST, RTN_LOCAL, ...
  std::string to_string() const;            // "10.0.0.3 via 10.0.0.1 dev eth0 src 10.0.0.2"
  model::IpAddress destination;
};

// The answer to a lookup for `to` in namespace `ns` ("host": nstopo's own). A destination
// without a route is an error with the kernel's errno (ENETUNREACH) and text.
Result<RouteAnswer> lookup_route(const std::string& netns_dir, const std::string& ns,
                                 const model::IpAddress& to);

// The parsing half, for tests: an RTM_NEWROUTE answer; the device is left empty, its index
// in `oif`.
std::optional<RouteAnswer> parse_route_answer(const nlmsghdr& message, int& oif);

}  // namespace nstopo::kernel
