// Addresses: add the declared ones that are missing, remove ours that are no longer declared.
// Kernel-made addresses (IPv6 link-local) and foreign ones are never touched.
#include <tuple>

#include "plan/diff_context.h"

namespace nstopo::plan {

namespace {

using AddressKey = std::tuple<std::string, std::string, model::Prefix>;  // ns, dev, prefix

void diff_declared(DiffContext& ctx, const model::Namespace& ns,
                   const std::map<AddressKey, const model::ObservedAddress*>& observed) {
  for (auto& [ifname, itf] : ns.interfaces) {
    if (ctx.interface_skipped(ns.name, ifname)) continue;
    bool fresh = ctx.namespace_fresh(ns.name) || ctx.links_fresh.contains({ns.name, ifname});
    for (auto& prefix : itf.addresses) {
      auto it = fresh ? observed.end() : observed.find({ns.name, ifname, prefix});
      if (it == observed.end()) {
        ctx.add(model::AddAddress{ns.name, ifname, prefix, true}, model::Reason::missing());
        continue;
      }
      if (ctx.address_owned(ns.name, *it->second)) continue;
      model::ObjectKey conflicting = model::AddAddress{ns.name, ifname, prefix}.object_key();
      std::string object = conflicting.to_string();
      if (!ctx.options.adopt) {
        ctx.conflict(conflicting, fmt::format("{} exists but was not added by nstopo; remove it, or pass "
                                         "--adopt to take it over",
                                         object));
        continue;
      }
      // Adopting re-adds it with our mark (IFA_PROTO cannot be changed in place).
      ctx.add(model::DeleteAddress{ns.name, ifname, prefix}, model::Reason::adopted("re-added with nstopo's mark"));
      ctx.add(model::AddAddress{ns.name, ifname, prefix, true}, model::Reason::adopted());
    }
  }
}

}  // namespace

void diff_addresses(DiffContext& ctx) {
  std::map<AddressKey, const model::ObservedAddress*> observed;
  auto index = [&](const model::ObservedNamespace& ns) {
    if (!ns.exists) return;
    for (auto& a : ns.addresses) observed[{ns.name, a.dev, a.prefix}] = &a;
  };
  index(ctx.observed.host);
  for (auto& [name, ns] : ctx.observed.namespaces) index(ns);

  std::set<AddressKey> declared;
  auto declare = [&](const model::Namespace& ns) {
    for (auto& [ifname, itf] : ns.interfaces)
      for (auto& prefix : itf.addresses) declared.insert({ns.name, ifname, prefix});
  };
  declare(ctx.desired.host);
  for (auto& [name, ns] : ctx.desired.namespaces) declare(ns);

  diff_declared(ctx, ctx.desired.host, observed);
  for (auto& [name, ns] : ctx.desired.namespaces) diff_declared(ctx, ns, observed);

  for (auto& [key, address] : observed) {
    auto& [ns, dev, prefix] = key;
    if (declared.contains(key) || ctx.link_going(ns, dev) || ctx.links_fresh.contains({ns, dev}))
      continue;
    if (ctx.address_owned(ns, *address))
      ctx.add(model::DeleteAddress{ns, dev, prefix}, model::Reason::not_declared());
  }
}

}  // namespace nstopo::plan
