#include "model/object_key.h"

#include <fmt/format.h>

namespace nstopo::model {

std::string_view to_string(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::namespace_: return "namespace";
    case ObjectKind::link: return "link";
    case ObjectKind::address: return "address";
    case ObjectKind::route: return "route";
    case ObjectKind::sysctl: return "sysctl";
    case ObjectKind::service: return "service";
    case ObjectKind::impairment: return "impairment";
    case ObjectKind::processes: return "processes";
    case ObjectKind::nat: return "nat";
    case ObjectKind::name_file: return "name_file";
  }
  return "?";
}

std::string ObjectKey::to_string() const {
  switch (kind) {
    case ObjectKind::namespace_: return fmt::format("namespace {}", ns);
    case ObjectKind::link: return fmt::format("{}:{}", ns, name);
    case ObjectKind::address: return fmt::format("address {}", name);  // name holds "on NS:DEV"
    case ObjectKind::route: return fmt::format("route {} in {}", name, ns);
    case ObjectKind::sysctl: return fmt::format("{}:{}", ns, name);
    case ObjectKind::service: return fmt::format("{}/{}", ns, name);
    case ObjectKind::impairment: return fmt::format("impairment on {}:{}", ns, name);
    case ObjectKind::processes: return fmt::format("processes in namespace {}", ns);
    case ObjectKind::nat: return fmt::format("nftables table inet {}", name);
    case ObjectKind::name_file:
      if (ns == "host") return "the lab's block in /etc/hosts";
      return fmt::format("/etc/netns/{}/{}", ns, name);
  }
  return "?";
}

}  // namespace nstopo::model
