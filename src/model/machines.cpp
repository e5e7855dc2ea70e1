#include "model/machines.h"

#include <algorithm>

#include <fmt/format.h>

namespace nstopo::model {

namespace {

uint32_t fnv1a(std::string_view text, uint32_t h = 2166136261u) {
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

bool here(const std::string& machine, std::string_view me) { return machine.empty() || machine == me; }

const Machine& machine_named(const Topology& topology, std::string_view name) {
  return *topology.find_machine(name);  // the parser checked every name
}

}  // namespace

uint32_t vxlan_overhead(Family underlay) { return underlay == Family::inet6 ? 70 : 50; }

uint32_t tunnel_mtu(const Machine& a, const Machine& b) {
  return std::min(a.mtu, b.mtu) - vxlan_overhead(a.address.family);
}

uint32_t spanning_mtu(const Topology& topology) {
  uint32_t mtu = UINT32_MAX;
  for (auto& a : topology.machines)
    for (auto& b : topology.machines)
      if (&a != &b) mtu = std::min(mtu, tunnel_mtu(a, b));
  return mtu;
}

uint32_t derived_vni(std::string_view lab, std::string_view key) {
  uint32_t h = fnv1a(key, fnv1a("\0", fnv1a(lab)));
  uint32_t vni = h % kMaxVni;  // 0..kMaxVni-1
  return vni + 1;
}

std::string link_vni_key(const Link& link) {
  auto [first, second] = std::minmax(link.a, link.b);
  return "link:" + first.to_string() + "|" + second.to_string();
}

std::string machine_of(const Topology& topology, const Endpoint& end, const Endpoint& other) {
  if (topology.machines.empty()) return "";
  if (end.ns != kHostNamespace) {
    const Namespace* ns = topology.find_namespace(end.ns);
    return ns ? ns->on : "";
  }
  if (auto it = topology.host.interfaces.find(end.ifname);
      it != topology.host.interfaces.end() && !it->second.machine.empty())
    return it->second.machine;
  if (other.ns == kHostNamespace) {
    auto it = topology.host.interfaces.find(other.ifname);
    return it != topology.host.interfaces.end() ? it->second.machine : "";
  }
  return machine_of(topology, other, end);
}

bool spans_machines(const Topology& topology, const Interface& itf) {
  return topology.machines.size() >= 2 && itf.kind == LinkKind::bridge && itf.machine.empty();
}

std::string Tunnel::describe() const {
  if (link) return fmt::format("link {} <-> {}", link->a.to_string(), link->b.to_string());
  return fmt::format("bridge {} between {} and {}", bridge, left, right);
}

std::vector<Tunnel> tunnels(const Topology& topology) {
  std::vector<Tunnel> all;
  for (auto& link : topology.links) {
    auto a = machine_of(topology, link.a, link.b), b = machine_of(topology, link.b, link.a);
    if (a.empty() || b.empty() || a == b) continue;
    all.push_back({a, b, link.vni.value_or(derived_vni(topology.name, link_vni_key(link))), &link,
                   "", link.where});
  }
  for (auto& [name, itf] : topology.host.interfaces) {
    if (!spans_machines(topology, itf)) continue;
    for (size_t i = 0; i < topology.machines.size(); ++i)
      for (size_t j = i + 1; j < topology.machines.size(); ++j) {
        auto [left, right] = std::minmax(topology.machines[i].name, topology.machines[j].name);
        all.push_back({left, right,
                       derived_vni(topology.name, fmt::format("bridge:{}|{}|{}", name, left, right)),
                       nullptr, name, itf.where});
      }
  }
  return all;
}

MacAddress tunnel_mac(std::string_view lab, std::string_view machine, const Endpoint& end) {
  uint32_t low = fnv1a(end.to_string(), fnv1a("|", fnv1a(machine, fnv1a("|", fnv1a(lab)))));
  uint32_t high = fnv1a("mac", low);
  MacAddress mac;
  mac.bytes = {0x02, static_cast<uint8_t>(high >> 8), static_cast<uint8_t>(low >> 24),
               static_cast<uint8_t>(low >> 16), static_cast<uint8_t>(low >> 8),
               static_cast<uint8_t>(low)};
  return mac;
}

std::string tunnel_port_name(std::string_view bridge, std::string_view remote) {
  std::string readable = fmt::format("{}-{}", bridge, remote);
  if (readable.size() <= 15) return readable;
  return fmt::format("vx{:08x}", fnv1a(remote, fnv1a("|", fnv1a(bridge))));
}

Topology share(const Topology& whole, std::string_view me) {
  if (whole.machines.empty()) return whole;
  Topology out;
  out.version = whole.version;
  out.name = whole.name;
  out.file = whole.file;
  out.hosts = whole.hosts;
  out.machines = whole.machines;
  out.here = std::string(me);
  const Machine& self = machine_named(whole, me);

  out.host = whole.host;
  out.host.interfaces.clear();
  for (auto& [name, itf] : whole.host.interfaces)
    if (!itf.peer && here(itf.machine, me)) out.host.interfaces.emplace(name, itf);
  for (auto& [name, ns] : whole.namespaces)
    if (ns.on == me) out.namespaces.emplace(name, ns);

  uint32_t span_mtu = spanning_mtu(whole);
  auto port_of_spanning_bridge = [&](const Endpoint& end) {
    if (end.ns != kHostNamespace) return false;
    auto& itf = whole.host.interfaces.at(end.ifname);
    if (!itf.master) return false;
    auto bridge = whole.host.interfaces.find(*itf.master);
    return bridge != whole.host.interfaces.end() && spans_machines(whole, bridge->second);
  };
  auto place = [&](const Endpoint& end) -> Interface& {
    const Interface& declared = whole.find_namespace(end.ns)->interfaces.at(end.ifname);
    return out.find_namespace(end.ns)->interfaces.insert_or_assign(end.ifname, declared).first->second;
  };

  for (auto& link : whole.links) {
    auto ma = machine_of(whole, link.a, link.b), mb = machine_of(whole, link.b, link.a);
    bool a_here = here(ma, me), b_here = here(mb, me);
    if (a_here && b_here && (ma == mb || ma.empty() || mb.empty())) {
      Interface& ia = place(link.a);
      Interface& ib = place(link.b);
      // A frame from a port of a spanning bridge may leave through a tunnel: both ends of the
      // veth get the tunnel's MTU unless declared (the parser checked a declared one fits).
      if (port_of_spanning_bridge(link.a) || port_of_spanning_bridge(link.b)) {
        if (!ia.mtu) ia.mtu = span_mtu;
        if (!ib.mtu) ib.mtu = span_mtu;
      }
      out.links.push_back(link);
      continue;
    }
    if (!a_here && !b_here) continue;
    const Endpoint& local = a_here ? link.a : link.b;
    const Machine& remote = machine_named(whole, a_here ? mb : ma);
    Interface& itf = place(local);
    itf.kind = LinkKind::vxlan;
    itf.peer.reset();
    if (!itf.mtu) itf.mtu = tunnel_mtu(self, remote);
    if (!itf.mac) itf.mac = tunnel_mac(whole.name, me, local);
    itf.vxlan = Vxlan{link.vni.value_or(derived_vni(whole.name, link_vni_key(link))),
                      remote.address, self.address, self.vxlan_port};
  }

  for (auto& tunnel : tunnels(whole)) {
    if (tunnel.link || (tunnel.left != me && tunnel.right != me)) continue;
    const Machine& remote = machine_named(whole, tunnel.left == me ? tunnel.right : tunnel.left);
    Interface port{.name = tunnel_port_name(tunnel.bridge, remote.name),
                   .kind = LinkKind::vxlan,
                   .mtu = span_mtu,
                   .mac = tunnel_mac(whole.name, me, {std::string(kHostNamespace),
                                                      tunnel_port_name(tunnel.bridge, remote.name)}),
                   .master = tunnel.bridge,
                   .vxlan = Vxlan{tunnel.vni, remote.address, self.address, self.vxlan_port},
                   .isolated = true,
                   .where = tunnel.where};
    out.host.interfaces.emplace(port.name, std::move(port));
  }

  for (auto& check : whole.checks)
    if (out.find_namespace(check.ns())) out.checks.push_back(check);
  return out;
}

}  // namespace nstopo::model
