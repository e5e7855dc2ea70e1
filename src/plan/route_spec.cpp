#include "plan/route_spec.h"

namespace nstopo::plan {

uint32_t effective_metric(const model::Route& route) {
  bool inet6 = route.to.family() == model::Family::inet6;
  if (route.metric && !(inet6 && *route.metric == 0)) return *route.metric;
  return inet6 ? 1024 : 0;  // the kernel stores an IPv6 metric of 0 as 1024
}

model::RouteSpec route_spec(const model::Route& route) {
  return model::RouteSpec{route.to.network(), route.via, route.dev, effective_metric(route)};
}

}  // namespace nstopo::plan
