#pragma once
// What can go wrong while building a netlink request, before anything is sent: the same
// Refusal shapes for every kind of request.
#include "kernel/rtnl/netlink_socket.h"
#include "kernel/rtnl/nl_objects.h"

namespace nstopo::kernel {

Refusal out_of_memory();
Refusal build_failure(int libnl_error);
// The message a libnl `rtnl_*_build_*_request(..., &raw)` call made, or why it failed.
NetlinkResult<nl::MessagePtr> built_request(int libnl_error, nl_msg* raw);

// A request libnl has no rtnl_* builder for (a dump, a lookup by name, RTM_GETNSID): its
// fixed header, attributes added by the caller with nla_put_*. Still an nl_msg, sent like
// every other request: one idiom for what goes out.
template <typename Header>
nl::MessagePtr header_request(int type, int flags, const Header& header) {
  nl::MessagePtr message(nlmsg_alloc_simple(type, flags));
  if (message && nlmsg_append(message.get(), const_cast<Header*>(&header), sizeof header,
                              NLMSG_ALIGNTO) < 0)
    message.reset();
  return message;
}

}  // namespace nstopo::kernel
