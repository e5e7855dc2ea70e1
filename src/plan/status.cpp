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

// What the plan says about each object, keyed by the action's description.
class Findings {
 public:
  explicit Findings(const PlanResult& result) {
    for (auto& a : result.plan.actions) {
      auto& f = by_key_[a.describe()];
      f.push_back(&a);
      by_object_[a.object()].push_back(&a);
    }
    for (auto& c : result.conflicts) conflicts_[c.object] = c.message;
  }

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

  std::map<std::string, std::vector<const model::Action*>> by_key_, by_object_;
  std::map<std::string, std::string> conflicts_;
};

void namespace_status(const model::Namespace& ns, const Findings& findings,
                      std::vector<StatusEntry>& out) {
  for (auto& [name, itf] : ns.interfaces) {
    std::string object = ns.name + ":" + name;
    auto e = findings.entry(std::string(model::to_string(itf.kind)), object, object, object, true);
    // The veth's creation action is keyed by its first end only.
    if (e.state == LiveState::present && itf.peer) {
      auto pair = findings.entry("veth", object, itf.peer->to_string(), object, true);
      if (pair.state == LiveState::missing) e = pair, e.object = object;
    }
    out.push_back(e);
    for (auto& prefix : itf.addresses) {
      std::string text = fmt::format("address {} on {}", prefix.to_string(), object);
      out.push_back(findings.entry("address", fmt::format("{} on {}", prefix.to_string(), object),
                                   text, text, false));
    }
  }
  for (auto& route : ns.routes) {
    std::string text = fmt::format("route {} in {}", route_spec(route).to_string(), ns.name);
    out.push_back(findings.entry("route", fmt::format("{} in {}", route.to_string(), ns.name),
                                 text, text, false));
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

std::vector<StatusEntry> status(const model::Topology& desired, const PlanResult& result) {
  Findings findings(result);
  std::vector<StatusEntry> entries;
  for (auto& [name, ns] : desired.namespaces)
    entries.push_back(findings.entry("namespace", name, "namespace " + name, "namespace " + name, false));
  namespace_status(desired.host, findings, entries);
  for (auto& [name, ns] : desired.namespaces) namespace_status(ns, findings, entries);
  return entries;
}

}  // namespace nstopo::plan
