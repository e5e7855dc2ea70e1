#include "plan/preflight.h"

#include <map>

#include "model/address_ops.h"
#include "model/sysctl_coupling.h"
#include "model/suggest.h"

namespace nstopo::plan {

namespace {

constexpr uint8_t kScopeLink = 253;  // RT_SCOPE_LINK: fe80::/10, 169.254/16 on their link
constexpr uint8_t kScopeHost = 254;  // RT_SCOPE_HOST: 127.0.0.1 on lo, of that namespace alone

// "seed.yaml:12:7: " when the model knows where the object was declared.
std::string position(const model::Topology& desired, model::SourceLocation where) {
  if (where.line <= 0) return desired.file.empty() ? "" : desired.file + ": ";
  return fmt::format("{}:{}:{}: ", desired.file.empty() ? "<input>" : desired.file, where.line,
                     where.column);
}

std::vector<const model::Namespace*> declared_namespaces(const model::Topology& desired) {
  std::vector<const model::Namespace*> all{&desired.host};
  for (const auto& [name, ns] : desired.namespaces) all.push_back(&ns);
  return all;
}

// Whose kernel answers for `ns`: its own once it exists, else the host's (it is made in this
// run, by this kernel).
const model::ObservedNamespace& facts_of(const model::ObservedState& observed, const std::string& ns) {
  if (ns == model::kHostNamespace) return observed.host;
  const auto* found = observed.find_namespace(ns);
  return found && found->exists ? *found : observed.host;
}

void check_sysctls(const model::Topology& desired, const model::ObservedState& observed,
                   const model::Namespace& ns, std::vector<Finding>& out) {
  const auto& facts = facts_of(observed, ns.name);
  for (const auto& [key, value] : ns.sysctls) {
    std::string probe = sysctl_probe_key(ns, key);
    auto absent = facts.absent_sysctls.find(probe);
    if (absent == facts.absent_sysctls.end()) continue;
    std::vector<std::string_view> candidates(absent->second.begin(), absent->second.end());
    auto matches = model::closest_matches(probe, candidates);
    // A template's neighbours are named back after the declared interface.
    std::vector<std::string> named;
    auto device = model::sysctl_interface(key);
    for (auto match : matches) {
      auto renamed = probe != key && device ? model::sysctl_with_device(match, *device) : std::nullopt;
      named.push_back(renamed ? *renamed : std::string(match));
    }
    std::vector<std::string_view> shown(named.begin(), named.end());
    auto hint = model::did_you_mean(shown);
    std::string label = ns.is_host() ? "the host" : "namespace " + ns.name;
    out.push_back({.severity = Finding::Severity::error,
                   .key = {model::ObjectKind::sysctl, ns.name, key},
                   .message = fmt::format("{}sysctl '{}' of {} does not exist in this kernel{}{}{}",
                                          position(desired, ns.where), key, label,
                                          probe != key ? fmt::format(" (checked as '{}')", probe) : "",
                                          hint.empty() ? "" : "; ", hint)});
  }
}

void check_commands(const model::Topology& desired, const model::ObservedState& observed,
                    const model::Namespace& ns, std::vector<Finding>& out) {
  for (const auto& [name, service] : ns.services) {
    if (service.command.empty()) continue;
    auto path = service.env.find("PATH");
    model::CommandLookup lookup{service.command.front(),
                                path != service.env.end() ? std::optional(path->second) : std::nullopt};
    auto found = observed.commands.find(lookup);
    if (found == observed.commands.end() || found->second.state == model::CommandFound::State::found)
      continue;
    const auto& f = found->second;
    std::string what =
        f.state == model::CommandFound::State::not_executable
            ? fmt::format("'{}' is not an executable file", f.file)
        : f.searched.empty() ? "no such file"
                             : fmt::format("not found on PATH {}", f.searched);
    out.push_back({.severity = Finding::Severity::error,
                   .key = {model::ObjectKind::service, ns.name, name},
                   .message = fmt::format("{}service {}/{}: command '{}': {}",
                                          position(desired, service.where), ns.name, name,
                                          lookup.command, what)});
  }
}

}  // namespace

std::string sysctl_probe_key(const model::Namespace& ns, const std::string& key) {
  auto device = model::sysctl_interface(key);
  if (device && ns.interfaces.contains(*device))
    if (auto template_key = model::sysctl_with_device(key, "default")) return *template_key;
  return key;
}

void add_preflight_lookups(const model::Namespace& ns, model::ObserveRequest& request) {
  for (const auto& [key, value] : ns.sysctls) {
    auto probe = sysctl_probe_key(ns, key);
    request.sysctl_probes[ns.name].insert(probe);
    request.sysctl_probes[std::string(model::kHostNamespace)].insert(probe);
  }
  for (const auto& [name, service] : ns.services) {
    if (service.command.empty()) continue;
    auto path = service.env.find("PATH");
    request.commands.insert({service.command.front(),
                             path != service.env.end() ? std::optional(path->second) : std::nullopt});
  }
}

std::vector<Finding> host_address_clashes(const model::Topology& desired,
                                          const model::ObservedState& observed) {
  // The host's interfaces that are not the lab's: not marked as its own, not left unmarked by
  // one of its runs, and not declared (a declared one that is not the lab's is a conflict).
  auto owner = model::link_owner_alias(desired.name);
  std::set<std::string> foreign;
  for (const auto& link : observed.host.links)
    if (link.alias != owner && !observed.pending_links.contains("host:" + link.name) &&
        !desired.host.interfaces.contains(link.name))
      foreign.insert(link.name);
  std::map<model::IpAddress, std::vector<std::string>> used;  // address -> foreign interfaces
  for (const auto& address : observed.host.addresses)
    if (address.scope != kScopeLink && address.scope != kScopeHost && foreign.contains(address.dev))
      used[address.prefix.address].push_back(address.dev);

  std::vector<Finding> out;
  if (used.empty()) return out;
  for (const auto* ns : declared_namespaces(desired))
    for (const auto& [ifname, itf] : ns->interfaces)
      for (const auto& prefix : itf.addresses) {
        auto clash = used.find(prefix.address);
        if (clash == used.end()) continue;
        std::string devices;
        for (const auto& dev : clash->second) devices += (devices.empty() ? "" : ", ") + dev;
        out.push_back(
            {.severity = Finding::Severity::warning,
             .key = model::AddAddress{ns->name, ifname, prefix}.object_key(),
             .message = fmt::format(
                 "{}address {} declared on {}:{} is already used on the host by {} (not lab "
                 "{}'s): traffic for it may go to either",
                 position(desired, itf.where), prefix.address, ns->name, ifname,
                 clash->second.size() == 1 ? "interface " + devices : "interfaces " + devices,
                 desired.name)});
      }
  return out;
}

std::vector<Finding> preflight(const model::Topology& desired, const model::ObservedState& observed) {
  auto out = host_address_clashes(desired, observed);
  for (const auto* ns : declared_namespaces(desired)) {
    check_sysctls(desired, observed, *ns, out);
    check_commands(desired, observed, *ns, out);
  }
  return out;
}

}  // namespace nstopo::plan
