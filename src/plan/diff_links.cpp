// Links: veth pairs from `links`, bridges from `interfaces`, VXLAN tunnel ends from a link to
// another machine or a spanning bridge (model/machines.h). A link in place gets its
// attributes compared; a broken pair is deleted and made again; a link of ours that is no
// longer declared is deleted (once per veth pair, and not at all when its namespace goes).
#include <algorithm>

#include "plan/diff_context.h"

namespace nstopo::plan {

namespace {

using model::Endpoint;
using model::ObservedLink;

struct FoundEnd {
  Endpoint declared;               // where the file wants it
  std::string observed_ns;         // where it is (differs when it must be moved)
  const ObservedLink* link = nullptr;
  bool adopted = false;            // foreign, taken over with --adopt
  bool unmarked = false;           // the lab's, left without its alias by an interrupted run
};

const model::Interface& interface_of(const DiffContext& ctx, const Endpoint& end) {
  return ctx.desired.find_namespace(end.ns)->interfaces.at(end.ifname);
}

// IPv6 link-local addresses only where IPv6 is declared (see model::CreateVeth).
bool wants_ipv6_link_local(const model::Interface& itf) {
  for (auto& prefix : itf.addresses)
    if (prefix.family() == model::Family::inet6) return true;
  return false;
}

class LinkDiff {
 public:
  explicit LinkDiff(DiffContext& ctx) : ctx_(ctx) {
    // Our links by name, wherever they are: a declared end missing from its namespace may
    // have been moved elsewhere by hand.
    auto index = [this](const model::ObservedNamespace& ns) {
      if (!ns.exists || ctx_.namespace_going(ns.name)) return;
      for (auto& link : ns.links)
        if (ctx_.link_owned(link)) owned_by_name_[link.name].push_back({ns.name, &link});
    };
    index(ctx_.observed.host);
    for (auto& [name, ns] : ctx_.observed.namespaces) index(ns);
    for (auto& [name, ns] : ctx_.desired.namespaces)
      for (auto& [ifname, itf] : ns.interfaces) declared_.insert({name, ifname});
    for (auto& [ifname, itf] : ctx_.desired.host.interfaces)
      declared_.insert({std::string(model::kHostNamespace), ifname});
  }

  void run() {
    // Bridges first: a new veth end joins its bridge in the request that marks it, which
    // needs to know whether the bridge will be in place by then.
    for (auto* ns : declared_namespaces())
      if (!ctx_.namespace_foreign(ns->name))
        for (auto& [name, itf] : ns->interfaces)
          if (itf.kind == model::LinkKind::bridge) diff_bridge(*ns, itf);
    for (auto& link : ctx_.desired.links) diff_veth(link);
    for (auto* ns : declared_namespaces())
      if (!ctx_.namespace_foreign(ns->name))
        for (auto& [name, itf] : ns->interfaces)
          if (itf.kind == model::LinkKind::vxlan) diff_vxlan(*ns, itf);
    delete_undeclared(ctx_.observed.host);
    for (auto& [name, ns] : ctx_.observed.namespaces)
      if (!ctx_.namespace_going(name) && !ctx_.namespace_foreign(name)) delete_undeclared(ns);
  }

 private:
  std::vector<const model::Namespace*> declared_namespaces() const {
    std::vector<const model::Namespace*> all{&ctx_.desired.host};
    for (auto& [name, ns] : ctx_.desired.namespaces) all.push_back(&ns);
    return all;
  }

  // Finds a declared end where it is, or where it strayed to. Returns false on a conflict.
  bool find(const Endpoint& end, const std::string& kind, FoundEnd& found) {
    found.declared = end;
    found.observed_ns = end.ns;
    found.link = ctx_.link(end.ns, end.ifname);
    if (!found.link) {
      found.link = stray(found, kind);
      return true;
    }
    if (found.link->kind != kind && link_ours(end.ns, *found.link)) {
      // The lab's own link of another kind (a veth where a bridge is now declared): replaced,
      // deleted first (a veth with its peer), then made as declared.
      remove(end.ns, *found.link,
             model::Reason::differs(fmt::format("replaced: a {} where the file declares a {}",
                                                kind_text(found.link->kind), kind)));
      found.link = nullptr;
      return true;
    }
    if (found.link->kind != kind) {
      ctx_.conflict({model::ObjectKind::link, end.ns, end.ifname},
                    fmt::format("{} exists as a {} link, but the file declares a {}; nstopo will "
                                "not replace a link it did not create",
                                end.to_string(), found.link->kind.empty() ? "plain" : found.link->kind,
                                kind));
      return false;
    }
    if (ctx_.link_left_unmarked(end.ns, *found.link)) {
      found.unmarked = true;
      return true;
    }
    if (!ctx_.link_owned(*found.link) && !ctx_.namespace_owned(end.ns)) {
      if (!ctx_.options.adopt) {
        ctx_.conflict({model::ObjectKind::link, end.ns, end.ifname},
                      fmt::format("{} exists but was not created by lab {} (its alias is '{}'); "
                                  "rename it in the file, or pass --adopt to take it over",
                                  end.to_string(), ctx_.desired.name, found.link->alias));
        return false;
      }
      found.adopted = true;
    }
    return true;
  }

  bool link_ours(const std::string& ns, const ObservedLink& link) const {
    return ctx_.link_owned(link) || ctx_.namespace_owned(ns);
  }
  static std::string kind_text(const std::string& kind) {
    return kind.empty() ? "plain link" : kind;
  }

  // An owned link of the end's name and kind in another namespace, where the file does not
  // want it: it was moved by hand, and is moved back rather than made anew.
  const ObservedLink* stray(FoundEnd& found, const std::string& kind) {
    auto it = owned_by_name_.find(found.declared.ifname);
    if (it == owned_by_name_.end()) return nullptr;
    for (auto& [ns, link] : it->second) {
      if (ns == found.declared.ns || link->kind != kind || declared_.contains({ns, link->name}))
        continue;
      found.observed_ns = ns;
      return link;
    }
    return nullptr;
  }

  void diff_veth(const model::Link& declared) {
    // A foreign namespace is reported once, as a whole; nothing inside it is planned.
    if (ctx_.namespace_foreign(declared.a.ns) || ctx_.namespace_foreign(declared.b.ns)) return;
    FoundEnd a, b;
    bool ok_a = find(declared.a, "veth", a), ok_b = find(declared.b, "veth", b);
    if (!ok_a || !ok_b) return;

    bool paired = a.link && b.link && ctx_.are_peers(a.observed_ns, *a.link, b.observed_ns, *b.link);
    if (paired) {
      keep(a);
      keep(b);
      return;
    }
    // Missing, or not each other's peer: delete what is left of ours and make the pair anew.
    model::Reason reason;
    if (!a.link && !b.link)
      reason = model::Reason::missing();
    else if (!a.link || !b.link)
      reason = model::Reason::differs(fmt::format("{} missing, {} left over", (a.link ? b : a).declared.to_string(),
                           (a.link ? a : b).declared.to_string()));
    else
      reason = model::Reason::differs(fmt::format("{} and {} are not each other's peer",
                                                  declared.a.to_string(), declared.b.to_string()));
    for (auto* end : {&a, &b})
      if (end->link && !end->adopted) remove(end->observed_ns, *end->link, model::Reason::differs("broken pair"));
    if ((a.link && a.adopted) || (b.link && b.adopted)) {
      ctx_.conflict({model::ObjectKind::link, declared.a.ns, declared.a.ifname},
                    fmt::format("link {} <-> {} exists in part but is not nstopo's; it would have "
                                "to be deleted to make the pair",
                                declared.a.to_string(), declared.b.to_string()));
      return;
    }
    auto& ia = interface_of(ctx_, declared.a);
    auto& ib = interface_of(ctx_, declared.b);
    model::CreateVeth veth{declared.a, declared.b, ia.mtu, ib.mtu, ia.mac, ib.mac,
                           wants_ipv6_link_local(ia), wants_ipv6_link_local(ib)};
    fold_into_creation(declared.a, ia, veth.master_a, veth.up_a);
    fold_into_creation(declared.b, ib, veth.master_b, veth.up_b);
    ctx_.add(veth, reason);
  }

  // A new veth end's bridge and up travel with its creation (model::CreateVeth) when its
  // bridge is in place by then: made this run, or already where the file wants it. A bridge
  // that must first be moved back comes later in the plan; such an end gets its own actions.
  void fold_into_creation(const Endpoint& end, const model::Interface& itf,
                          std::optional<std::string>& master, bool& up) {
    if (itf.master && !bridges_in_place_.contains({end.ns, *itf.master})) {
      created(end, itf);
      return;
    }
    ctx_.links_fresh.insert({end.ns, end.ifname});
    master = itf.master;
    up = itf.up;
  }

  void diff_bridge(const model::Namespace& ns, const model::Interface& itf) {
    Endpoint end{ns.name, itf.name};
    FoundEnd found;
    if (!find(end, "bridge", found)) return;
    if (found.link) {
      if (found.observed_ns == end.ns) bridges_in_place_.insert({end.ns, end.ifname});
      keep(found);
      return;
    }
    // Made without its MTU, which is set once the ports joined (SetLinkAttributes::after_ports).
    ctx_.add(model::CreateBridge{{ns.name, itf.name, std::nullopt, itf.mac,
                                  wants_ipv6_link_local(itf)}},
             model::Reason::missing());
    bridges_in_place_.insert({end.ns, end.ifname});
    if (itf.mtu) {
      model::SetLinkAttributes set{end.ns, end.ifname};
      set.mtu = *itf.mtu;
      set.after_ports = true;
      ctx_.add_creation_step(set);
    }
    created(end, itf);
  }

  // A tunnel end: made when missing, made again when its tunnel differs (a VXLAN device's
  // VNI, remote, local address and port are fixed when it is made).
  void diff_vxlan(const model::Namespace& ns, const model::Interface& itf) {
    Endpoint end{ns.name, itf.name};
    FoundEnd found;
    if (!find(end, "vxlan", found)) return;
    model::Reason reason = model::Reason::missing();
    if (found.link && found.link->vxlan != itf.vxlan && link_ours(found.observed_ns, *found.link)) {
      reason = model::Reason::differs(
          fmt::format("replaced: tunnel {} where the file declares {}", tunnel_text(found.link->vxlan),
                      tunnel_text(itf.vxlan)));
      remove(found.observed_ns, *found.link, reason);
      found.link = nullptr;
    }
    if (found.link) {
      keep(found);
      return;
    }
    ctx_.add(model::CreateVxlan{{ns.name, itf.name, itf.mtu, itf.mac, wants_ipv6_link_local(itf)},
                                *itf.vxlan},
             reason);
    created(end, itf);
  }

  static std::string tunnel_text(const std::optional<model::Vxlan>& vxlan) {
    if (!vxlan) return "unknown";
    return fmt::format("vni {} remote {} port {}", vxlan->vni, vxlan->remote.to_string(), vxlan->port);
  }

  // A link made this run: set what could not be set at creation, then bring it up.
  void created(const Endpoint& end, const model::Interface& itf) {
    ctx_.links_fresh.insert({end.ns, end.ifname});
    if (itf.master) {
      model::SetLinkAttributes set{end.ns, end.ifname};
      set.master = *itf.master;
      set.old_master = "";
      if (itf.isolated) {
        set.isolated = true;
        set.old_isolated = false;
      }
      ctx_.add_creation_step(set);
    }
    if (itf.up) ctx_.add_creation_step(model::SetLinkUp{end.ns, end.ifname, true});
  }

  // A link in place (perhaps in the wrong namespace): repair what differs from the file.
  void keep(const FoundEnd& found) {
    const auto& end = found.declared;
    const auto& itf = interface_of(ctx_, end);
    const auto& link = *found.link;
    kept_.insert({found.observed_ns, link.name});
    if (found.observed_ns != end.ns) {
      ctx_.add(model::MoveLink{found.observed_ns, link.name, end.ns},
               model::Reason::differs(fmt::format("found in namespace {}", found.observed_ns)));
      // Moving a link takes it down and flushes its addresses and routes.
      ctx_.links_fresh.insert({end.ns, end.ifname});
      if (itf.up) ctx_.add(model::SetLinkUp{end.ns, end.ifname, true}, model::Reason::differs("moved"));
    }
    model::SetLinkAttributes set{end.ns, end.ifname};
    std::vector<std::string> why;
    if (itf.mtu && *itf.mtu != link.mtu) {
      set.mtu = *itf.mtu;
      set.old_mtu = link.mtu;
      why.push_back(fmt::format("mtu {} != {}", link.mtu, *itf.mtu));
    }
    if (itf.mac && *itf.mac != link.mac) {
      set.mac = *itf.mac;
      set.old_mac = link.mac;
      why.push_back(fmt::format("address {} != {}", link.mac.to_string(), itf.mac->to_string()));
    }
    std::string want_master = itf.master.value_or(""), have_master = link.master.value_or("");
    if (want_master != have_master && found.observed_ns == end.ns) {
      set.master = want_master;
      set.old_master = have_master;
      why.push_back(fmt::format("master {} != {}", have_master.empty() ? "none" : have_master,
                                want_master.empty() ? "none" : want_master));
    }
    if (bool want = wants_ipv6_link_local(itf); link.ipv6_link_local && *link.ipv6_link_local != want) {
      set.ipv6_link_local = want;
      set.old_ipv6_link_local = *link.ipv6_link_local;
      why.push_back(fmt::format("ipv6 link-local {} != {}", *link.ipv6_link_local ? "on" : "off",
                                want ? "on" : "off"));
    }
    if (bool have = link.isolated.value_or(false); itf.master && itf.isolated != have) {
      set.isolated = itf.isolated;
      set.old_isolated = have;
      why.push_back(fmt::format("isolated {} != {}", have ? "on" : "off", itf.isolated ? "on" : "off"));
    }
    if (found.adopted) {
      set.alias = ctx_.owner_alias();
      set.old_alias = link.alias;
    }
    if (found.unmarked) {
      set.alias = ctx_.owner_alias();
      set.old_alias = link.alias;
      why.push_back("left unmarked by an interrupted run");
    }
    if (!why.empty() || found.adopted) {
      model::Reason reason = why.empty() ? model::Reason::adopted() : model::Reason::differs(join(why));
      reason.also_adopted = found.adopted && !why.empty();
      ctx_.add(set, std::move(reason));
    }
    if (found.observed_ns == end.ns && itf.up != link.up)
      ctx_.add(model::SetLinkUp{end.ns, end.ifname, itf.up},
               model::Reason::differs(itf.up ? "down, declared up" : "up, declared down"));
  }

  void remove(const std::string& ns, const ObservedLink& link, model::Reason reason) {
    if (ctx_.links_deleted.contains({ns, link.name})) return;
    std::optional<Endpoint> peer;
    auto [peer_ns, peer_link] = ctx_.veth_peer(ns, link);
    ctx_.links_deleted.insert({ns, link.name});
    if (link.kind == "veth" && peer_link) {
      // One delete takes both ends; none at all when the peer's namespace goes anyway (unless
      // processes hold it: then this end goes for sure).
      ctx_.links_deleted.insert({peer_ns, peer_link->name});
      if (ctx_.namespace_going(peer_ns) && !ctx_.namespace_held(peer_ns)) return;
      peer = Endpoint{peer_ns, peer_link->name};
    }
    ctx_.add(model::DeleteLink{ns, link.name, model::link_kind(link.kind), peer, link.vxlan}, reason);
  }

  void delete_undeclared(const model::ObservedNamespace& ns) {
    if (!ns.exists) return;
    for (auto& link : ns.links) {
      bool ours = ctx_.link_owned(link) || ctx_.link_left_unmarked(ns.name, link);
      if (!ours || kept_.contains({ns.name, link.name})) continue;
      if (declared_.contains({ns.name, link.name})) continue;
      remove(ns.name, link, model::Reason::not_declared());
    }
    // Loopback is part of every namespace nstopo makes: keep it up in ours.
    if (ctx_.namespace_owned(ns.name) && !ctx_.namespace_fresh(ns.name))
      if (auto* lo = ctx_.link(ns.name, "lo"); lo && !lo->up)
        ctx_.add(model::SetLinkUp{ns.name, "lo", true}, model::Reason::differs("loopback down"));
  }

  static std::string join(const std::vector<std::string>& parts) {
    std::string text;
    for (auto& p : parts) text += (text.empty() ? "" : ", ") + p;
    return text;
  }

  DiffContext& ctx_;
  std::map<std::string, std::vector<std::pair<std::string, const ObservedLink*>>> owned_by_name_;
  std::set<LinkKey> declared_;
  std::set<LinkKey> kept_;
  std::set<LinkKey> bridges_in_place_;  // bridges where declared by the time veths are made
};

}  // namespace

void diff_links(DiffContext& ctx) { LinkDiff(ctx).run(); }

}  // namespace nstopo::plan
