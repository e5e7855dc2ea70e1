// Sysctls: per namespace, set the declared keys whose live value differs, in an order and with
// the side effects the kernel gives them (model/sysctl_coupling.h). On the host, each key the
// lab changes is recorded first (its original value, the value set) and, once the lab no
// longer declares it, given back, unless something else changed it since.
#include <algorithm>
#include <set>

#include "model/sysctl_coupling.h"
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

class NamespaceSysctls {
 public:
  NamespaceSysctls(DiffContext& ctx, const model::Namespace& ns)
      : ctx_(ctx), ns_(ns), host_(ns.is_host()),
        observed_(ctx.namespace_fresh(ns.name) ? nullptr : ctx.observed_namespace(ns.name)) {}

  void diff() {
    refuse_contradictions();
    if (host_) refuse_keys_of_other_labs();
    for (auto& [key, value] : ns_.sysctls) {
      if (skipped_.contains(key)) continue;
      if (!observed_) {
        set(key, value, std::nullopt, model::Reason::missing("new namespace"));
        continue;
      }
      auto current = live(key);
      if (!current)
        set(key, value, std::nullopt, model::Reason::missing("not readable"));
      else if (*current != normalized(value))
        set(key, value, current, model::Reason::differs(fmt::format("{} != {}", *current, normalized(value))));
    }
    if (host_) {
      record_what_fan_outs_rewrite();
      give_back_undeclared();
    }
    rewrite_what_the_writes_overwrite();
  }

 private:
  std::optional<std::string> live(const std::string& key) const {
    if (!observed_) return std::nullopt;
    auto it = observed_->sysctls.find(key);
    if (it == observed_->sysctls.end()) return std::nullopt;
    return normalized(it->second);
  }

  // net.ipv4.ip_forward and net.ipv4.conf.all.forwarding are one value in the kernel: declared
  // different, no apply could ever converge.
  void refuse_contradictions() {
    std::map<std::string, std::pair<std::string, std::string>> seen;  // canonical -> key, value
    for (auto& [key, value] : ns_.sysctls) {
      auto [it, fresh] = seen.try_emplace(model::sysctl_canonical(key), key, value);
      if (fresh || normalized(it->second.second) == normalized(value)) continue;
      skipped_.insert(key);
      skipped_.insert(it->second.first);
      ctx_.conflict({model::ObjectKind::sysctl, ns_.name, key},
                    fmt::format("sysctls {} = {} and {} = {} in {} are one setting in the kernel; "
                                "declare one of them",
                                it->second.first, it->second.second, key, value, ns_.name));
    }
  }

  // One host value, one owner: a key another lab recorded (it will give the host its value
  // back) cannot be changed by this lab too, or destroying either would leave the other's
  // value, or the host's, wrong.
  void refuse_keys_of_other_labs() {
    std::map<std::string, std::string> held;  // canonical key -> lab
    for (auto& [key, lab] : ctx_.observed.host_sysctls_of_other_labs)
      held.emplace(model::sysctl_canonical(key), lab);
    for (auto& [key, value] : ns_.sysctls) {
      auto it = held.find(model::sysctl_canonical(key));
      if (it == held.end()) continue;
      skipped_.insert(key);
      ctx_.conflict({model::ObjectKind::sysctl, ns_.name, key},
                    fmt::format("host sysctl {} is already set by lab {}, which will restore the "
                                "host's value when it is destroyed; declare it in one lab only "
                                "(or destroy lab {} first)",
                                key, it->second, it->second));
    }
  }

  void set(const std::string& key, const std::string& value,
           const std::optional<std::string>& old_value, model::Reason reason) {
    written_[key] = value;
    ctx_.add(model::SetSysctl{ns_.name, key, value, old_value, record_original(key, old_value)},
             std::move(reason));
  }

  // What the host's record of `key` keeps as the original: the recorded one, or the value
  // live before this first change. A key that cannot be read yet belongs to an interface made
  // this run, which takes its settings with it: nothing to record.
  std::optional<std::string> record_original(const std::string& key,
                                             const std::optional<std::string>& old_value) const {
    if (!host_) return std::nullopt;
    auto it = ctx_.observed.host_sysctl_records.find(key);
    if (it != ctx_.observed.host_sysctl_records.end()) return it->second.original;
    return old_value;
  }

  // A host key that fans out (net.ipv4.ip_forward) rewrites keys of every interface, which
  // giving it back sets to its original, not to theirs: an interface whose forwarding differed
  // from ip_forward before the lab would lose its value. Those are recorded too, before the
  // write, and given back after it on destroy and prune. The lab's own links take theirs along.
  void record_what_fan_outs_rewrite() {
    using Mode = model::RestoreSysctl::Mode;
    auto writes = written_;
    for (auto& [written, value] : writes) {
      auto original = record_original(written, live(written));
      if (!original || !observed_) continue;
      for (auto& [key, current] : observed_->sysctls) {
        if (ns_.sysctls.contains(key) || ctx_.observed.host_sysctl_records.contains(key) ||
            remembered_.contains(key))
          continue;
        auto effect = model::sysctl_effect(written, value, key);
        if (effect.kind != model::SysctlEffect::Kind::sets) continue;
        auto device = model::sysctl_interface(key);
        if (device)
          if (const auto* link = ctx_.link(ns_.name, *device); link && ctx_.link_owned(*link))
            continue;
        auto given_back = model::sysctl_effect(written, *original, key).value;
        if (normalized(current) == normalized(given_back)) continue;
        remembered_.insert(key);
        ctx_.add(model::RestoreSysctl{key, normalized(current), effect.value, Mode::remember},
                 model::Reason::bookkeeping(
                     fmt::format("{} = {} rewrites it, and giving {} back would leave it at {}",
                                 written, value, written, given_back)));
      }
    }
  }

  // A recorded key the kernel rewrites with a declared fan-out key stays recorded with it.
  bool kept_by_declared_fan_out(const std::string& key) const {
    for (auto& [declared, value] : ns_.sysctls)
      if (!skipped_.contains(declared) &&
          model::sysctl_effect(declared, value, key).kind == model::SysctlEffect::Kind::sets)
        return true;
    return false;
  }

  // True when a fan-out key this lab recorded would have set `key` to `value`, given back or
  // not: a run killed after giving net.ipv4.ip_forward back, before the interfaces' forwarding,
  // left them at ip_forward's original, which is nstopo's doing, not a change from outside.
  bool set_by_recorded_fan_out(const std::string& key, const std::string& value) const {
    for (auto& [fan_out, record] : ctx_.observed.host_sysctl_records)
      for (const auto* side : {&record.original, &record.set}) {
        auto effect = model::sysctl_effect(fan_out, *side, key);
        if (effect.kind == model::SysctlEffect::Kind::sets && normalized(effect.value) == value)
          return true;
      }
    return false;
  }

  // Recorded keys the file no longer declares (all of them on destroy). Keys that fan out
  // first: what giving them back does to the others decides whether those need a write.
  void give_back_undeclared() {
    using Mode = model::RestoreSysctl::Mode;
    std::vector<const std::string*> keys;
    for (auto& [key, record] : ctx_.observed.host_sysctl_records) keys.push_back(&key);
    std::stable_partition(keys.begin(), keys.end(), [](const std::string* key) {
      return !model::sysctl_fanned_out(*key, {}).empty();
    });
    std::map<std::string, std::string> fan_outs_given_back;  // key -> its original
    for (const auto* key_pointer : keys) {
      const std::string& key = *key_pointer;
      const auto& record = ctx_.observed.host_sysctl_records.at(key);
      if (ns_.sysctls.contains(key) || kept_by_declared_fan_out(key)) continue;
      // The record goes, the key stays as it is: keeping the record is all this changes.
      auto leave = [&](std::string live, std::string reason) {
        ctx_.add(model::RestoreSysctl{key, record.original, record.set, Mode::leave, std::move(live)},
                 model::Reason::bookkeeping(std::move(reason)));
      };
      auto device = model::sysctl_interface(key);
      if (device && ctx_.link_going(ns_.name, *device)) {
        leave("", fmt::format("its interface {} goes with the lab", *device));
        continue;
      }
      auto current = live(key);
      std::string original = normalized(record.original), set_value = normalized(record.set);
      if (!current) {
        leave("", "no longer exists");
        continue;
      }
      if (*current != set_value && *current != original && !set_by_recorded_fan_out(key, *current)) {
        leave(*current, fmt::format("changed outside nstopo since the lab set {}", set_value));
        continue;
      }
      // What the key will be once the fan-out keys before it are given back.
      std::string predicted = *current, by;
      for (auto& [fan_out, value] : fan_outs_given_back) {
        auto effect = model::sysctl_effect(fan_out, value, key);
        if (effect.kind == model::SysctlEffect::Kind::sets)
          predicted = normalized(effect.value), by = fan_out;
      }
      if (predicted == original) {
        leave(*current, by.empty() || *current == original
                            ? std::string("already back at the host's value before the lab")
                            : fmt::format("giving {} back sets it back too", by));
        continue;
      }
      written_[key] = record.original;
      if (!model::sysctl_fanned_out(key, {}).empty()) fan_outs_given_back[key] = record.original;
      std::string reason =
          *current == set_value ? fmt::format("not declared: the host's value before the lab set {}", set_value)
          : !by.empty()         ? fmt::format("giving {} back sets it to {}", by, predicted)
                                : std::string("not declared: the host's value before the lab");
      ctx_.add(model::RestoreSysctl{key, record.original, record.set, Mode::restore, *current},
               model::Reason::not_declared(std::move(reason)));
    }
  }

  // A write that fans out (net.ipv4.ip_forward sets every interface's forwarding) comes first
  // in the plan (plan/ordering.cpp); the declared keys it overwrites are written after it, even
  // those whose live value is right now.
  void rewrite_what_the_writes_overwrite() {
    auto writes = written_;
    for (auto& [written, written_value] : writes)
      for (auto& [key, value] : ns_.sysctls) {
        if (skipped_.contains(key) || written_.contains(key)) continue;
        auto effect = model::sysctl_effect(written, written_value, key);
        using Kind = model::SysctlEffect::Kind;
        if (effect.kind == Kind::none) continue;
        if (effect.kind == Kind::sets && normalized(effect.value) == normalized(value)) continue;
        set(key, value, live(key),
            model::Reason::differs(
                effect.kind == Kind::sets
                    ? fmt::format("{} = {} rewrites it to {}", written, written_value, effect.value)
                    : fmt::format("{} = {} may rewrite it", written, written_value)));
      }
  }

  DiffContext& ctx_;
  const model::Namespace& ns_;
  bool host_;
  const model::ObservedNamespace* observed_;
  std::set<std::string> skipped_;               // left out: conflicts
  std::map<std::string, std::string> written_;  // key -> the value this plan writes
  std::set<std::string> remembered_;            // recorded before a fan-out rewrites them
};

}  // namespace

void diff_sysctls(DiffContext& ctx) {
  if (!ctx.namespace_foreign(ctx.desired.host.name)) NamespaceSysctls(ctx, ctx.desired.host).diff();
  for (auto& [name, ns] : ctx.desired.namespaces)
    if (!ctx.namespace_foreign(ns.name)) NamespaceSysctls(ctx, ns).diff();
}

}  // namespace nstopo::plan
