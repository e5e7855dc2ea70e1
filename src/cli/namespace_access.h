#pragma once
// What exec, shell and capture check before entering a namespace by name.
#include <optional>
#include <string>

#include "model/error.h"

namespace nstopo::cli {

// Why `ns` cannot be entered by `command` ("nstopo exec"): a name that is no namespace name
// (it becomes a path under the netns directory: "../x" must not walk out of it), or missing
// CAP_SYS_ADMIN (not needed for "host", which is not entered). nullopt: go ahead.
std::optional<Error> namespace_entry_problem(const std::string& ns, const std::string& command);

}  // namespace nstopo::cli
