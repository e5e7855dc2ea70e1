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
    case ObjectKind::processes: return "processes";
  }
  return "?";
}

std::string ObjectKey::to_string() const {
  if (kind == ObjectKind::namespace_) return fmt::format("namespace {}", ns);
  if (name.empty()) return fmt::format("{} in {}", model::to_string(kind), ns);
  return fmt::format("{} {}:{}", model::to_string(kind), ns, name);
}

}  // namespace nstopo::model
