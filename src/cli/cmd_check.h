#pragma once
// The checks of a loaded topology, run and reported (for `check` and `apply --check`).
#include <cstdio>

#include "cli/commands.h"
#include "model/topology.h"

namespace nstopo::cli {

// Text goes to `text_stream` (apply -o json keeps stdout for its one document); the exit code
// is 0 when every check held, 1 when one did not, 64 for an unknown --only name.
int run_checks_of(const GlobalOptions& global, const model::Topology& topology,
                  const CheckArgs& args, FILE* text_stream);

}  // namespace nstopo::cli
