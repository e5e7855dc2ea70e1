#include "parse/resolve_checks.h"

#include "model/overloaded.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/suggest.h"

namespace nstopo::parse {
namespace {

class CheckResolver {
 public:
  CheckResolver(const Declarations& declarations, Reporter& reporter)
      : declarations_(declarations), reporter_(reporter) {
    namespace_names_.push_back(model::kHostNamespace);
    for (const auto& ns : declarations_.namespaces) namespace_names_.push_back(ns.name);
    for (const auto& link : declarations_.links)
      for (const auto* end : {&link.a, &link.b}) linked_[end->endpoint.ns].insert(end->endpoint.ifname);
    for (const auto& end : declarations_.stray_endpoints)
      linked_[end.endpoint.ns].insert(end.endpoint.ifname);
  }

  std::vector<model::Check> run() {
    std::vector<model::Check> checks;
    std::map<std::string, int, std::less<>> given;  // name -> line
    for (const auto& decl : declarations_.checks) {
      if (!decl.named) continue;
      auto [first, inserted] = given.emplace(decl.check.name, decl.name_where.line);
      if (!inserted)
        reporter_.error(decl.name_where,
                        fmt::format("check name '{}' is given twice (first at line {})",
                                    decl.check.name, first->second),
                        "names pick checks for --only and name them in reports: make them unique");
    }
    std::set<std::string, std::less<>> taken;
    for (const auto& [name, line] : given) taken.insert(name);
    for (const auto& decl : declarations_.checks) {
      model::Check check = decl.check;
      if (!resolve(decl, check)) continue;
      if (!decl.named) check.name = unique_name(model::derived_check_name(check.probe), taken);
      checks.push_back(std::move(check));
    }
    return checks;
  }

 private:
  static std::string unique_name(const std::string& base, std::set<std::string, std::less<>>& taken) {
    std::string name = base;
    for (int n = 2; taken.contains(name); ++n) name = fmt::format("{}-{}", base, n);
    taken.insert(name);
    return name;
  }

  std::vector<std::string_view> interface_names(const NamespaceDecl& ns) const {
    std::vector<std::string_view> names;
    for (const auto& iface : ns.interfaces) names.push_back(iface.name);
    if (auto it = linked_.find(ns.name); it != linked_.end())
      for (const auto& ifname : it->second)
        if (!ns.find_interface(ifname)) names.push_back(ifname);
    return names;
  }

  bool has_interface(const NamespaceDecl& ns, std::string_view ifname) const {
    auto names = interface_names(ns);
    return std::find(names.begin(), names.end(), ifname) != names.end();
  }

  const NamespaceDecl* find_namespace(const std::string& name, model::SourceLocation at,
                                      std::string_view what) {
    if (const NamespaceDecl* ns = declarations_.find_namespace(name)) return ns;
    std::string hint = model::did_you_mean(name, namespace_names_);
    if (hint.empty()) hint = "declare it under 'namespaces', or write 'host'";
    reporter_.error(at, fmt::format("{} names unknown namespace '{}'", what, name), hint);
    return nullptr;
  }

  // Unknown interface of a known namespace; false when reported.
  bool check_interface(const NamespaceDecl& ns, const std::string& ifname,
                       model::SourceLocation at, std::string_view what) {
    if (has_interface(ns, ifname)) return true;
    auto names = interface_names(ns);
    std::string hint = model::did_you_mean(ifname, names);
    if (hint.empty())
      hint = names.empty() ? fmt::format("{} declares no interface", namespace_label(ns))
                           : fmt::format("its interfaces: {}", fmt::join(names, ", "));
    reporter_.error(at, fmt::format("{} names interface '{}', which {} does not have", what,
                                    ifname, namespace_label(ns)),
                    hint);
    return false;
  }

  bool resolve(const CheckDecl& decl, model::Check& check) {
    std::string what = fmt::format("the {} check at line {}", check.kind(), decl.where.line);
    bool ok = find_namespace(check.ns(), decl.ns_where, what) != nullptr;
    if (auto* ping = std::get_if<model::PingCheck>(&check.probe); ping && decl.ping_endpoint)
      ok = resolve_ping_target(decl, *ping, what) && ok;
    if (decl.to_node) ok = resolve_node_target(decl, check, what) && ok;
    if (auto* route = std::get_if<model::RouteCheck>(&check.probe); route && route->dev && ok) {
      const NamespaceDecl* ns = declarations_.find_namespace(route->in);
      // The host has interfaces nstopo does not declare (eth0); every namespace has lo.
      if (!ns->is_host() && *route->dev != "lo" &&
          !check_interface(*ns, *route->dev, decl.dev_where, what))
        ok = false;
    }
    return ok;
  }

  // A node named instead of an address: its first declared address that is not link-local,
  // interfaces by name, the line its name has first in the lab's hosts files
  // (model/name_files.h). Decided here, so a check hits the same address whether or not the
  // lab writes hosts files, and nstopo itself never resolves a name at run time.
  bool resolve_node_target(const CheckDecl& decl, model::Check& check, const std::string& what) {
    const NamespaceDecl* ns = find_namespace(*decl.to_node, decl.to_where, what + "'s target");
    if (!ns) return false;
    const InterfaceDecl* first = nullptr;
    std::optional<model::IpAddress> address;
    for (const auto& iface : ns->interfaces) {
      if (first && iface.name > first->name) continue;
      for (const auto& a : iface.addresses)
        if (!a.prefix.address.is_link_local()) {
          first = &iface;
          address = a.prefix.address;
          break;
        }
    }
    if (!address) {
      reporter_.error(decl.to_where,
                      fmt::format("{} names node '{}', which declares no address", what,
                                  *decl.to_node),
                      "give an address, or add one to one of its interfaces");
      return false;
    }
    std::visit(model::overloaded{
                   [&](model::PingCheck& p) { p.targets = {*address}; },
                   [&](model::TcpCheck& t) { t.to = *address; },
                   [&](model::HttpCheck& h) { h.host = *address; },
                   [](auto&) {},
               },
               check.probe);
    return true;
  }

  bool resolve_ping_target(const CheckDecl& decl, model::PingCheck& ping, const std::string& what) {
    const auto& [ns_name, ifname] = *decl.ping_endpoint;
    const NamespaceDecl* ns = find_namespace(ns_name, decl.to_where, what + "'s target");
    if (!ns) return false;
    if (!check_interface(*ns, ifname, decl.to_where, what)) return false;
    const InterfaceDecl* iface = ns->find_interface(ifname);
    if (iface)
      for (const auto& address : iface->addresses)
        if (!address.prefix.address.is_link_local()) ping.targets.push_back(address.prefix.address);
    if (ping.targets.empty()) {
      reporter_.error(decl.to_where,
                      fmt::format("{} pings '{}', which declares no address to ping", what,
                                  ping.to_text),
                      "give an address in 'to', or add one to the interface");
      return false;
    }
    return true;
  }

  const Declarations& declarations_;
  Reporter& reporter_;
  std::vector<std::string_view> namespace_names_;
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> linked_;
};

}  // namespace

std::vector<model::Check> resolve_checks(const Declarations& declarations, Reporter& reporter) {
  return CheckResolver(declarations, reporter).run();
}

}  // namespace nstopo::parse
