// Sysctls: per namespace, set the declared keys whose live value differs.
#include "plan/diff_context.h"

namespace nstopo::plan {

namespace {

// The kernel prints some values with tabs ("1\t0"): compare with white space folded.
std::string normalized(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

void diff_sysctls(DiffContext& ctx) {
  auto diff = [&](const model::Namespace& ns) {
    if (ctx.namespace_foreign(ns.name)) return;
    auto* observed = ctx.namespace_fresh(ns.name) ? nullptr : ctx.observed_namespace(ns.name);
    for (auto& [key, value] : ns.sysctls) {
      if (!observed) {
        ctx.add(model::SetSysctl{ns.name, key, value, std::nullopt}, "new namespace");
        continue;
      }
      auto it = observed->sysctls.find(key);
      if (it == observed->sysctls.end()) {
        ctx.add(model::SetSysctl{ns.name, key, value, std::nullopt}, "not readable");
      } else if (normalized(it->second) != normalized(value)) {
        ctx.add(model::SetSysctl{ns.name, key, value, normalized(it->second)},
                fmt::format("{} != {}", normalized(it->second), normalized(value)));
      }
    }
  };
  diff(ctx.desired.host);
  for (auto& [name, ns] : ctx.desired.namespaces) diff(ns);
}

}  // namespace nstopo::plan
