#include "parse/resolve.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "parse/addresses.h"
#include "parse/names.h"
#include "parse/probe_targets.h"
#include "parse/resolve_checks.h"
#include "parse/resolve_machines.h"
#include "parse/resolve_nat.h"
#include "model/suggest.h"

namespace nstopo::parse {
namespace {

// The interfaces each namespace gets from links: namespace -> interface -> the line of the
// link that names it.
using LinkedInterfaces =
    std::map<std::string, std::map<std::string, int, std::less<>>, std::less<>>;

class Resolver {
 public:
  Resolver(const Declarations& declarations, Reporter& reporter)
      : declarations_(declarations), reporter_(reporter) {
    namespace_names_.push_back(model::kHostNamespace);
    for (const auto& ns : declarations_.namespaces) namespace_names_.push_back(ns.name);
  }

  model::Topology run() {
    std::vector<const LinkDecl*> good_links;
    for (const auto& link : declarations_.links)
      if (check_link(link)) good_links.push_back(&link);
    for (const auto& end : declarations_.stray_endpoints)
      if (find_namespace(end.endpoint.ns))
        linked_[end.endpoint.ns].emplace(end.endpoint.ifname, end.where.line);

    model::Topology topology;
    topology.version = declarations_.version.value_or(1);
    topology.name = declarations_.name;
    topology.hosts = declarations_.hosts;
    topology.host = check_namespace(declarations_.host);
    for (const auto& ns : declarations_.namespaces)
      topology.namespaces.emplace(ns.name, check_namespace(ns));
    for (const LinkDecl* link : good_links) add_link(topology, *link);
    resolve_machines(declarations_, topology, reporter_);
    resolve_nat(declarations_, topology, reporter_);
    topology.checks = resolve_checks(declarations_, reporter_);
    return topology;
  }

 private:
  const NamespaceDecl* find_namespace(std::string_view name) const {
    return declarations_.find_namespace(name);
  }

  // One end of a link; false when the link cannot be made from it.
  bool check_endpoint(const EndpointDecl& end, const LinkDecl& link) {
    const auto& [ns_name, ifname] = end.endpoint;
    const NamespaceDecl* ns = find_namespace(ns_name);
    if (!ns) {
      unresolved_ifnames_.insert(ifname);
      if (declarations_.some_namespace_lost) return false;  // maybe one the refused range meant
      std::string hint = model::did_you_mean(ns_name, namespace_names_);
      if (hint.empty()) hint = "declare it under 'namespaces'";
      reporter_.error(end.where,
                      fmt::format("link endpoint '{}' names unknown namespace '{}'",
                                  end.endpoint.to_string(), ns_name),
                      hint);
      // The link probably meant an interface of this name somewhere: an entry for it must
      // not also be reported as a veth no link names.
      unresolved_ifnames_.insert(ifname);
      return false;
    }
    bool ok = true;
    if (const InterfaceDecl* iface = ns->find_interface(ifname)) {
      if (iface->kind == model::LinkKind::bridge) {
        reporter_.error(end.where,
                        fmt::format("link endpoint '{}' names a bridge; a link creates a veth "
                                    "pair",
                                    end.endpoint.to_string()),
                        fmt::format("to attach the link to the bridge, give the veth end "
                                    "'master: {}'",
                                    ifname));
        ok = false;
      }
    } else if (auto problem = interface_name_problem(ifname)) {
      // A declared interface had its name checked where it is declared.
      reporter_.error(end.where, problem->message, problem->hint);
      ok = false;
    }
    auto [first, inserted] = linked_[ns_name].emplace(ifname, link.where.line);
    if (!inserted) {
      reporter_.error(end.where, fmt::format("interface '{}' is already an end of the link at "
                                             "line {}",
                                             end.endpoint.to_string(), first->second));
      ok = false;
    }
    return ok;
  }

  // A key on a link and on one of its ends: one value, or an error at the interface's.
  bool check_link_impairment(const LinkDecl& link) {
    bool ok = true;
    if (link.impairment.empty()) return ok;
    for (const EndpointDecl* end : {&link.a, &link.b}) {
      const NamespaceDecl* ns = find_namespace(end->endpoint.ns);
      const InterfaceDecl* iface = ns ? ns->find_interface(end->endpoint.ifname) : nullptr;
      if (!iface) continue;
      for (auto& [key, where] : iface->impairment.where) {
        if (!link.impairment.where.contains(key)) continue;
        model::Impairment own = iface->impairment.value, shared = link.impairment.value;
        merge_missing(own, shared);
        merge_missing(shared, iface->impairment.value);
        if (own == shared) continue;
        reporter_.error(where,
                        fmt::format("'{}' of interface '{}' conflicts with the '{}' of its link at "
                                    "line {}",
                                    key, end->endpoint.to_string(), key, link.where.line),
                        "a link's impairment applies to both ends; set a key on the link or on "
                        "each interface, not both");
        ok = false;
      }
    }
    return ok;
  }

  // Every key `from` has that `into` has not.
  static void merge_missing(model::Impairment& into, const model::Impairment& from) {
    auto fill = [](auto& a, const auto& b) {
      if (!a) a = b;
    };
    fill(into.rate, from.rate);
    fill(into.delay, from.delay);
    fill(into.jitter, from.jitter);
    fill(into.loss, from.loss);
    fill(into.duplicate, from.duplicate);
    fill(into.corrupt, from.corrupt);
    fill(into.reorder, from.reorder);
    fill(into.limit, from.limit);
  }

  static std::optional<model::Impairment> impairment_of(const ImpairmentDecl& decl) {
    if (decl.value.empty()) return std::nullopt;
    return decl.value;
  }

  bool check_link(const LinkDecl& link) {
    bool ok = check_endpoint(link.a, link);
    if (link.a.endpoint == link.b.endpoint) {
      reporter_.error(link.b.where,
                      fmt::format("link joins '{}' to itself", link.a.endpoint.to_string()),
                      "a veth pair needs two different ends");
      return false;
    }
    ok = check_endpoint(link.b, link) && ok;
    ok = check_link_impairment(link) && ok;
    if (link.mtu) {
      for (const EndpointDecl* end : {&link.a, &link.b}) {
        const NamespaceDecl* ns = find_namespace(end->endpoint.ns);
        const InterfaceDecl* iface = ns ? ns->find_interface(end->endpoint.ifname) : nullptr;
        if (iface && iface->mtu && *iface->mtu != *link.mtu) {
          reporter_.error(
              iface->mtu_where,
              fmt::format("mtu {} of interface '{}' conflicts with mtu {} of its "
                          "link at line {}",
                          *iface->mtu, end->endpoint.to_string(), *link.mtu, link.where.line),
              "a link's mtu applies to both ends; veth ends may have different "
              "MTUs, but then set 'mtu' on each interface and none on the link");
          ok = false;
        }
      }
    }
    return ok;
  }

  // Every interface name of a namespace, declared or made by a link, for hints.
  std::vector<std::string_view> interface_names(const NamespaceDecl& ns) const {
    std::vector<std::string_view> names;
    for (const auto& iface : ns.interfaces) names.push_back(iface.name);
    if (auto it = linked_.find(ns.name); it != linked_.end())
      for (const auto& [ifname, line] : it->second)
        if (!ns.find_interface(ifname)) names.push_back(ifname);
    return names;
  }

  bool is_linked(const NamespaceDecl& ns, std::string_view ifname) const {
    auto it = linked_.find(ns.name);
    return it != linked_.end() && it->second.contains(ifname);
  }

  void check_unlinked_veth(const NamespaceDecl& ns, const InterfaceDecl& iface) {
    // A refused name was reported already: one mistake, one message.
    if (iface.kind != model::LinkKind::veth || !iface.name_ok || is_linked(ns, iface.name) ||
        declarations_.some_endpoint_unreadable || unresolved_ifnames_.contains(iface.name))
      return;
    // A link naming a near spelling of this interface is the likely mistake.
    std::vector<std::string_view> undeclared_ends;
    if (auto it = linked_.find(ns.name); it != linked_.end())
      for (const auto& [ifname, line] : it->second)
        if (!ns.find_interface(ifname)) undeclared_ends.push_back(ifname);
    std::string hint;
    if (auto matches = model::closest_matches(iface.name, undeclared_ends); !matches.empty())
      hint = fmt::format("a link names '{}:{}'; did you mean that?", ns.name, matches.front());
    if (ns.is_host()) {
      if (hint.empty())
        hint = fmt::format("to create it, name 'host:{}' in a link or give it 'kind: bridge'",
                           iface.name);
      reporter_.error(iface.where,
                      fmt::format("nstopo only manages interfaces it creates; '{}' is not a "
                                  "link end or a bridge",
                                  iface.name),
                      hint);
      return;
    }
    if (hint.empty())
      hint = fmt::format("add a link with endpoint '{}:{}', or give it 'kind: bridge'", ns.name,
                         iface.name);
    reporter_.error(
        iface.where,
        fmt::format("interface '{}' in '{}' is a veth but no link names it", iface.name, ns.name),
        hint);
  }

  void check_master(const NamespaceDecl& ns, const InterfaceDecl& iface) {
    if (!iface.master) return;
    const std::string& master = *iface.master;
    if (iface.kind == model::LinkKind::bridge) {
      reporter_.error(iface.master_where,
                      fmt::format("bridge '{}' cannot have a master: Linux does not put a bridge "
                                  "into a bridge",
                                  iface.name));
      return;
    }
    const InterfaceDecl* target = ns.find_interface(master);
    if (target && target->kind == model::LinkKind::bridge) return;
    if (target || is_linked(ns, master)) {
      reporter_.error(iface.master_where,
                      fmt::format("master '{}' of interface '{}:{}' is a veth, not a bridge",
                                  master, ns.name, iface.name),
                      target ? fmt::format("declare it with 'kind: bridge' if it should be one")
                             : std::string());
      return;
    }
    std::vector<std::string_view> bridges;
    for (const auto& candidate : ns.interfaces)
      if (candidate.kind == model::LinkKind::bridge) bridges.push_back(candidate.name);
    std::string hint = model::did_you_mean(master, bridges);
    if (hint.empty())
      hint = fmt::format("declare it in {} with 'kind: bridge'", namespace_label(ns));
    reporter_.error(iface.master_where,
                    fmt::format("master '{}' of interface '{}:{}' is not an interface of {}",
                                master, ns.name, iface.name, namespace_label(ns)),
                    hint);
  }

  void check_addresses(const NamespaceDecl& ns) {
    struct FirstUse {
      const std::string* ifname;
      int line;
    };
    std::map<model::IpAddress, FirstUse> assigned;
    for (const auto& iface : ns.interfaces) {
      for (const auto& address : iface.addresses) {
        auto [first, inserted] =
            assigned.emplace(address.prefix.address, FirstUse{&iface.name, address.where.line});
        if (inserted) continue;
        reporter_.error(address.where,
                        fmt::format("address {} is assigned twice in {} (first to '{}' at line "
                                    "{})",
                                    address.prefix.address.to_string(), namespace_label(ns),
                                    *first->second.ifname, first->second.line));
      }
    }
  }

  void check_route(const NamespaceDecl& ns, const RouteDecl& decl,
                   std::map<std::pair<model::Prefix, uint32_t>, int>& seen) {
    const model::Route& route = decl.route;
    auto label = namespace_label(ns);
    if (route.dev && !ns.find_interface(*route.dev) && !is_linked(ns, *route.dev)) {
      reporter_.error(decl.dev_where,
                      fmt::format("route device '{}' is not an interface of {}", *route.dev, label),
                      model::did_you_mean(*route.dev, interface_names(ns)));
    }
    if (route.via) check_gateway(ns, decl, label);
    std::string destination = route.to.is_default() ? std::string("default") : route.to.to_string();
    auto [first, inserted] =
        seen.emplace(std::pair(route.to, route.metric.value_or(0)), route.where.line);
    if (!inserted)
      reporter_.error(route.where,
                      fmt::format("route to {} is declared twice in {} with the same metric "
                                  "(first at line {})",
                                  destination, label, first->second));
  }

  void check_gateway(const NamespaceDecl& ns, const RouteDecl& decl, const std::string& label) {
    const model::IpAddress& via = *decl.route.via;
    for (const auto& iface : ns.interfaces)
      for (const auto& address : iface.addresses)
        if (address.prefix.address == via) {
          reporter_.error(decl.via_where,
                          fmt::format("gateway {} is an address of {} itself ('{}')",
                                      via.to_string(), label, iface.name),
                          "the gateway is the next router, another host on the subnet");
          return;
        }
    if (decl.route.dev || ns.some_address_refused) return;
    if (via.family == model::Family::inet6 && via.is_link_local()) {
      reporter_.error(decl.via_where,
                      fmt::format("gateway {} is link-local; give 'dev' to say which interface "
                                  "reaches it",
                                  via.to_string()));
      return;
    }
    for (const auto& iface : ns.interfaces)
      for (const auto& address : iface.addresses)
        if (address.prefix.contains(via)) return;
    reporter_.error(
        decl.via_where,
        fmt::format("gateway {} is not in the subnet of any address in {}", via.to_string(), label),
        "add an address in its subnet to one of the interfaces, or give 'dev'");
  }

  model::Namespace check_namespace(const NamespaceDecl& ns) {
    model::Namespace out{
        .name = ns.name, .sysctls = ns.sysctls, .services = ns.services, .dns = ns.dns,
        .where = ns.where};
    for (const auto& iface : ns.interfaces) {
      check_unlinked_veth(ns, iface);
      check_master(ns, iface);
      std::vector<model::Prefix> addresses;
      for (const auto& address : iface.addresses) addresses.push_back(address.prefix);
      out.interfaces.emplace(iface.name, model::Interface{.name = iface.name,
                                                          .kind = iface.kind,
                                                          .addresses = std::move(addresses),
                                                          .mtu = iface.mtu,
                                                          .mac = iface.mac,
                                                          .up = iface.up,
                                                          .master = iface.master,
                                                          .peer = std::nullopt,
                                                          .impairment = impairment_of(iface.impairment),
                                                          .machine = iface.machine,
                                                          .where = iface.where});
    }
    check_addresses(ns);
    resolve_probe_targets(ns, out.services, reporter_);
    std::map<std::pair<model::Prefix, uint32_t>, int> seen_routes;
    for (const auto& route : ns.routes) {
      if (!route.complete) continue;
      check_route(ns, route, seen_routes);
      out.routes.push_back(route.route);
    }
    return out;
  }

  static void attach_end(model::Topology& topology, const EndpointDecl& end,
                         const EndpointDecl& other, const LinkDecl& link) {
    model::Namespace* ns = topology.find_namespace(end.endpoint.ns);
    if (!ns) return;
    auto [it, created] = ns->interfaces.try_emplace(end.endpoint.ifname);
    model::Interface& iface = it->second;
    if (created) {
      iface.name = end.endpoint.ifname;
      iface.where = end.where;
    }
    iface.peer = other.endpoint;
    if (!iface.mtu) iface.mtu = link.mtu;
    if (auto shared = impairment_of(link.impairment)) {
      model::Impairment merged = iface.impairment.value_or(model::Impairment{});
      merge_missing(merged, *shared);
      iface.impairment = merged;
    }
  }

  static void add_link(model::Topology& topology, const LinkDecl& link) {
    attach_end(topology, link.a, link.b, link);
    attach_end(topology, link.b, link.a, link);
    topology.links.push_back(model::Link{link.a.endpoint, link.b.endpoint, link.mtu,
                                         impairment_of(link.impairment), std::nullopt, link.where});
  }

  const Declarations& declarations_;
  Reporter& reporter_;
  std::vector<std::string_view> namespace_names_;
  LinkedInterfaces linked_;
  std::set<std::string, std::less<>> unresolved_ifnames_;  // of endpoints in unknown namespaces
};

}  // namespace

model::Topology resolve(const Declarations& declarations, Reporter& reporter) {
  return Resolver(declarations, reporter).run();
}

}  // namespace nstopo::parse
