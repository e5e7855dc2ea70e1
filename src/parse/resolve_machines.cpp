#include "parse/resolve_machines.h"

#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/machines.h"
#include "model/suggest.h"

namespace nstopo::parse {
namespace {

std::string family_text(model::Family family) { return family == model::Family::inet ? "IPv4" : "IPv6"; }

class MachineResolver {
 public:
  MachineResolver(const Declarations& declarations, model::Topology& topology, Reporter& reporter)
      : declarations_(declarations), topology_(topology), reporter_(reporter) {}

  void run() {
    if (declarations_.machines.empty()) {
      refuse_placements_without_machines();
      return;
    }
    add_machines();
    place_namespaces();
    for (const auto& decl : declarations_.links) resolve_link(decl);
    check_spanning_bridges();
    check_vni_clashes();
  }

 private:
  void refuse_placements_without_machines() {
    for (const auto& ns : declarations_.namespaces)
      if (ns.on && !declarations_.refused_machines.contains(*ns.on))
        reporter_.error(ns.on_where,
                        fmt::format("namespace '{}' is placed on machine '{}', but the file "
                                    "declares no machines",
                                    ns.name, *ns.on),
                        "declare them in a top-level 'hosts:' map, e.g. 'hosts: {m1: {address: "
                        "192.0.2.1}}'");
    for (const auto& link : declarations_.links)
      if (link.vni)
        reporter_.error(link.vni_where, "'vni' is for a link between machines, and the file "
                                        "declares no machines ('hosts:')");
  }

  void add_machines() {
    std::map<model::IpAddress, const MachineDecl*> by_address;
    for (const auto& decl : declarations_.machines) {
      auto [first, inserted] = by_address.emplace(decl.machine.address, &decl);
      if (!inserted)
        reporter_.error(decl.address_where,
                        fmt::format("underlay address {} of machine '{}' is also the address of "
                                    "machine '{}' (line {})",
                                    decl.machine.address.to_string(), decl.machine.name,
                                    first->second->machine.name, first->second->address_where.line),
                        "each machine is reached at its own address");
      topology_.machines.push_back(decl.machine);
    }
  }

  void place_namespaces() {
    std::vector<std::string_view> names;
    for (auto& machine : topology_.machines) names.push_back(machine.name);
    for (const auto& decl : declarations_.namespaces) {
      auto it = topology_.namespaces.find(decl.name);
      if (it == topology_.namespaces.end()) continue;
      if (!decl.on) {
        it->second.on = topology_.machines.front().name;
        continue;
      }
      if (!topology_.find_machine(*decl.on)) {
        it->second.on = topology_.machines.front().name;  // no second message for its links
        if (declarations_.refused_machines.contains(*decl.on)) continue;  // reported there
        std::string hint = model::did_you_mean(*decl.on, names);
        if (hint.empty()) hint = fmt::format("the machines are: {}", fmt::join(names, ", "));
        reporter_.error(decl.on_where,
                        fmt::format("namespace '{}' is placed on unknown machine '{}'", decl.name,
                                    *decl.on),
                        hint);
        continue;
      }
      it->second.on = *decl.on;
    }
  }

  model::Link* link_of(const LinkDecl& decl) {
    for (auto& link : topology_.links)
      if (link.a == decl.a.endpoint && link.b == decl.b.endpoint) return &link;
    return nullptr;
  }

  const InterfaceDecl* interface_decl(const model::Endpoint& end) const {
    const NamespaceDecl* ns = declarations_.find_namespace(end.ns);
    return ns ? ns->find_interface(end.ifname) : nullptr;
  }

  void resolve_link(const LinkDecl& decl) {
    model::Link* link = link_of(decl);
    if (!link) return;  // refused, already reported
    auto a = model::machine_of(topology_, link->a, link->b);
    auto b = model::machine_of(topology_, link->b, link->a);
    if (a.empty() || b.empty() || a == b) {
      if (decl.vni)
        reporter_.error(decl.vni_where,
                        fmt::format("link {} <-> {} has a 'vni', but both ends are on machine "
                                    "'{}'",
                                    link->a.to_string(), link->b.to_string(), a.empty() ? b : a),
                        "a vni is for a link between machines; remove it");
      return;
    }
    // A machine refused where it is declared (its address, say) still names its interfaces:
    // reported once, there.
    const model::Machine* found_a = topology_.find_machine(a);
    const model::Machine* found_b = topology_.find_machine(b);
    if (!found_a || !found_b) return;
    const model::Machine& ma = *found_a;
    const model::Machine& mb = *found_b;
    std::string what = fmt::format("link {} <-> {}", link->a.to_string(), link->b.to_string());
    if (ma.address.family != mb.address.family) {
      reporter_.error(decl.where,
                      fmt::format("{} joins machine '{}' ({} underlay) to '{}' ({}); a tunnel "
                                  "needs one address family at both ends",
                                  what, a, family_text(ma.address.family), b,
                                  family_text(mb.address.family)));
      return;
    }
    if (ma.vxlan_port != mb.vxlan_port) {
      reporter_.error(decl.where,
                      fmt::format("{} joins machine '{}' (VXLAN port {}) to '{}' (port {}); a "
                                  "tunnel's two ends use one port",
                                  what, a, ma.vxlan_port, b, mb.vxlan_port),
                      "give both machines the same 'port'");
      return;
    }
    link->vni = decl.vni.value_or(model::derived_vni(topology_.name, model::link_vni_key(*link)));
    uint32_t fits = model::tunnel_mtu(ma, mb);
    auto too_big = [&](uint32_t mtu, SourceLocation where, std::string subject) {
      if (mtu <= fits) return;
      reporter_.error(where,
                      fmt::format("mtu {} of {} does not fit the tunnel between '{}' and '{}': "
                                  "VXLAN over {} takes {} bytes of the underlay's {}, leaving {}",
                                  mtu, subject, a, b, family_text(ma.address.family),
                                  model::vxlan_overhead(ma.address.family),
                                  std::min(ma.mtu, mb.mtu), fits),
                      fmt::format("declare 'mtu: {}' or less, or raise the machines' 'mtu' (the "
                                  "underlay's)",
                                  fits));
    };
    if (decl.mtu) too_big(*decl.mtu, decl.mtu_where, what);
    for (const auto* end : {&link->a, &link->b})
      if (const InterfaceDecl* iface = interface_decl(*end); iface && iface->mtu && !decl.mtu)
        too_big(*iface->mtu, iface->mtu_where, "interface '" + end->to_string() + "'");
  }

  // A bridge of the shared host section is one segment across every machine: its ports' MTU
  // must fit the tunnels, its generated tunnel ports must not clash with declared names, and
  // it cannot hold an address (every machine's host would claim it on one segment).
  void check_spanning_bridges() {
    if (topology_.machines.size() < 2) return;
    uint32_t fits = model::spanning_mtu(topology_);
    for (const auto& iface : declarations_.host.interfaces) {
      auto it = topology_.host.interfaces.find(iface.name);
      if (it == topology_.host.interfaces.end() || !model::spans_machines(topology_, it->second))
        continue;
      if (!iface.addresses.empty())
        reporter_.error(iface.addresses.front().where,
                        fmt::format("bridge '{}' spans every machine (it is in the shared 'host' "
                                    "section), so each machine's host would hold address {} on "
                                    "one segment",
                                    iface.name, iface.addresses.front().prefix.to_string()),
                        "give the address to a namespace on the bridge, or declare the bridge "
                        "for one machine under 'hosts.NAME.interfaces'");
      if (iface.mtu && *iface.mtu > fits)
        reporter_.error(iface.mtu_where,
                        fmt::format("mtu {} of bridge '{}' does not fit the tunnels that join "
                                    "it across machines: at most {}",
                                    *iface.mtu, iface.name, fits));
      for (const auto& port : declarations_.host.interfaces)
        if (port.master == iface.name && port.mtu && *port.mtu > fits)
          reporter_.error(port.mtu_where,
                          fmt::format("mtu {} of '{}' (a port of bridge '{}', which spans "
                                      "machines) does not fit its tunnels: at most {}",
                                      *port.mtu, port.name, iface.name, fits));
      for (const auto& machine : topology_.machines) {
        std::string port = model::tunnel_port_name(iface.name, machine.name);
        if (const InterfaceDecl* clash = declarations_.host.find_interface(port))
          reporter_.error(clash->where,
                          fmt::format("host interface '{}' has the name of the tunnel of bridge "
                                      "'{}' to machine '{}'",
                                      port, iface.name, machine.name),
                          "rename it");
      }
    }
  }

  // The kernel takes one VXLAN device per VNI and port in a namespace: two tunnels that meet
  // on a machine need two VNIs.
  void check_vni_clashes() {
    std::map<std::tuple<std::string, uint16_t, uint32_t>, const model::Tunnel*> used;
    auto all = model::tunnels(topology_);
    for (const auto& tunnel : all)
      for (const auto* machine_name : {&tunnel.left, &tunnel.right}) {
        const model::Machine* machine = topology_.find_machine(*machine_name);
        if (!machine) continue;  // refused where it is declared
        auto [first, inserted] =
            used.emplace(std::tuple(*machine_name, machine->vxlan_port, tunnel.vni), &tunnel);
        if (inserted || first->second == &tunnel) continue;
        reporter_.error(tunnel.where,
                        fmt::format("VNI {} of {} is also the VNI of {} (line {}) on machine '{}'",
                                    tunnel.vni, tunnel.describe(), first->second->describe(),
                                    first->second->where.line, *machine_name),
                        tunnel.link ? "give this link another 'vni:'"
                                    : "give the other link another 'vni:'");
        break;
      }
  }

  const Declarations& declarations_;
  model::Topology& topology_;
  Reporter& reporter_;
};

}  // namespace

void resolve_machines(const Declarations& declarations, model::Topology& topology,
                      Reporter& reporter) {
  MachineResolver(declarations, topology, reporter).run();
}

}  // namespace nstopo::parse
