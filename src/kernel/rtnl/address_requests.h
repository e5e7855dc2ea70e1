#pragma once
// Interface address requests, built with libnl's rtnl_addr. IFA_PROTO (the ownership mark,
// kernel >= 6.3) is appended to the message libnl builds: libnl 3.7 does not know it.
#include <cstdint>

#include "kernel/rtnl/netlink_socket.h"
#include "model/ip.h"

namespace nstopo::kernel {

// RTM_NEWADDR with NLM_F_CREATE|NLM_F_EXCL: an address already there is EEXIST.
// `nodad` sets IFA_F_NODAD (an IPv6 address usable at once, no duplicate detection).
NetlinkResult<void> add_address(NetlinkSocket& socket, int ifindex, const model::Prefix& prefix,
                                bool nodad, uint8_t protocol);

NetlinkResult<void> delete_address(NetlinkSocket& socket, int ifindex, const model::Prefix& prefix);

}  // namespace nstopo::kernel
