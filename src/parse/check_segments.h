#pragma once
// Checks across one layer-2 segment (the two ends of a veth, a bridge with its ports and the
// ends at their other side): an address used twice on it, and a bridge with more ports than
// Linux allows. Run on the declarations after resolve(), which has checked every reference.
#include "parse/declarations.h"
#include "parse/reporter.h"

namespace nstopo::parse {

// Linux's BR_MAX_PORTS (net/bridge/br_private.h): a bridge takes ports numbered 1..1023.
inline constexpr size_t kMaxBridgePorts = 1023;

void check_segments(const Declarations& declarations, Reporter& reporter);

}  // namespace nstopo::parse
