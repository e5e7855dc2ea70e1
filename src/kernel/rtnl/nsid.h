#pragma once
// Namespace ids: which id one namespace gives another (RTM_GETNSID). A veth names the
// namespace of its peer by such an id (IFLA_LINK_NETNSID).
#include <linux/netlink.h>

#include <optional>

#include "kernel/rtnl/netlink_socket.h"

namespace nstopo::kernel {

// The netnsid that `from`'s namespace gives `target_fd`'s namespace; nullopt when none is
// assigned (then no veth of `from` can have its peer there) or the kernel did not answer.
std::optional<int> netnsid_of(NetlinkSocket& from, int target_fd);

// The id in an RTM_NEWNSID answer; nullopt for another message or one without it.
std::optional<int> parse_nsid(const nlmsghdr& message);

}  // namespace nstopo::kernel
