#include "kernel/rtnl/request_building.h"

#include <netlink/errno.h>

#include <cerrno>

namespace nstopo::kernel {

Refusal out_of_memory() { return Refusal{ENOMEM, "cannot build the netlink request"}; }

Refusal build_failure(int libnl_error) {
  return Refusal{0, fmt::format("cannot build the netlink request: {}", nl_geterror(libnl_error))};
}

NetlinkResult<nl::MessagePtr> built_request(int libnl_error, nl_msg* raw) {
  if (libnl_error < 0) return std::unexpected(build_failure(libnl_error));
  return nl::take(raw);
}

}  // namespace nstopo::kernel
