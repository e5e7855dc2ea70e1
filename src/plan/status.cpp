#include "plan/status.h"

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

// An adopted object's "adopted" step is ownership, not state: drop it from a reason
// ("mtu 1400 != 1500, adopted" -> "mtu 1400 != 1500"); empty when nothing else is left.
std::string state_reason(const std::string& reason) {
  if (reason == "adopted" || reason.starts_with("adopted:")) return {};
  constexpr std::string_view kTail = ", adopted";
  if (reason.ends_with(kTail)) return reason.substr(0, reason.size() - kTail.size());
  return reason;
}

// What the plan says about each object, keyed by the action's description.
class Findings {
 public:
  // `through`: the plan that goes through the conflicts (--adopt); `conflicts`: the real plan's.
  Findings(const PlanResult& through, const std::vector<Conflict>& conflicts) {
    for (auto& a : through.plan.actions) {
      auto reason = state_reason(a.reason);
      if (reason.empty()) continue;
      actions_.push_back(model::Action{a.op, reason});
    }
    for (auto& a : actions_) {
      by_key_[a.describe()].push_back(&a);
      by_object_[a.object()].push_back(&a);
    }
    for (auto& c : conflicts) conflicts_[c.object] = c.message;
  }
  Findings(const Findings&) = delete;
  Findings& operator=(const Findings&) = delete;

  StatusEntry entry(std::string kind, std::string object, const std::string& key,
                    const std::string& conflict_key, bool by_object) const {
    StatusEntry e{std::move(kind), std::move(object), LiveState::present, {}};
    if (auto c = conflicts_.find(conflict_key); c != conflicts_.end()) {
      e.state = LiveState::conflict;
      e.detail = c->second;
      return e;
    }
    auto& index = by_object ? by_object_ : by_key_;
    auto it = index.find(key);
    if (it == index.end()) return e;
    // Actions on the same object of another kind (an address on this link) are not its state.
    std::vector<const model::Action*> own;
    for (auto* a : it->second)
      if (concerns(e.kind, *a)) own.push_back(a);
    // A delete and a create of the same object is a replacement (a restart, a broken pair):
    // the object is there, but not as declared.
    bool replaced = false;
    for (auto* a : own) replaced = replaced || a->change() == model::Change::remove;
    for (auto* a : own) {
      if (!replaced && a->change() == model::Change::create && !is_creation_follow_up(*a)) {
        e.state = LiveState::missing;
        e.detail = a->reason;
        return e;
      }
    }
    for (auto* a : own) {
      if (is_creation_follow_up(*a)) continue;
      e.state = LiveState::drifted;
      if (e.detail.find(a->reason) == std::string::npos)
        e.detail += (e.detail.empty() ? "" : "; ") + a->reason;
    }
    return e;
  }

 private:
  static bool concerns(const std::string& kind, const model::Action& a) {
    using namespace model;
    if (kind == "veth" || kind == "bridge")
      return std::holds_alternative<CreateVeth>(a.op) || std::holds_alternative<CreateBridge>(a.op) ||
             std::holds_alternative<DeleteLink>(a.op) || std::holds_alternative<MoveLink>(a.op) ||
             std::holds_alternative<SetLinkAttributes>(a.op) || std::holds_alternative<SetLinkUp>(a.op);
    if (kind == "sysctl") return std::holds_alternative<SetSysctl>(a.op);
    if (kind == "service")
      return std::holds_alternative<StartService>(a.op) || std::holds_alternative<StopService>(a.op);
    return true;  // addresses, routes, namespaces: their keys name only them
  }

  // "new link" steps belong to a creation already reported as missing.
  static bool is_creation_follow_up(const model::Action& a) { return a.reason == "new link"; }

  std::vector<model::Action> actions_;  // filled whole before the indexes point into it
  std::map<std::string, std::vector<const model::Action*>> by_key_, by_object_;
  std::map<std::string, std::string> conflicts_;
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
  for (auto& [name, itf] : ns.interfaces) {
    std::string object = ns.name + ":" + name;
    std::string kind(model::to_string(itf.kind));
    auto e = findings.entry(kind, object, object, object, true);
    // The veth's creation action is keyed by its first end only.
    if (e.state == LiveState::present && itf.peer) {
      auto pair = findings.entry("veth", object, itf.peer->to_string(), object, true);
      if (pair.state == LiveState::missing) e = pair, e.object = object;
    }
    out.push_back(checked(e, existence.link_exists(ns.name, name, kind)));
    for (auto& prefix : itf.addresses) {
      std::string text = fmt::format("address {} on {}", prefix.to_string(), object);
      auto address = findings.entry("address", fmt::format("{} on {}", prefix.to_string(), object),
                                    text, text, false);
      out.push_back(checked(address, existence.address_exists(ns.name, name, prefix)));
    }
  }
  for (auto& route : ns.routes) {
    auto spec = route_spec(route);
    std::string text = fmt::format("route {} in {}", spec.to_string(), ns.name);
    auto e = findings.entry("route", fmt::format("{} in {}", route.to_string(), ns.name), text,
                            text, false);
    out.push_back(checked(e, existence.route_exists(ns.name, spec)));
  }
  for (auto& [key, value] : ns.sysctls)
    out.push_back(findings.entry("sysctl", fmt::format("{} {} = {}", ns.name, key, value),
                                 ns.name + ":" + key, ns.name + ":" + key, true));
  for (auto& [name, service] : ns.services) {
    std::string object = ns.name + "/" + name;
    out.push_back(findings.entry("service", object, object, object, true));
  }
}

}  // namespace

std::vector<StatusEntry> status(const model::Topology& desired,
                                const model::ObservedState& observed) {
  auto result = plan(desired, observed);
  auto through = result.conflicts.empty() ? PlanResult{} : plan(desired, observed, {.adopt = true});
  Findings findings(result.conflicts.empty() ? result : through, result.conflicts);
  Existence existence(observed);
  std::vector<StatusEntry> entries;
  for (auto& [name, ns] : desired.namespaces)
    entries.push_back(checked(
        findings.entry("namespace", name, "namespace " + name, "namespace " + name, false),
        existence.namespace_exists(name)));
  namespace_status(desired.host, findings, existence, entries);
  for (auto& [name, ns] : desired.namespaces) namespace_status(ns, findings, existence, entries);
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
