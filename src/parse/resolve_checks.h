#pragma once
// The checks' references: the namespace each runs in, a ping's NS:IF target (its declared
// addresses), a route check's device; and a unique name for each.
#include <vector>

#include "model/check.h"
#include "parse/declarations.h"
#include "parse/reporter.h"

namespace nstopo::parse {

std::vector<model::Check> resolve_checks(const Declarations& declarations, Reporter& reporter);

}  // namespace nstopo::parse
