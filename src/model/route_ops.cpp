#include "model/action.h"
#include "model/observed.h"

namespace nstopo::model {

std::string RouteSpec::to_string() const {
  std::string text = to.is_default() ? std::string("default") : to.to_string();
  if (to.is_default() && to.family() == Family::inet6) text = "default (IPv6)";
  if (via) text += " via " + via->to_string();
  if (dev) text += " dev " + *dev;
  if (metric) text += fmt::format(" metric {}", metric);
  return text;
}

std::optional<Operation> AddRoute::inverse() const { return DeleteRoute{ns, route, kOwnerProtocol}; }
std::optional<Operation> DeleteRoute::inverse() const { return AddRoute{ns, route}; }

}  // namespace nstopo::model
