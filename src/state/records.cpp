#include "state/records.h"

#include <fmt/format.h>

namespace nstopo::state {

std::string LabState::service_key(std::string_view ns, std::string_view name) {
  return fmt::format("{}/{}", ns, name);
}

}  // namespace nstopo::state
