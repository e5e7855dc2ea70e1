#include "plan/route_spec.h"

namespace nstopo::plan {

uint32_t effective_metric(const model::Route& route) {
  if (route.metric) return *route.metric;
  return route.to.family() == model::Family::inet6 ? 1024 : 0;
}

model::RouteSpec route_spec(const model::Route& route) {
  return model::RouteSpec{route.to.network(), route.via, route.dev, effective_metric(route)};
}

}  // namespace nstopo::plan
