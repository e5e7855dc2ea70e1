#include "plan/status.h"

#include "plan/nat_ruleset.h"
#include "model/name_files.h"

#include <map>

#include "plan/route_spec.h"

namespace nstopo::plan {

std::string_view to_string(LiveState state) {
  switch (state) {
    case LiveState::present: return "present";
    case LiveState::missing: return "missing";
    case LiveState::drifted: return "drifted";
    case LiveState::conflict: return "conflict";
  }
  return "?";
}

namespace {

// What the plan says about each object, by the object's key.
class Findings {
 public:
  // `through`: the plan that goes through the conflicts (--adopt); `conflicts`: the real plan's.
  Findings(const PlanResult& through, const std::vector<Conflict>& conflicts) {
    // An adoption is ownership, not state: an action that only adopts says nothing here, and
    // one that also repairs says what it repairs.
    for (auto& a : through.plan.actions) {
      if (a.reason.state_text().empty()) continue;
      actions_.push_back(a);
    }
    for (auto& a : actions_) by_key_[a.key()].push_back(&a);
    for (auto& c : conflicts) conflicts_[c.key] = c.message;
  }
  Findings(const Findings&) = delete;
  Findings& operator=(const Findings&) = delete;

  // The entry of the object `key`; `actions_of`: where its actions are keyed, when elsewhere
  // (a veth pair's creation is keyed by its first end).
  StatusEntry entry(std::string kind, const model::ObjectKey& key,
                    std::optional<model::ObjectKey> actions_of = std::nullopt) const {
    StatusEntry e{std::move(kind), key.to_string(), LiveState::present, {}, key};
    if (auto c = conflicts_.find(key); c != conflicts_.end()) {
      e.state = LiveState::conflict;
      e.detail = c->second;
      return e;
    }
    auto it = by_key_.find(actions_of.value_or(key));
    if (it == by_key_.end()) return e;
    std::vector<const model::Action*> own;
    for (auto* a : it->second)
      if (is_state(*a)) own.push_back(a);
    // A delete and a create of the same object is a replacement (a restart, a broken pair):
    // the object is there, but not as declared.
    bool replaced = false;
    for (auto* a : own) replaced = replaced || a->change() == model::Change::remove;
    for (auto* a : own) {
      if (!replaced && a->change() == model::Change::create && !is_creation_follow_up(*a)) {
        e.state = LiveState::missing;
        e.detail = a->reason.state_text();
        return e;
      }
    }
    for (auto* a : own) {
      if (is_creation_follow_up(*a)) continue;
      e.state = LiveState::drifted;
      auto said = a->reason.state_text();
      if (e.detail.find(said) == std::string::npos)
        e.detail += (e.detail.empty() ? "" : "; ") + said;
    }
    return e;
  }

 private:
  // Record keeping (what the host had, remembered before a fan-out write) is no state of the
  // object; every other action on it is.
  static bool is_state(const model::Action& a) {
    return a.reason.why != model::Reason::Why::bookkeeping;
  }

  // The steps that belong to a creation already reported as missing.
  static bool is_creation_follow_up(const model::Action& a) {
    return a.reason.why == model::Reason::Why::creation_step;
  }

  std::vector<model::Action> actions_;  // filled whole before the indexes point into it
  std::map<model::ObjectKey, std::vector<const model::Action*>> by_key_;
  std::map<model::ObjectKey, std::string> conflicts_;
};

// What the plan cannot say when a conflict kept it from planning an object: whether it is
// there at all. Only "present" entries are checked; anything else came from the plan.
class Existence {
 public:
  explicit Existence(const model::ObservedState& observed) : observed_(observed) {}

  bool namespace_exists(const std::string& ns) const { return find(ns) != nullptr; }

  bool link_exists(const std::string& ns, const std::string& name, const std::string& kind) const {
    auto* o = find(ns);
    auto* link = o ? o->find_link(name) : nullptr;
    return link && link->kind == kind;
  }

  bool address_exists(const std::string& ns, const std::string& dev,
                      const model::Prefix& prefix) const {
    auto* o = find(ns);
    if (!o) return false;
    for (auto& a : o->addresses)
      if (a.dev == dev && a.prefix == prefix) return true;
    return false;
  }

  bool route_exists(const std::string& ns, const model::RouteSpec& want) const {
    auto* o = find(ns);
    if (!o) return false;
    for (auto& r : o->routes)
      if (r.to == want.to && r.metric == want.metric) return true;
    return false;
  }

 private:
  const model::ObservedNamespace* find(const std::string& ns) const {
    if (ns == model::kHostNamespace) return &observed_.host;
    auto* o = observed_.find_namespace(ns);
    return o && o->exists ? o : nullptr;
  }
  const model::ObservedState& observed_;
};

StatusEntry checked(StatusEntry e, bool exists) {
  if (e.state == LiveState::present && !exists) {
    e.state = LiveState::missing;
    e.detail = "missing";
  }
  return e;
}

void namespace_status(const model::Namespace& ns, const Findings& findings,
                      const Existence& existence, std::vector<StatusEntry>& out) {
  using model::ObjectKind;
  for (auto& [name, itf] : ns.interfaces) {
    std::string kind(model::to_string(itf.kind));
    model::ObjectKey link{ObjectKind::link, ns.name, name};
    auto e = findings.entry(kind, link);
    // The veth's creation action is keyed by its first end only.
    if (e.state == LiveState::present && itf.peer) {
      auto pair = findings.entry("veth", link, model::ObjectKey{ObjectKind::link, itf.peer->ns,
                                                                itf.peer->ifname});
      if (pair.state == LiveState::missing) e = pair;
    }
    out.push_back(checked(e, existence.link_exists(ns.name, name, kind)));
    for (auto& prefix : itf.addresses) {
      auto key = model::AddAddress{ns.name, name, prefix}.object_key();
      auto address = findings.entry("address", key);
      address.object = key.name;  // "10.0.0.11/24 on ns_rifky:veth_ns_rifky"
      out.push_back(checked(address, existence.address_exists(ns.name, name, prefix)));
    }
    if (itf.impairment) {
      auto impairment = findings.entry("impairment", {ObjectKind::impairment, ns.name, name});
      impairment.object = fmt::format("{} on {}", itf.impairment->to_string(), model::at(ns.name, name));
      out.push_back(impairment);
    }
  }
  for (auto& route : ns.routes) {
    auto spec = route_spec(route);
    auto e = findings.entry("route", model::AddRoute{ns.name, spec}.object_key());
    e.object = fmt::format("{} in {}", route.to_string(), ns.name);
    out.push_back(checked(e, existence.route_exists(ns.name, spec)));
  }
  for (auto& [key, value] : ns.sysctls) {
    auto e = findings.entry("sysctl", {ObjectKind::sysctl, ns.name, key});
    e.object = fmt::format("{} {} = {}", ns.name, key, value);
    out.push_back(e);
  }
  for (auto& [name, service] : ns.services)
    out.push_back(findings.entry("service", {ObjectKind::service, ns.name, name}));
}

// The lab's name files (model/name_files.h) and the host's block, when declared.
void name_file_status(const model::Topology& desired, const model::ObservedState& observed,
                      const Findings& findings, std::vector<StatusEntry>& out) {
  auto add = [&](const std::string& ns, const std::string& file) {
    auto e = findings.entry("file", {model::ObjectKind::name_file, ns, file});
    out.push_back(checked(e, observed.name_files.contains({ns, file})));
  };
  for (const auto& [name, ns] : desired.namespaces)
    for (const auto& [file, content] : model::desired_name_files(desired, ns)) add(name, file);
  if (model::desired_host_block(desired))
    add(std::string(model::kHostNamespace), std::string(model::kHostsFile));
}

}  // namespace

std::vector<StatusEntry> status(const model::Topology& desired,
                                const model::ObservedState& observed) {
  auto result = plan(desired, observed);
  auto through = result.conflicts.empty() ? PlanResult{} : plan(desired, observed, {.adopt = true});
  Findings findings(result.conflicts.empty() ? result : through, result.conflicts);
  Existence existence(observed);
  std::vector<StatusEntry> entries;
  for (auto& [name, ns] : desired.namespaces) {
    auto e = findings.entry("namespace", {model::ObjectKind::namespace_, name, {}});
    e.object = name;
    entries.push_back(checked(e, existence.namespace_exists(name)));
  }
  namespace_status(desired.host, findings, existence, entries);
  for (auto& [name, ns] : desired.namespaces) namespace_status(ns, findings, existence, entries);
  if (nat_ruleset(desired)) {
    model::ObjectKey key{model::ObjectKind::nat, std::string(model::kHostNamespace),
                         model::nat_table_name(desired.name)};
    auto e = findings.entry("nat", key);
    e.object = key.to_string();
    entries.push_back(checked(e, observed.nat_table.has_value()));
  }
  name_file_status(desired, observed, findings, entries);
  return entries;
}

StatusTotals totals(const std::vector<StatusEntry>& entries) {
  StatusTotals t;
  for (auto& e : entries) {
    switch (e.state) {
      case LiveState::present: ++t.present; break;
      case LiveState::missing: ++t.missing; break;
      case LiveState::drifted: ++t.drifted; break;
      case LiveState::conflict: ++t.conflict; break;
    }
  }
  return t;
}

}  // namespace nstopo::plan
