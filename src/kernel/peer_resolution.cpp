// Which namespace a veth's peer is in. A veth names its peer by ifindex (IFLA_LINK), and
// ifindexes are per namespace: between fresh namespaces, many pairs are "2 <-> 2". Where the
// mutual indexes leave more than one candidate, the kernel is asked which candidate has the
// netnsid the veth reports (RTM_GETNSID from the veth's namespace, one request per
// candidate), and ObservedLink::peer_ns is set. Unambiguous links cost nothing; a link whose
// peer cannot be resolved keeps peer_ns unset and the planner treats its peer as unknown.
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include <array>
#include <map>
#include <optional>
#include <vector>

#include "kernel/kernel_impl.h"
#include "kernel/rtnl/nl_objects.h"

namespace nstopo::kernel {

namespace {

struct Veth {
  model::ObservedNamespace* ns;
  model::ObservedLink* link;
};

// The netnsid that `from`'s namespace gives `target_fd`'s namespace; nullopt when none is
// assigned (then no veth of `from` can have its peer there).
std::optional<int> netnsid_of(NetlinkSocket& from, int target_fd) {
  nl::MessagePtr request(nlmsg_alloc_simple(RTM_GETNSID, 0));
  rtgenmsg header{};
  header.rtgen_family = AF_UNSPEC;
  if (!request || nlmsg_append(request.get(), &header, sizeof header, NLMSG_ALIGNTO) < 0 ||
      nla_put_u32(request.get(), NETNSA_FD, static_cast<uint32_t>(target_fd)) < 0)
    return std::nullopt;
  std::optional<int> nsid;
  auto answered = from.request(request.get(), [&](const nlmsghdr& reply) {
    if (reply.nlmsg_type != RTM_NEWNSID) return;
    std::array<nlattr*, NETNSA_MAX + 1> found{};
    auto* message = const_cast<nlmsghdr*>(&reply);
    if (nlmsg_parse(message, sizeof(rtgenmsg), found.data(), NETNSA_MAX, nullptr) < 0) return;
    if (found[NETNSA_NSID] != nullptr) nsid = static_cast<int32_t>(nla_get_u32(found[NETNSA_NSID]));
  });
  if (!answered || !nsid || *nsid < 0) return std::nullopt;
  return nsid;
}

}  // namespace

void NetlinkKernel::Impl::resolve_ambiguous_peers(model::ObservedState& observed) {
  std::vector<model::ObservedNamespace*> all{&observed.host};
  for (auto& [name, ns] : observed.namespaces)
    if (ns.exists) all.push_back(&ns);
  std::multimap<std::pair<int, int>, Veth> by_index;
  for (auto* ns : all)
    for (auto& link : ns->links)
      if (link.kind == "veth") by_index.insert({{link.ifindex, link.peer_ifindex}, {ns, &link}});

  auto handle_of = [&](const std::string& ns) -> NamespaceHandle* {
    auto handle = require(ns);
    return handle ? *handle : nullptr;
  };
  for (auto& [key, veth] : by_index) {
    if (!veth.link->peer_netnsid) continue;  // peer in the same namespace: indexes suffice
    auto [first, last] = by_index.equal_range({veth.link->peer_ifindex, veth.link->ifindex});
    std::vector<Veth> candidates;
    for (auto it = first; it != last; ++it)
      if (it->second.ns != veth.ns) candidates.push_back(it->second);
    if (candidates.size() < 2) continue;
    auto* from = handle_of(veth.ns->name);
    if (from == nullptr) continue;
    for (auto& candidate : candidates) {
      auto* target = handle_of(candidate.ns->name);
      if (target == nullptr) continue;
      if (netnsid_of(*from->socket, target->fd.get()) == veth.link->peer_netnsid) {
        veth.link->peer_ns = candidate.ns->name;
        break;
      }
    }
  }
}

}  // namespace nstopo::kernel
