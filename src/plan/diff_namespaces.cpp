// Namespaces: create the declared ones that are missing, delete the lab's that are no longer
// declared. A declared namespace that exists but is not recorded as the lab's is a conflict.
#include "plan/diff_context.h"

namespace nstopo::plan {

void diff_namespaces(DiffContext& ctx) {
  for (auto& [name, ns] : ctx.desired.namespaces) {
    if (!ctx.namespace_exists(name)) {
      ctx.namespaces_to_create.insert(name);
      ctx.add(model::CreateNamespace{name}, "missing");
    } else if (!ctx.namespace_owned(name)) {
      if (ctx.options.adopt)
        ctx.adopted_namespaces.insert(name);
      else {
        ctx.namespaces_foreign.insert(name);
        ctx.conflict("namespace " + name,
                     fmt::format("namespace {} exists but was not created by lab {}; rename it in "
                                 "the file, or pass --adopt to take it over",
                                 name, ctx.desired.name));
      }
    }
  }
  for (auto& name : ctx.observed.owned_namespaces) {
    if (ctx.desired.namespaces.contains(name) || !ctx.namespace_exists(name)) continue;
    ctx.namespaces_to_delete.insert(name);
    ctx.add(model::DeleteNamespace{name}, "not declared");
  }
}

}  // namespace nstopo::plan
