#pragma once
// Actions on routes of the main table (marked with rtm_protocol).
#include <cstdint>

#include "model/action_kind.h"
#include "model/ip.h"

namespace nstopo::model {

struct RouteSpec {
  Prefix to;  // network form
  std::optional<IpAddress> via;
  std::optional<std::string> dev;
  uint32_t metric = 0;
  std::string to_string() const;
  auto operator<=>(const RouteSpec&) const = default;
};

struct AddRoute {
  std::string ns;
  RouteSpec route;

  static constexpr Change change = Change::create;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = false;
  int rank() const { return 80; }  // once the addresses covering their gateways exist
  ObjectKey object_key() const { return {ObjectKind::route, ns, route.to_string()}; }
  std::string object() const { return ns; }
  std::string describe() const { return fmt::format("route {} in {}", route.to_string(), ns); }
  std::vector<std::string> namespaces_used() const { return {ns}; }
  std::optional<Operation> inverse() const;
};

struct DeleteRoute {
  std::string ns;
  RouteSpec route;
  uint8_t protocol = 0;

  static constexpr Change change = Change::remove;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = false;
  int rank() const { return 10; }
  ObjectKey object_key() const { return {ObjectKind::route, ns, route.to_string()}; }
  std::string object() const { return ns; }
  std::string describe() const { return fmt::format("route {} in {}", route.to_string(), ns); }
  std::vector<std::string> namespaces_used() const { return {ns}; }
  std::optional<Operation> inverse() const;
};

}  // namespace nstopo::model
