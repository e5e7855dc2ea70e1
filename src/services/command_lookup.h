#pragma once
// Where a service's command would be found when it starts: the facts behind the plan's check
// of service commands (plan/preflight.h). It only looks; the planner decides.
#include <optional>

#include "model/observed.h"

namespace nstopo::services {

// Looks `lookup.command` up as execvp(3) would in the service's environment: on its declared
// PATH, else on the PATH the service layer gives it (services/identity.h); a command with a
// '/' is taken as it is. nullopt when nothing can be said before the start (a relative path
// with a '/', which depends on the service's working directory).
std::optional<model::CommandFound> find_command(const model::CommandLookup& lookup);

}  // namespace nstopo::services
