#pragma once
// Typed identity of an object nstopo manages: what kind it is, the namespace it lives in and
// its name there. Actions, conflicts and status entries carry keys, so that they are joined
// by identity, never by the text made to show them (see plan/status.cpp).
#include <compare>
#include <string>
#include <string_view>

namespace nstopo::model {

enum class ObjectKind {
  namespace_,
  link,      // veth end or bridge: one name space per namespace, whatever the link kind
  address,   // name: "PREFIX on NS:DEV"
  route,     // name: the route's RouteSpec::to_string()
  sysctl,    // name: the key
  service,   // name: the service's name
  impairment,  // name: the interface (its root qdisc)
  processes, // the processes still inside a namespace being deleted (name empty)
  nat,       // the lab's nftables table in the host (ns "host"); name: the table's name
  name_file, // name: "hosts" or "resolv.conf"; in the host, "hosts" is the lab's block
};
std::string_view to_string(ObjectKind kind);

struct ObjectKey {
  ObjectKind kind = ObjectKind::namespace_;
  std::string ns;    // the namespace the object lives in (for a namespace: itself)
  std::string name;  // empty for a namespace
  auto operator<=>(const ObjectKey&) const = default;
  // As messages name it: "namespace ns_rifky", "host:veth_rifky", "address 10.0.0.11/24 on
  // ns_rifky:veth_ns_rifky", "route default in ns_a", "ns_a:net.ipv4.ip_forward", "ns_a/web",
  // "nftables table inet nstopo-seed".
  std::string to_string() const;
};

}  // namespace nstopo::model
