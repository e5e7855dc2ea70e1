#include "plan/diff_context.h"

namespace nstopo::plan {

DiffContext::DiffContext(const model::Topology& desired_, const model::ObservedState& observed_,
                         const PlanOptions& options_)
    : desired(desired_),
      observed(observed_),
      options(options_),
      owner_alias_(model::link_owner_alias(desired_.name)) {
  auto index = [this](const model::ObservedNamespace& ns) {
    if (!ns.exists) return;
    for (auto& link : ns.links) {
      links_[{ns.name, link.name}] = &link;
      if (link.kind == "veth") veth_by_index_.insert({{link.ifindex, link.peer_ifindex}, {ns.name, &link}});
    }
  };
  index(observed.host);
  for (auto& [name, ns] : observed.namespaces) index(ns);
}

bool DiffContext::namespace_exists(const std::string& ns) const {
  if (ns == model::kHostNamespace) return true;
  auto* o = observed.find_namespace(ns);
  return o && o->exists;
}

bool DiffContext::namespace_owned(const std::string& ns) const {
  if (ns == model::kHostNamespace) return false;
  if (adopted_namespaces.contains(ns)) return true;
  return observed.owned_namespaces.contains(ns) && !namespace_replaced(ns);
}

bool DiffContext::namespace_replaced(const std::string& ns) const {
  auto recorded = observed.recorded_cookies.find(ns);
  if (recorded == observed.recorded_cookies.end() || recorded->second == 0) return false;
  auto* live = observed_namespace(ns);
  // Unknown (0) on either side: the name decides, as before identities were recorded.
  return live && live->cookie != 0 && live->cookie != recorded->second;
}

bool DiffContext::namespace_placeholder(const std::string& ns) const {
  auto* o = observed.find_namespace(ns);
  return o && !o->exists && o->placeholder;
}

const model::ObservedNamespace* DiffContext::observed_namespace(const std::string& ns) const {
  auto* o = observed.find_namespace(ns);
  return o && o->exists ? o : nullptr;
}

const model::ObservedLink* DiffContext::link(const std::string& ns, const std::string& name) const {
  if (namespace_fresh(ns)) return nullptr;
  auto it = links_.find({ns, name});
  return it == links_.end() ? nullptr : it->second;
}

bool DiffContext::are_peers(const std::string& ns_a, const model::ObservedLink& a,
                            const std::string& ns_b, const model::ObservedLink& b) const {
  if (a.peer_ifindex != b.ifindex || b.peer_ifindex != a.ifindex || &a == &b) return false;
  // Where the observer resolved the peers' namespaces, they must agree; otherwise (peer in the
  // same namespace, or unresolved) the mutual indexes decide.
  if (a.peer_ns && *a.peer_ns != ns_b) return false;
  if (b.peer_ns && *b.peer_ns != ns_a) return false;
  if (ns_a == ns_b) return !a.peer_netnsid && !b.peer_netnsid;
  return true;
}

std::pair<std::string, const model::ObservedLink*> DiffContext::veth_peer(
    const std::string& ns, const model::ObservedLink& link) const {
  std::pair<std::string, const model::ObservedLink*> found{"", nullptr};
  auto [first, last] = veth_by_index_.equal_range({link.peer_ifindex, link.ifindex});
  for (auto it = first; it != last; ++it) {
    auto& [peer_ns, peer] = it->second;
    if (!are_peers(ns, link, peer_ns, *peer)) continue;
    if (found.second) return {"", nullptr};  // ambiguous: better unknown than wrong
    found = it->second;
  }
  return found;
}

bool DiffContext::interface_skipped(const std::string& ns, const std::string& ifname) const {
  if (namespace_foreign(ns)) return true;
  auto* declared = desired.find_namespace(ns);
  if (!declared) return false;
  auto it = declared->interfaces.find(ifname);
  return it != declared->interfaces.end() && it->second.peer &&
         namespace_foreign(it->second.peer->ns);
}

bool DiffContext::link_going(const std::string& ns, const std::string& name) const {
  return namespace_going(ns) || namespace_fresh(ns) || links_deleted.contains({ns, name});
}

bool DiffContext::address_owned(const std::string& ns, const model::ObservedAddress& address) const {
  if (address.proto != model::kOwnerProtocol) return false;
  if (namespace_owned(ns)) return true;
  auto* l = link(ns, address.dev);
  return l && link_owned(*l);
}

bool DiffContext::route_owned(const std::string& ns, const model::ObservedRoute& route) const {
  if (route.protocol != model::kOwnerProtocol) return false;
  if (namespace_owned(ns)) return true;
  auto* l = link(ns, route.dev);
  return l && link_owned(*l);
}

}  // namespace nstopo::plan
