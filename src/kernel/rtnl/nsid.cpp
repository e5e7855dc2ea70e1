#include "kernel/rtnl/nsid.h"

#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include <array>
#include <cstdint>

#include "kernel/rtnl/request_building.h"

namespace nstopo::kernel {

std::optional<int> parse_nsid(const nlmsghdr& message) {
  if (message.nlmsg_type != RTM_NEWNSID) return std::nullopt;
  std::array<nlattr*, NETNSA_MAX + 1> found{};
  if (nlmsg_parse(const_cast<nlmsghdr*>(&message), sizeof(rtgenmsg), found.data(), NETNSA_MAX,
                  nullptr) < 0 ||
      found[NETNSA_NSID] == nullptr)
    return std::nullopt;
  return static_cast<int32_t>(nla_get_u32(found[NETNSA_NSID]));
}

std::optional<int> netnsid_of(NetlinkSocket& from, int target_fd) {
  rtgenmsg header{};
  header.rtgen_family = AF_UNSPEC;
  nl::MessagePtr request = header_request(RTM_GETNSID, 0, header);
  if (!request || nla_put_u32(request.get(), NETNSA_FD, static_cast<uint32_t>(target_fd)) < 0)
    return std::nullopt;
  std::optional<int> nsid;
  auto answered = from.request(request.get(), [&](const nlmsghdr& reply) {
    if (auto id = parse_nsid(reply)) nsid = id;
  });
  if (!answered || !nsid || *nsid < 0) return std::nullopt;
  return nsid;
}

}  // namespace nstopo::kernel
