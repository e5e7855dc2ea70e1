// Routes: add the declared ones that are missing, replace ours that differ, remove ours that
// are no longer declared. Kernel routes (from addresses) and foreign ones are never touched.
#include <tuple>

#include "plan/diff_context.h"
#include "plan/route_spec.h"

namespace nstopo::plan {

namespace {

// The kernel identifies a route by destination and metric (table main, TOS 0).
using RouteKey = std::tuple<std::string, model::Prefix, uint32_t>;  // ns, to, metric

model::RouteSpec spec_of(const model::ObservedRoute& route) {
  return model::RouteSpec{route.to, route.via, route.dev, route.metric};
}

// Why an observed route does not match the declared one; empty when it does.
std::string difference(const model::RouteSpec& want, const model::ObservedRoute& have) {
  if (want.via != have.via)
    return fmt::format("via {} != {}", have.via ? have.via->to_string() : "none",
                       want.via ? want.via->to_string() : "none");
  if (want.dev && *want.dev != have.dev) return fmt::format("dev {} != {}", have.dev, *want.dev);
  return {};
}

}  // namespace

void diff_routes(DiffContext& ctx) {
  std::map<RouteKey, const model::ObservedRoute*> observed;
  auto index = [&](const model::ObservedNamespace& ns) {
    if (!ns.exists || ctx.namespace_fresh(ns.name)) return;
    for (auto& r : ns.routes)
      if (!ctx.link_going(ns.name, r.dev) && !ctx.links_fresh.contains({ns.name, r.dev}))
        observed[{ns.name, r.to, r.metric}] = &r;
  };
  index(ctx.observed.host);
  for (auto& [name, ns] : ctx.observed.namespaces) index(ns);

  std::set<RouteKey> declared;
  auto diff_declared = [&](const model::Namespace& ns) {
    if (ctx.namespace_foreign(ns.name)) return;
    for (auto& route : ns.routes) {
      auto want = route_spec(route);
      RouteKey key{ns.name, want.to, want.metric};
      declared.insert(key);
      auto it = observed.find(key);
      if (it == observed.end()) {
        ctx.add(model::AddRoute{ns.name, want}, model::Reason::missing());
        continue;
      }
      auto& have = *it->second;
      bool ours = ctx.route_owned(ns.name, have);
      std::string differs = difference(want, have);
      if (ours && differs.empty()) continue;
      if (!ours && !ctx.options.adopt) {
        model::ObjectKey conflicting = model::AddRoute{ns.name, want}.object_key();
        std::string object = conflicting.to_string();
        ctx.conflict(conflicting, fmt::format("{} exists{} but was not added by nstopo; remove it, or "
                                         "pass --adopt to take it over",
                                         object, differs.empty() ? "" : " (" + differs + ")"));
        continue;
      }
      auto reason = ours ? model::Reason::differs(differs) : model::Reason::adopted();
      ctx.add(model::DeleteRoute{ns.name, spec_of(have), have.protocol}, reason);
      ctx.add(model::AddRoute{ns.name, want}, reason);
    }
  };
  diff_declared(ctx.desired.host);
  for (auto& [name, ns] : ctx.desired.namespaces) diff_declared(ns);

  for (auto& [key, route] : observed) {
    auto& ns = std::get<0>(key);
    if (declared.contains(key) || !ctx.route_owned(ns, *route)) continue;
    ctx.add(model::DeleteRoute{ns, spec_of(*route), route->protocol}, model::Reason::not_declared());
  }
}

}  // namespace nstopo::plan
