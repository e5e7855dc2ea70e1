#pragma once
// A declared route in the form the kernel keeps it (network prefix, effective metric).
#include "model/action.h"

namespace nstopo::plan {

// IPv6 routes added without a metric (or with 0) get 1024 from the kernel; IPv4 ones get 0.
uint32_t effective_metric(const model::Route& route);
model::RouteSpec route_spec(const model::Route& route);

}  // namespace nstopo::plan
