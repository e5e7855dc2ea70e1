#pragma once
// Actions on addresses (marked with IFA_PROTO, added with IFA_F_NODAD).
#include "model/action_kind.h"
#include "model/ip.h"

namespace nstopo::model {

struct AddAddress {
  std::string ns, dev;
  Prefix prefix;
  bool nodad = true;

  static constexpr Change change = Change::create;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = false;
  int rank() const { return 70; }  // once its link is up
  ObjectKey object_key() const { return {ObjectKind::address, ns, name()}; }
  std::string object() const { return at(ns, dev); }
  std::string describe() const { return "address " + name(); }
  std::vector<std::string> namespaces_used() const { return {ns}; }
  std::optional<Operation> inverse() const;
  std::string name() const { return fmt::format("{} on {}", prefix.to_string(), at(ns, dev)); }
};

struct DeleteAddress {
  std::string ns, dev;
  Prefix prefix;

  static constexpr Change change = Change::remove;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = false;
  int rank() const { return 11; }
  ObjectKey object_key() const { return {ObjectKind::address, ns, name()}; }
  std::string object() const { return at(ns, dev); }
  std::string describe() const { return "address " + name(); }
  std::vector<std::string> namespaces_used() const { return {ns}; }
  std::optional<Operation> inverse() const;
  std::string name() const { return fmt::format("{} on {}", prefix.to_string(), at(ns, dev)); }
};

}  // namespace nstopo::model
