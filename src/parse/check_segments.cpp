#include "parse/check_segments.h"

#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

namespace nstopo::parse {

namespace {

// The segments as a union-find over interfaces ("ns:ifname").
class Segments {
 public:
  void join(const std::string& a, const std::string& b) { parent_[root(a)] = root(b); }
  std::string root(const std::string& end) {
    auto it = parent_.find(end);
    if (it == parent_.end() || it->second == end) return end;
    auto top = root(it->second);
    parent_[end] = top;
    return top;
  }

 private:
  std::map<std::string, std::string> parent_;
};

std::string end_name(const NamespaceDecl& ns, std::string_view ifname) {
  return fmt::format("{}:{}", ns.name, ifname);
}

std::vector<const NamespaceDecl*> all_namespaces(const Declarations& declarations) {
  std::vector<const NamespaceDecl*> all{&declarations.host};
  for (const auto& ns : declarations.namespaces) all.push_back(&ns);
  return all;
}

void check_bridge_ports(const std::vector<const NamespaceDecl*>& all, Reporter& reporter) {
  for (const auto* ns : all) {
    std::map<std::string, size_t> ports;
    for (const auto& iface : ns->interfaces) {
      if (!iface.master) continue;
      size_t n = ++ports[*iface.master];
      if (n == kMaxBridgePorts + 1)
        reporter.error(iface.master_where,
                       fmt::format("bridge '{}' of {} would get more than {} ports with '{}'; "
                                   "Linux numbers a bridge's ports 1 to {} and refuses more",
                                   *iface.master, namespace_label(*ns), kMaxBridgePorts,
                                   iface.name, kMaxBridgePorts),
                       "split the segment over several bridges joined by a veth, or route "
                       "between them");
    }
  }
}

}  // namespace

void check_segments(const Declarations& declarations, Reporter& reporter) {
  auto all = all_namespaces(declarations);
  check_bridge_ports(all, reporter);

  Segments segments;
  for (const auto& link : declarations.links)
    segments.join(link.a.endpoint.to_string(), link.b.endpoint.to_string());
  for (const auto* ns : all)
    for (const auto& iface : ns->interfaces)
      if (iface.master) segments.join(end_name(*ns, iface.name), end_name(*ns, *iface.master));

  struct FirstUse {
    std::string end;
    int line;
  };
  // (segment, address) -> its first interface. Twice in one namespace is check_addresses'.
  std::map<std::pair<std::string, model::IpAddress>, FirstUse> used;
  for (const auto* ns : all)
    for (const auto& iface : ns->interfaces)
      for (const auto& address : iface.addresses) {
        std::string end = end_name(*ns, iface.name);
        auto [first, inserted] = used.emplace(std::pair(segments.root(end), address.prefix.address),
                                              FirstUse{end, address.where.line});
        if (inserted || first->second.end.starts_with(ns->name + ":")) continue;
        reporter.error(address.where,
                       fmt::format("address {} of '{}' is also on '{}' (line {}), on the same "
                                   "segment: two hosts with one address on a segment answer "
                                   "each other's ARP and neighbour requests",
                                   address.prefix.address.to_string(), end, first->second.end,
                                   first->second.line),
                       "give each end of a link, and each port of a bridge, its own address");
      }
}

}  // namespace nstopo::parse
