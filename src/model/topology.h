#pragma once
// The desired state: what a topology file declares, after parsing and validation.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/check.h"
#include "model/impairment.h"
#include "model/ip.h"
#include "model/nat.h"

namespace nstopo::model {

// The namespace nstopo runs in. It is declared as `host:` and is never created or deleted.
inline constexpr std::string_view kHostNamespace = "host";

// Where a declaration stands in its file (1-based); line 0 means "no position".
struct SourceLocation {
  int line = 0;
  int column = 0;
  // Which instance of a template (a range such as node[1-200]) this position belongs to:
  // 0 for none, else an index the parser's reporter names in its messages.
  int instance = 0;
};

// One end of a link: "ns_rifky:veth_ns_rifky" or "host:veth_rifky".
struct Endpoint {
  std::string ns;
  std::string ifname;
  std::string to_string() const { return ns + ":" + ifname; }
  auto operator<=>(const Endpoint&) const = default;
};

enum class LinkKind { veth, bridge, vxlan };
std::string_view to_string(LinkKind kind);  // the kernel's IFLA_INFO_KIND: "veth", "bridge", "vxlan"
// The kind of an observed link (its IFLA_INFO_KIND); nullopt for a kind nstopo does not make.
std::optional<LinkKind> link_kind(std::string_view kernel_kind);

// A VXLAN tunnel end: the local end of a link (or a spanning bridge's port) whose other end is
// on another machine (model/machines.h). Its UDP socket lives in the host's namespace, where the
// underlay is, whichever namespace the device sits in.
struct Vxlan {
  uint32_t vni = 0;                  // 1..16777215
  IpAddress remote;                  // the other machine's underlay address
  std::optional<IpAddress> local;    // this machine's underlay address (the source)
  uint16_t port = 4789;              // UDP destination and listening port
  auto operator<=>(const Vxlan&) const = default;
};

struct Interface {
  std::string name;
  LinkKind kind = LinkKind::veth;
  std::vector<Prefix> addresses;
  std::optional<uint32_t> mtu;
  std::optional<MacAddress> mac;
  bool up = true;
  std::optional<std::string> master;  // a bridge in the same namespace
  std::optional<Endpoint> peer;       // for a veth end: the other end (from `links`)
  // rate, delay, loss, ...: shapes what leaves this interface (its own keys and its link's).
  std::optional<Impairment> impairment;
  std::optional<Vxlan> vxlan;         // kind vxlan: the tunnel
  // A bridge port that forwards to the bridge's other ports but not to its other isolated
  // ones (IFLA_BRPORT_ISOLATED): a spanning bridge's tunnels, so that a frame from one
  // machine is never sent on to a third (the mesh's split horizon).
  bool isolated = false;
  // On the host: the machine this interface belongs to (`hosts.NAME.interfaces`); empty for
  // the shared `host` section, which applies to every machine.
  std::string machine;
  SourceLocation where;
};

struct Route {
  Prefix to;                        // default route: Prefix::default_route(family)
  std::optional<IpAddress> via;     // gateway
  std::optional<std::string> dev;   // outgoing interface
  std::optional<uint32_t> metric;   // route priority; nullopt = kernel default (0)
  SourceLocation where;
  std::string to_string() const;    // "default via 10.0.0.1 dev eth0 metric 10"
};

struct ReadyProbe {
  enum class Kind { none, tcp, exec };
  Kind kind = Kind::none;
  uint16_t port = 0;                  // tcp
  std::vector<std::string> argv;      // exec
  std::chrono::milliseconds timeout{10'000};
  // tcp: the declared `address`, when there is one; the probe then tries it alone.
  std::optional<IpAddress> address;
  // tcp: the addresses the probe tries, ready when one accepts (with a listener of the
  // service's). The parser sets them: the declared address, else the namespace's declared
  // addresses (not link-local: a connect to one needs an interface). Empty means loopback
  // (tcp_targets()): a namespace without addresses, or a record from before they existed.
  std::vector<IpAddress> targets;
  SourceLocation address_where;       // of `address`, for messages

  // `targets`, or 127.0.0.1 and ::1 when it is empty.
  std::vector<IpAddress> tcp_targets() const;
};

struct Service {
  std::string name;
  std::vector<std::string> command;   // argv; never run through a shell
  std::map<std::string, std::string> env;
  std::optional<std::string> cwd;
  std::optional<std::string> user;
  ReadyProbe ready;
  std::chrono::milliseconds stop_grace{5'000};  // SIGTERM -> SIGKILL
  SourceLocation where;
  // A stable hash of everything that makes the process what it is; a change means restart.
  std::string spec_hash() const;
};

// `dns:` of a namespace: its /etc/netns/NS/resolv.conf (model/name_files.h).
struct Dns {
  std::vector<IpAddress> nameservers;
  std::vector<std::string> search;
  SourceLocation where;
  bool operator==(const Dns& other) const {
    return nameservers == other.nameservers && search == other.search;
  }
};

struct Namespace {
  std::string name;
  std::map<std::string, Interface> interfaces;
  std::vector<Route> routes;
  std::map<std::string, std::string> sysctls;  // "net.ipv4.ip_forward" -> "1"
  std::map<std::string, Service> services;
  std::optional<Nat> nat;  // never on the host
  std::optional<Dns> dns;  // declared: the namespace gets a resolv.conf
  std::string on;          // the machine it is placed on (`on:`); empty when no `hosts:` map
  SourceLocation where;
  bool is_host() const { return name == kHostNamespace; }
};

struct Link {
  Endpoint a, b;
  std::optional<uint32_t> mtu;
  std::optional<Impairment> impairment;  // applies to both ends
  // Its VXLAN network identifier when its ends are on different machines: declared (`vni:`)
  // or derived from the lab and its ends (model/machines.h); nullopt for a local link.
  std::optional<uint32_t> vni;
  SourceLocation where;
};

// One machine of the `hosts:` map: where its share of the lab runs (model/machines.h).
struct Machine {
  std::string name;
  IpAddress address;        // its underlay address: tunnels to it are sent there
  uint16_t vxlan_port = 4789;
  uint32_t mtu = 1500;      // of the underlay
  SourceLocation where;
};

// The top-level `hosts:` section: names that resolve (model/name_files.h). Declared at all,
// every namespace gets /etc/netns/NS/hosts; `host: true` adds the lab's block to /etc/hosts.
struct HostsNames {
  bool declared = false;
  bool host = false;
  SourceLocation where;
};

struct Topology {
  int version = 1;
  std::string name;  // the lab's name: state directory and ownership marks
  std::string file;  // where it was read from
  Namespace host{.name = std::string(kHostNamespace)};
  std::map<std::string, Namespace> namespaces;  // never contains "host"
  std::vector<Link> links;
  HostsNames hosts;
  // The machines the lab spans, in file order (the first is the default for `on:`); empty
  // for a lab on one machine. A topology projected to one machine's share (model::share)
  // keeps them, and `here` names the machine.
  std::vector<Machine> machines;
  std::string here;
  std::vector<Check> checks;  // file order (`checks:`); they change nothing, apply ignores them

  // host or a declared namespace; nullptr if unknown.
  const Namespace* find_namespace(std::string_view name) const;
  Namespace* find_namespace(std::string_view name);
  const Machine* find_machine(std::string_view machine) const;
};

}  // namespace nstopo::model
