#include "parse/resolve_nat.h"

#include <map>
#include <tuple>

#include <fmt/format.h>

#include "model/sysctl_coupling.h"

namespace nstopo::parse {

namespace {

std::vector<model::Prefix> own_addresses(const model::Namespace& ns) {
  std::vector<model::Prefix> addresses;
  for (const auto& [name, itf] : ns.interfaces)
    for (const auto& a : itf.addresses)
      if (!a.address.is_link_local()) addresses.push_back(a);
  return addresses;
}

class NatResolver {
 public:
  NatResolver(model::Topology& topology, Reporter& reporter) : topology_(topology), reporter_(reporter) {}

  void namespace_nat(const NamespaceDecl& decl) {
    const NatDecl& nat = *decl.nat;
    if (decl.is_host()) {
      reporter_.error(nat.where, "'nat' belongs on a namespace, not on the host: the host's own "
                                 "traffic is not translated",
                      "declare it on the namespace whose traffic goes out, or whose address a "
                      "port forward reaches");
      return;
    }
    model::Namespace* ns = topology_.find_namespace(decl.name);
    if (!ns) return;
    auto addresses = own_addresses(*ns);
    bool ok = true;
    if (nat.nat.out && addresses.empty()) {
      reporter_.error(nat.out_where,
                      fmt::format("namespace '{}' has 'nat: {{out: true}}' but declares no address "
                                  "to masquerade",
                                  decl.name),
                      "give one of its interfaces an address");
      ok = false;
    }
    for (size_t i = 0; i < nat.nat.ports.size(); ++i) ok = check_port(decl, *ns, addresses, nat, i) && ok;
    if (!ok) return;
    ns->nat = nat.nat;
    for (const auto& a : addresses)
      if (nat.nat.out) need_forwarding(a.family(), nat.where);
    for (size_t i = 0; i < nat.nat.ports.size(); ++i) {
      const auto& p = nat.nat.ports[i];
      need_forwarding(p.to.family, nat.port_where[i]);
      if (p.to.family == model::Family::inet) need_localnet(p.to, nat.port_where[i]);
    }
  }

 private:
  bool check_port(const NamespaceDecl& decl, const model::Namespace& ns,
                  const std::vector<model::Prefix>& addresses, const NatDecl& nat, size_t i) {
    const auto& p = nat.nat.ports[i];
    auto at = nat.port_where[i];
    bool own = std::any_of(addresses.begin(), addresses.end(),
                           [&](const model::Prefix& a) { return a.address == p.to; });
    if (!own) {
      std::vector<std::string> texts;
      for (const auto& a : addresses) texts.push_back(a.address.to_string());
      reporter_.error(at,
                      fmt::format("port forward {} goes to {}, which is not an address of namespace "
                                  "'{}'",
                                  p.to_string(), p.to.to_string(), ns.name),
                      texts.empty() ? "give one of its interfaces that address"
                                    : fmt::format("its addresses: {}", fmt::join(texts, ", ")));
      return false;
    }
    auto [it, first] = host_ports_.try_emplace({p.protocol, p.host_port}, at.line);
    if (!first) {
      reporter_.error(at, fmt::format("host port {}/{} is forwarded twice (first at line {})",
                                      p.host_port, to_string(p.protocol), it->second));
      return false;
    }
    (void)decl;
    return true;
  }

  // A host sysctl NAT needs, declared for it unless the file declares it itself: with the
  // same value that is fine, with another it is a contradiction.
  void need(const std::string& key, model::SourceLocation at, const std::string& why) {
    auto& sysctls = topology_.host.sysctls;
    for (const auto& [declared, value] : sysctls) {
      if (model::sysctl_canonical(declared) != model::sysctl_canonical(key)) continue;
      if (value != "1")
        reporter_.error(at, fmt::format("{} needs host sysctl {} = 1, but the host declares {} = {}",
                                        why, key, declared, value),
                        "remove the host's setting: the lab sets it and gives the host its value "
                        "back on destroy");
      return;
    }
    sysctls.emplace(key, "1");
  }

  void need_forwarding(model::Family family, model::SourceLocation at) {
    if (family == model::Family::inet)
      need("net.ipv4.ip_forward", at, "NAT");
    else
      need("net.ipv6.conf.all.forwarding", at, "NAT");
  }

  // The host interface whose network holds the forward's address, if the lab declares one
  // (a forward to an address further away is reached without it from loopback).
  void need_localnet(const model::IpAddress& to, model::SourceLocation at) {
    for (const auto& [name, itf] : topology_.host.interfaces)
      for (const auto& a : itf.addresses)
        if (a.family() == model::Family::inet && a.contains(to) && name.find('.') == std::string::npos) {
          need(fmt::format("net.ipv4.conf.{}.route_localnet", name), at, "a port forward from the host's loopback");
          return;
        }
  }

  model::Topology& topology_;
  Reporter& reporter_;
  std::map<std::tuple<model::PortProtocol, uint16_t>, int> host_ports_;  // -> line
};

}  // namespace

void resolve_nat(const Declarations& declarations, model::Topology& topology, Reporter& reporter) {
  NatResolver resolver(topology, reporter);
  if (declarations.host.nat) resolver.namespace_nat(declarations.host);
  for (const auto& ns : declarations.namespaces)
    if (ns.nat) resolver.namespace_nat(ns);
}

}  // namespace nstopo::parse
