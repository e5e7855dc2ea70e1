#pragma once
// One lab on several machines (`hosts:`, `on:`): where each object is made, and what one
// machine's share of the lab is. A link whose ends sit on different machines becomes a VXLAN
// tunnel, one device on each machine, named and placed as its end declares; a bridge of the
// shared `host` section spans every machine, joined by one tunnel per pair of machines.
// Pure: the parser checks the lab with it, the CLI projects it to `--host`.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/topology.h"

namespace nstopo::model {

inline constexpr uint32_t kMaxVni = 0xFFFFFF;  // 24 bits; 0 is not used

// What VXLAN adds to a frame on an underlay of this family: the outer IP header (20 or 40),
// UDP (8), VXLAN (8) and the inner Ethernet header (14): 50 or 70 bytes.
uint32_t vxlan_overhead(Family underlay);

// The largest MTU of a tunnel between the two machines: the smaller underlay's, less the
// encapsulation.
uint32_t tunnel_mtu(const Machine& a, const Machine& b);

// The MTU every port of a spanning bridge gets unless declared: the smallest tunnel's.
uint32_t spanning_mtu(const Topology& topology);

// A VNI in 1..kMaxVni from the lab's name and a key: the same on every machine and every run
// (FNV-1a; std::hash is not stable across builds).
uint32_t derived_vni(std::string_view lab, std::string_view key);

// The key a link's derived VNI is made from: its ends, in order, so either spelling agrees.
std::string link_vni_key(const Link& link);

// The machine `end` of a link sits on: a namespace's `on`; for a host end, the machine its
// interface is declared under (`hosts.NAME.interfaces`), else the machine of the other end.
// Empty when the lab has no machines, or for a link between two shared host ends (made on
// every machine).
std::string machine_of(const Topology& topology, const Endpoint& end, const Endpoint& other);

// A bridge of the shared `host` section of a lab on two or more machines: one segment across
// all of them.
bool spans_machines(const Topology& topology, const Interface& host_interface);

// Every tunnel of the lab: one per link between machines, one per pair of machines for each
// spanning bridge.
struct Tunnel {
  std::string left, right;     // machine names; left is the first end's (a link) or the lesser
  uint32_t vni = 0;
  const Link* link = nullptr;  // a link's tunnel, or nullptr for a spanning bridge's
  std::string bridge;          // the spanning bridge
  SourceLocation where;        // of the link or the bridge
  std::string describe() const;  // "link a:eth0 <-> b:eth0", "bridge br0 between m1 and m2"
};
std::vector<Tunnel> tunnels(const Topology& topology);

// The MAC address of a tunnel end unless declared: locally administered, from the lab, the
// machine and the end, so that a tunnel end made again (drift repaired) keeps the address its
// neighbours have cached, and traffic resumes at once.
MacAddress tunnel_mac(std::string_view lab, std::string_view machine, const Endpoint& end);

// The port of spanning bridge `bridge` toward machine `remote`: "BRIDGE-REMOTE" when that
// fits a link name (15 bytes), else "vx" and 8 hex digits of a hash of both.
std::string tunnel_port_name(std::string_view bridge, std::string_view remote);

// The lab as machine `machine` makes it: its namespaces, the host interfaces it holds, its
// links (a link to another machine as a VXLAN device at the local end), the tunnel ports of
// the spanning bridges, the checks that run from here. A lab without machines is returned as
// it is.
Topology share(const Topology& whole, std::string_view machine);

}  // namespace nstopo::model
