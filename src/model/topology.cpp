#include "model/topology.h"

#include <utility>

namespace nstopo::model {

std::string_view to_string(LinkKind kind) {
  switch (kind) {
    case LinkKind::veth: return "veth";
    case LinkKind::bridge: return "bridge";
    case LinkKind::vxlan: return "vxlan";
  }
  return "?";
}

std::optional<LinkKind> link_kind(std::string_view kernel_kind) {
  for (auto kind : {LinkKind::veth, LinkKind::bridge, LinkKind::vxlan})
    if (to_string(kind) == kernel_kind) return kind;
  return std::nullopt;
}

std::string Route::to_string() const {
  std::string text = to.is_default() ? std::string("default") : to.network().to_string();
  if (via) text += " via " + via->to_string();
  if (dev) text += " dev " + *dev;
  if (metric) text += fmt::format(" metric {}", *metric);
  return text;
}

// FNV-1a over a length-prefixed serialisation: stable across runs and builds (std::hash is not).
std::string Service::spec_hash() const {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view s) {
    auto add = [&h](unsigned char c) {
      h ^= c;
      h *= 1099511628211ull;
    };
    for (char c : fmt::format("{}:", s.size())) add(static_cast<unsigned char>(c));
    for (char c : s) add(static_cast<unsigned char>(c));
  };
  mix("command");
  for (auto& arg : command) mix(arg);
  mix("env");
  for (auto& [k, v] : env) {
    mix(k);
    mix(v);
  }
  mix("cwd");
  mix(cwd.value_or(""));
  mix("user");
  mix(user.value_or(""));
  return fmt::format("{:016x}", h);
}

std::vector<IpAddress> ReadyProbe::tcp_targets() const {
  if (!targets.empty()) return targets;
  return {*IpAddress::parse("127.0.0.1"), *IpAddress::parse("::1")};
}

const Namespace* Topology::find_namespace(std::string_view ns) const {
  if (ns == kHostNamespace) return &host;
  auto it = namespaces.find(std::string(ns));
  return it == namespaces.end() ? nullptr : &it->second;
}

const Machine* Topology::find_machine(std::string_view wanted) const {
  for (auto& machine : machines)
    if (machine.name == wanted) return &machine;
  return nullptr;
}

Namespace* Topology::find_namespace(std::string_view ns) {
  return const_cast<Namespace*>(std::as_const(*this).find_namespace(ns));
}

}  // namespace nstopo::model
