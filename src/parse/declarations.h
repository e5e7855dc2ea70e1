#pragma once
// What a topology file declares, read but not yet cross-checked, with the position of every
// field a later check may need to point at. The reader fills it (reader.h); the resolver
// checks references between its parts and turns it into a model::Topology (resolve.h).
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/ip.h"
#include "model/topology.h"

namespace nstopo::parse {

using model::SourceLocation;

struct AddressDecl {
  model::Prefix prefix;
  SourceLocation where;
};

// rate, delay, jitter, loss, duplicate, corrupt, reorder, limit: on an interface or a link.
struct ImpairmentDecl {
  model::Impairment value;
  std::map<std::string, SourceLocation> where;  // per key given
  bool empty() const { return where.empty(); }
};

struct InterfaceDecl {
  std::string name;
  SourceLocation where;  // its key
  bool name_ok = true;   // false: the name was refused (already reported)
  model::LinkKind kind = model::LinkKind::veth;
  std::vector<AddressDecl> addresses;
  std::optional<uint32_t> mtu;
  SourceLocation mtu_where;
  std::optional<model::MacAddress> mac;
  bool up = true;
  std::optional<std::string> master;
  SourceLocation master_where;
  ImpairmentDecl impairment;
  std::string machine;  // host interfaces from `hosts.NAME.interfaces`; empty: every machine
};

struct RouteDecl {
  model::Route route;  // route.where: the route's map
  SourceLocation via_where, dev_where;
  bool complete = true;  // every field was read without error: only then is it cross-checked
};

struct NatDecl {
  model::Nat nat;
  SourceLocation where;                   // the `nat` key
  SourceLocation out_where;
  std::vector<SourceLocation> port_where;  // per entry of nat.ports
};

struct NamespaceDecl {
  std::string name;
  std::string label;                      // how messages name it, if not "namespace 'NAME'"
  SourceLocation where;                   // its key (line 0 for an undeclared host)
  std::vector<InterfaceDecl> interfaces;  // file order
  std::map<std::string, size_t, std::less<>> interface_index;
  std::vector<RouteDecl> routes;
  std::map<std::string, std::string> sysctls;
  std::map<std::string, model::Service> services;
  std::optional<NatDecl> nat;
  std::optional<model::Dns> dns;
  std::optional<std::string> on;  // the machine (`on:`)
  SourceLocation on_where;
  // An address was refused: gateway reachability could then report a cascade of errors.
  bool some_address_refused = false;

  bool is_host() const { return name == model::kHostNamespace; }
  InterfaceDecl* find_interface(std::string_view ifname);
  const InterfaceDecl* find_interface(std::string_view ifname) const;
};

struct EndpointDecl {
  model::Endpoint endpoint;
  SourceLocation where;
};

struct LinkDecl {
  EndpointDecl a, b;
  std::optional<uint32_t> mtu;
  SourceLocation mtu_where;
  ImpairmentDecl impairment;  // for both ends
  std::optional<uint32_t> vni;  // `vni:` of a link between machines
  SourceLocation vni_where;
  SourceLocation where;
};

// One entry of the `hosts:` map of machines (model::Machine).
struct MachineDecl {
  model::Machine machine;
  SourceLocation address_where, mtu_where;
};

// One entry of `checks:`, read; its namespace, a ping's NS:IF target and a route's device are
// checked by the resolver (resolve_checks.h), which also gives it a name when it has none.
struct CheckDecl {
  model::Check check;
  SourceLocation where;       // the list item
  SourceLocation ns_where;    // from / in
  SourceLocation to_where;    // ping: to
  SourceLocation dev_where;   // route: dev
  SourceLocation name_where;  // name, when given
  bool named = false;
  std::optional<model::Endpoint> ping_endpoint;  // ping to NS:IF (targets filled in later)
  // ping or tcp `to`, http url host: a node's name, given its first address by the resolver.
  std::optional<std::string> to_node;
};

struct Declarations {
  std::optional<int> version;
  std::string name;
  NamespaceDecl host{.name = std::string(model::kHostNamespace)};
  std::vector<NamespaceDecl> namespaces;  // file order, each name once
  std::map<std::string, size_t, std::less<>> namespace_index;
  std::vector<LinkDecl> links;  // the readable ones
  // Ends of links that were refused (wrong number of endpoints, one unreadable): they still
  // count as named by a link, so that one mistake makes one message.
  std::vector<EndpointDecl> stray_endpoints;
  // A link endpoint could not even be split into namespace and interface: which interface
  // it meant is unknown, so "no link names this veth" would be a guess.
  bool some_endpoint_unreadable = false;
  // A namespace range was refused (expand.h): a link may name one of the namespaces it meant.
  bool some_namespace_lost = false;
  std::vector<CheckDecl> checks;  // the readable ones, file order
  model::HostsNames hosts;        // `names:` (or the older `hosts: {host: BOOL}`)
  std::vector<MachineDecl> machines;  // `hosts:` as a map of machines, file order
  // Machines refused where they are declared (a bad address): an `on:` naming one is not
  // reported a second time as unknown.
  std::set<std::string, std::less<>> refused_machines;

  // host or a declared namespace; nullptr if unknown.
  const NamespaceDecl* find_namespace(std::string_view ns) const;
};

// "namespace 'ns1'", or "'host'": how messages name a namespace.
std::string namespace_label(const NamespaceDecl& ns);

}  // namespace nstopo::parse
