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

}  // namespace nstopo::kernel
