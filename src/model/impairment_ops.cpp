#include "model/action.h"

namespace nstopo::model {

std::string SetImpairment::describe() const {
  return fmt::format("impairment {} {}", at(ns, dev), spec.to_string());
}
std::optional<Operation> SetImpairment::inverse() const {
  if (old) return SetImpairment{ns, dev, *old, spec};
  return ClearImpairment{ns, dev, spec};
}

std::string ClearImpairment::describe() const {
  return fmt::format("impairment {} {}", at(ns, dev), old.to_string());
}
std::optional<Operation> ClearImpairment::inverse() const {
  return SetImpairment{ns, dev, old, std::nullopt};
}

}  // namespace nstopo::model
