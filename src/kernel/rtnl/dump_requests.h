#pragma once
// The dump requests of one observe (links, addresses, routes, network settings, qdiscs), built once
// and sent to every namespace; their answers are read by rtnl/dump_parse.h.
#include "kernel/rtnl/nl_objects.h"
#include "model/error.h"

namespace nstopo::kernel {

struct DumpRequests {
  nl::MessagePtr links, addresses, routes, netconf, qdiscs;
};

Result<DumpRequests> make_dump_requests();

}  // namespace nstopo::kernel
