#include "model/action.h"

namespace nstopo::model {

std::optional<Operation> SetSysctl::inverse() const {
  if (!old_value) return std::nullopt;
  // A first change (the host still had its original): the value goes back and the record
  // with it. Otherwise the record is rewritten with the value put back.
  if (record_original && *record_original == *old_value)
    return RestoreSysctl{key, *record_original, value};
  return SetSysctl{ns, key, *old_value, value, record_original};
}

std::string RestoreSysctl::describe() const {
  switch (mode) {
    case Mode::leave:
      if (live.empty()) return fmt::format("sysctl {} {}: record dropped", kHostNamespace, key);
      return fmt::format("sysctl {} {}: left at {}", kHostNamespace, key, live);
    case Mode::remember:
      return fmt::format("sysctl {} {}: record the host's value {}", kHostNamespace, key, original);
    case Mode::restore: break;
  }
  return fmt::format("sysctl {} {} = {} (restore)", kHostNamespace, key, original);
}

std::optional<Operation> RestoreSysctl::inverse() const {
  switch (mode) {
    case Mode::restore:
      return SetSysctl{std::string(kHostNamespace), key, lab_value, original, original};
    case Mode::leave: return RestoreSysctl{key, original, lab_value, Mode::remember, live};
    // Recorded before a fan-out write, whose own undo has just rewritten it: the host's value
    // goes back with the record.
    case Mode::remember: return RestoreSysctl{key, original, lab_value, Mode::restore, live};
  }
  return std::nullopt;
}

}  // namespace nstopo::model
