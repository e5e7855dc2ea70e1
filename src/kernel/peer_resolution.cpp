// Which namespace a veth's peer is in. A veth names its peer by ifindex (IFLA_LINK), and
// ifindexes are per namespace: between fresh namespaces, many pairs are "2 <-> 2". Where the
// mutual indexes leave more than one candidate, the kernel is asked which candidate has the
// netnsid the veth reports (RTM_GETNSID from the veth's namespace, one request per
// candidate), and ObservedLink::peer_ns is set. Unambiguous links cost nothing; a link whose
// peer cannot be resolved keeps peer_ns unset and the planner treats its peer as unknown.
#include <map>
#include <optional>
#include <vector>

#include "kernel/kernel_impl.h"
#include "kernel/rtnl/nl_objects.h"
#include "kernel/rtnl/nsid.h"

namespace nstopo::kernel {

namespace {

struct Veth {
  model::ObservedNamespace* ns;
  model::ObservedLink* link;
};

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
      auto target_fd = NamespaceFd::of(*target);
      if (target_fd && netnsid_of(*from->socket, target_fd->get()) == veth.link->peer_netnsid) {
        veth.link->peer_ns = candidate.ns->name;
        break;
      }
    }
  }
}

}  // namespace nstopo::kernel
