#include "plan/planner.h"

#include <algorithm>

#include "plan/diff_context.h"
#include "plan/ordering.h"
#include "plan/preflight.h"

namespace nstopo::plan {

model::ObserveRequest observe_request(const model::Topology& desired,
                                      const std::set<std::string>& recorded_namespaces) {
  model::ObserveRequest request;
  request.lab = desired.name;
  request.namespaces = recorded_namespaces;
  for (auto& name : recorded_namespaces)
    if (!desired.namespaces.contains(name)) request.links_only.insert(name);
  auto sysctls = [&](const model::Namespace& ns) {
    add_preflight_lookups(ns, request);
    if (ns.sysctls.empty()) return;
    auto& keys = request.sysctls[ns.name];
    for (auto& [key, value] : ns.sysctls) keys.insert(key);
  };
  sysctls(desired.host);
  for (auto& [name, ns] : desired.namespaces) {
    request.namespaces.insert(name);
    sysctls(ns);
  }
  return request;
}

PlanResult plan(const model::Topology& desired, const model::ObservedState& observed,
                const PlanOptions& options) {
  DiffContext ctx(desired, observed, options);
  // Namespaces first: what is (re)created or deleted decides what the later passes see.
  diff_namespaces(ctx);
  // Links next: a link made or deleted this run needs no diff of its addresses and routes.
  diff_links(ctx);
  diff_addresses(ctx);
  diff_routes(ctx);
  diff_impairments(ctx);
  diff_sysctls(ctx);
  diff_name_files(ctx);
  diff_services(ctx);
  diff_nat(ctx);

  order_actions(ctx.actions);
  auto findings = preflight(desired, observed);
  std::sort(ctx.conflicts.begin(), ctx.conflicts.end(),
            [](const Conflict& a, const Conflict& b) { return a.object < b.object; });
  return PlanResult{model::Plan{std::move(ctx.actions)}, std::move(ctx.conflicts),
                    std::move(findings), std::move(ctx.adopted_namespaces),
                    std::move(ctx.forgotten_namespaces)};
}

model::Topology empty_topology(const std::string& lab) {
  model::Topology topology;
  topology.name = lab;
  return topology;
}

}  // namespace nstopo::plan
