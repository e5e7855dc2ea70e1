#pragma once
// Root qdisc requests for impairments (model/impairment.h), built with libnl-route's tbf and
// netem objects; always with nstopo's handle (model::kImpairmentHandle).
#include "kernel/rtnl/netlink_socket.h"
#include "kernel/rtnl/nl_objects.h"
#include "model/impairment.h"

namespace nstopo::kernel {

// RTM_NEWQDISC with NLM_F_CREATE|NLM_F_REPLACE at the root of `ifindex`: made when the
// device has only its default qdisc, its settings changed in place when nstopo's qdisc of
// the same kind is there (the link is never touched), grafted over another root qdisc.
NetlinkResult<void> replace_root_qdisc(NetlinkSocket& socket, int ifindex,
                                       const model::QdiscSpec& spec);

// The request replace_root_qdisc sends (an RTM_NEWQDISC, as the kernel's dump answers are:
// parse_qdisc reads it back, which the unit tests use).
NetlinkResult<nl::MessagePtr> root_qdisc_request(int ifindex, const model::QdiscSpec& spec);

// RTM_DELQDISC of nstopo's root qdisc of `kind` on `ifindex`: the kernel puts its default
// back. A device whose root is not nstopo's handle answers EINVAL ("Invalid handle"), one
// with only its default ENOENT.
NetlinkResult<void> delete_root_qdisc(NetlinkSocket& socket, int ifindex, model::QdiscKind kind);

}  // namespace nstopo::kernel
