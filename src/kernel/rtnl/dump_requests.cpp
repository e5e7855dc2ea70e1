#include "kernel/rtnl/dump_requests.h"

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <sys/socket.h>

#include "kernel/rtnl/request_building.h"

namespace nstopo::kernel {

Result<DumpRequests> make_dump_requests() {
  ifinfomsg link_header{};
  link_header.ifi_family = AF_UNSPEC;
  ifaddrmsg address_header{};
  address_header.ifa_family = AF_UNSPEC;
  rtmsg route_header{};
  route_header.rtm_family = AF_UNSPEC;
  netconfmsg netconf_header{};
  netconf_header.ncm_family = AF_UNSPEC;
  tcmsg qdisc_header{};
  qdisc_header.tcm_family = AF_UNSPEC;
  DumpRequests requests{header_request(RTM_GETLINK, NLM_F_DUMP, link_header),
                        header_request(RTM_GETADDR, NLM_F_DUMP, address_header),
                        header_request(RTM_GETROUTE, NLM_F_DUMP, route_header),
                        header_request(RTM_GETNETCONF, NLM_F_DUMP, netconf_header),
                        header_request(RTM_GETQDISC, NLM_F_DUMP, qdisc_header)};
  // Counters are most of a link message and nothing here reads them.
  if (!requests.links || !requests.addresses || !requests.routes || !requests.netconf || !requests.qdiscs ||
      nla_put_u32(requests.links.get(), IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS) < 0)
    return fail(ErrorKind::internal, "cannot build the netlink dump requests", {}, ENOMEM);
  return requests;
}

}  // namespace nstopo::kernel
