#include "plan/show_topology.h"

#include <set>

#include "plan/diff_context.h"
#include "plan/route_spec.h"

namespace nstopo::plan {

namespace {

constexpr uint8_t kScopeLink = 253, kScopeHost = 254;  // RT_SCOPE_LINK, RT_SCOPE_HOST
constexpr uint8_t kProtoKernel = 2;                     // RTPROT_KERNEL
constexpr uint8_t kTableMain = 254, kUnicast = 1;       // RT_TABLE_MAIN, RTN_UNICAST
constexpr uint32_t kDefaultMtu = 1500;

model::Interface interface_of(const model::ObservedLink& link, model::LinkKind kind) {
  model::Interface itf{.name = link.name, .kind = kind};
  if (link.mtu != 0 && link.mtu != kDefaultMtu) itf.mtu = link.mtu;
  itf.up = link.up;
  itf.master = link.master;
  return itf;
}

void add_addresses(const model::ObservedNamespace& ns, model::Namespace& out) {
  for (const auto& address : ns.addresses) {
    if (address.scope == kScopeLink || address.scope == kScopeHost) continue;
    if (address.prefix.address.is_link_local()) continue;
    auto itf = out.interfaces.find(address.dev);
    if (itf != out.interfaces.end()) itf->second.addresses.push_back(address.prefix);
  }
}

void add_routes(const model::ObservedNamespace& ns, model::Namespace& out,
                std::vector<Skipped>& skipped) {
  for (const auto& r : ns.routes) {
    if (r.protocol == kProtoKernel || r.table != kTableMain || r.type != kUnicast) continue;
    if (r.to.address.is_link_local() && r.to.length > 0) continue;
    model::Route route{.to = r.to, .via = r.via};
    if (!route.via) route.dev = r.dev;
    if (!out.interfaces.contains(r.dev)) {
      skipped.push_back({{model::ObjectKind::route, ns.name,
                          r.to.is_default() ? "default" : r.to.to_string()},
                         fmt::format("its interface {} is not shown", r.dev)});
      continue;
    }
    if (r.metric != effective_metric(route)) route.metric = r.metric;
    out.routes.push_back(std::move(route));
  }
}

}  // namespace

ShownTopology topology_from_observed(const model::ObservedState& observed, const std::string& lab) {
  ShownTopology shown;
  auto& topology = shown.topology;
  topology.name = lab;
  model::Topology nothing;
  nothing.name = lab;
  DiffContext peers(nothing, observed, {});
  std::set<std::pair<std::string, std::string>> linked;  // veth ends already in a link

  for (const auto& [name, ns] : observed.namespaces) {
    if (!ns.exists) continue;
    auto& out = topology.namespaces[name];
    out.name = name;
    for (const auto& link : ns.links) {
      if (link.name == "lo") continue;
      auto kind = model::link_kind(link.kind);
      if (!kind) {
        shown.skipped.push_back({{model::ObjectKind::link, name, link.name},
                                 fmt::format("a link of kind '{}', which nstopo does not make",
                                             link.kind.empty() ? "none" : link.kind)});
        continue;
      }
      if (*kind == model::LinkKind::vxlan) {
        shown.skipped.push_back({{model::ObjectKind::link, name, link.name},
                                 "a VXLAN tunnel end: a lab on several machines is declared with "
                                 "'hosts:' and 'on:', not read from one machine"});
        continue;
      }
      if (*kind == model::LinkKind::veth) {
        auto [peer_ns, peer] = peers.veth_peer(name, link);
        if (!peer) {
          shown.skipped.push_back({{model::ObjectKind::link, name, link.name},
                                   "a veth whose peer is in no namespace shown"});
          continue;
        }
        // A host end that is a port of a host bridge: declaring it without its master would
        // have apply take it off the bridge, and declaring the bridge would make the host's
        // bridge the lab's (destroy would delete it). The pair is left out.
        if (peer_ns == model::kHostNamespace && peer->master) {
          shown.skipped.push_back({{model::ObjectKind::link, name, link.name},
                                   fmt::format("a veth whose host end {} is a port of host bridge "
                                               "{}, which is not shown",
                                               peer->name, *peer->master)});
          continue;
        }
        if (!linked.contains({name, link.name})) {
          linked.insert({name, link.name});
          linked.insert({peer_ns, peer->name});
          topology.links.push_back({.a = {name, link.name}, .b = {peer_ns, peer->name}});
        }
        if (peer_ns == model::kHostNamespace) {
          // The host end is declared with the pair; its addresses come with it.
          topology.host.interfaces[peer->name] = interface_of(*peer, model::LinkKind::veth);
        }
      }
      out.interfaces[link.name] = interface_of(link, *kind);
    }
    // A port of a bridge that is not shown (another kind) keeps no master.
    for (auto& [ifname, itf] : out.interfaces)
      if (itf.master && !out.interfaces.contains(*itf.master)) itf.master.reset();
    add_addresses(ns, out);
    add_routes(ns, out, shown.skipped);
  }
  // Host ends: their addresses (none of them has a master: see above).
  add_addresses(observed.host, topology.host);
  // A veth's peer in another namespace not shown: the pair cannot be declared.
  std::erase_if(topology.links, [&](const model::Link& l) {
    bool a = l.a.ns == model::kHostNamespace || topology.namespaces.contains(l.a.ns);
    bool b = l.b.ns == model::kHostNamespace || topology.namespaces.contains(l.b.ns);
    return !a || !b;
  });
  return shown;
}

}  // namespace nstopo::plan
