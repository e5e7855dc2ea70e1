// Namespaces: create the declared ones that are missing, delete the lab's that are no longer
// declared. A declared namespace that exists but is not recorded as the lab's is a conflict;
// so is one recorded as the lab's whose identity (netns cookie) is not the recorded one: it
// was deleted and made again outside nstopo. Such a namespace is never deleted. Processes
// still inside one that is deleted are the lab's to stop (nothing else can be in it).
#include "plan/diff_context.h"

namespace nstopo::plan {

namespace {
constexpr const char* kPlaceholder = "placeholder left by an interrupted run";
}  // namespace

void diff_namespaces(DiffContext& ctx) {
  for (auto& [name, ns] : ctx.desired.namespaces) {
    if (!ctx.namespace_exists(name)) {
      ctx.namespaces_to_create.insert(name);
      // A placeholder of the lab's is the file the namespace is mounted on anew.
      bool placeholder = ctx.namespace_placeholder(name) && ctx.namespace_owned(name);
      ctx.add(model::CreateNamespace{name}, model::Reason::missing(placeholder ? kPlaceholder : ""));
    } else if (!ctx.namespace_owned(name)) {
      if (ctx.options.adopt) {
        ctx.adopted_namespaces.insert(name);
      } else if (ctx.namespace_replaced(name)) {
        ctx.namespaces_foreign.insert(name);
        ctx.conflict({model::ObjectKind::namespace_, name, {}},
                     fmt::format("namespace {} was deleted and re-created outside nstopo, so it "
                                 "is not lab {}'s any more; rename it in the file, or pass "
                                 "--adopt to take it over",
                                 name, ctx.desired.name));
      } else {
        ctx.namespaces_foreign.insert(name);
        ctx.conflict({model::ObjectKind::namespace_, name, {}},
                     fmt::format("namespace {} exists but was not created by lab {}; rename it in "
                                 "the file, or pass --adopt to take it over",
                                 name, ctx.desired.name));
      }
    }
  }
  for (auto& name : ctx.observed.owned_namespaces) {
    if (ctx.desired.namespaces.contains(name)) continue;
    if (ctx.namespace_replaced(name)) {
      // Someone else's namespace under a name the lab once used: nothing in it is touched.
      ctx.namespaces_foreign.insert(name);
      ctx.forgotten_namespaces.insert(name);
      continue;
    }
    if (ctx.namespace_exists(name)) {
      ctx.namespaces_to_delete.insert(name);
      ctx.add(model::DeleteNamespace{name}, model::Reason::not_declared());
      if (const auto* ns = ctx.observed.find_namespace(name); ns && !ns->processes.empty()) {
        ctx.namespaces_held.insert(name);
        size_t n = ns->processes.size();
        ctx.add(model::StopNamespaceProcesses{name, ns->processes},
                model::Reason::not_declared(fmt::format(
                    "still in use by {} process{}, not services of the lab", n, n == 1 ? "" : "es")));
      }
    } else if (ctx.namespace_placeholder(name)) {
      ctx.namespaces_to_delete.insert(name);
      ctx.add(model::DeleteNamespace{name}, model::Reason::not_declared(kPlaceholder));
    }
  }
}

}  // namespace nstopo::plan
