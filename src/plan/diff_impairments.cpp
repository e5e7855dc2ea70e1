// Impairments: the one root qdisc (model/impairment.h) on each declared interface that
// declares rate, delay, loss, ...: made when missing, changed in place when it differs, and
// deleted when the interface no longer declares any. Only root qdiscs of the lab's own links
// are looked at, and of those only one nstopo could have made (its handle, tbf or netem) is
// ever changed or deleted; another root qdisc on a lab link is a conflict (--adopt replaces it).
#include <fmt/format.h>

#include "plan/diff_context.h"

namespace nstopo::plan {

namespace {

void diff_interface(DiffContext& ctx, const model::Namespace& ns, const std::string& ifname,
                    const model::Interface& itf) {
  // A link made (or moved: a move resets its qdiscs) this run has the kernel's default.
  bool fresh = ctx.namespace_fresh(ns.name) || ctx.links_fresh.contains({ns.name, ifname});
  if (fresh) {
    if (itf.impairment)
      ctx.add_creation_step(
          model::SetImpairment{ns.name, ifname, model::qdisc_spec(*itf.impairment), std::nullopt});
    return;
  }
  const model::ObservedLink* link = ctx.link(ns.name, ifname);
  if (!link) return;
  // A foreign link is the links pass's conflict; with --adopt it becomes the lab's.
  if (!ctx.link_owned(*link) && !ctx.link_left_unmarked(ns.name, *link) && !ctx.options.adopt)
    return;
  const model::ObservedNamespace* observed = ctx.observed_namespace(ns.name);
  const model::ObservedQdisc* root = observed ? observed->find_root_qdisc(ifname) : nullptr;
  if (root && root->handle == 0) root = nullptr;  // the kernel's default: none of anyone's
  bool ours = root && root->made_by_nstopo();

  if (!itf.impairment) {
    if (ours)
      ctx.add(model::ClearImpairment{ns.name, ifname, root->spec}, model::Reason::not_declared());
    return;
  }
  model::QdiscSpec wanted = model::qdisc_spec(*itf.impairment);
  model::SetImpairment set{ns.name, ifname, wanted, std::nullopt};
  if (!root) {
    ctx.add(set, model::Reason::missing());
    return;
  }
  if (ours) {
    if (root->spec == wanted) return;
    set.old = root->spec;
    ctx.add(set, model::Reason::differs(
                     fmt::format("{} != {}", root->spec.to_string(), wanted.to_string())));
    return;
  }
  std::string found = fmt::format("root qdisc {} {:x}:", root->kind, root->handle >> 16);
  if (!ctx.options.adopt) {
    ctx.conflict(set.object_key(),
                 fmt::format("{} has a {} that nstopo did not make; remove it, or pass --adopt "
                             "to replace it",
                             model::at(ns.name, ifname), found));
    return;
  }
  ctx.add(set, model::Reason::adopted(fmt::format("replaces {}", found)));
}

void diff_namespace(DiffContext& ctx, const model::Namespace& ns) {
  if (ctx.namespace_foreign(ns.name)) return;
  for (auto& [ifname, itf] : ns.interfaces) {
    if (ctx.interface_skipped(ns.name, ifname)) continue;
    // A link deleted this run takes its qdisc with it, unless it is made again this run (a
    // fresh namespace's links, the left-over end of a broken veth pair): then it gets one anew.
    bool made_again = ctx.namespace_fresh(ns.name) || ctx.links_fresh.contains({ns.name, ifname});
    if (ctx.link_going(ns.name, ifname) && !made_again) continue;
    diff_interface(ctx, ns, ifname, itf);
  }
}

}  // namespace

void diff_impairments(DiffContext& ctx) {
  diff_namespace(ctx, ctx.desired.host);
  for (auto& [name, ns] : ctx.desired.namespaces) diff_namespace(ctx, ns);
}

}  // namespace nstopo::plan
