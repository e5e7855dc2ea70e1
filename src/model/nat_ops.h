#pragma once
// Actions on the lab's NAT table (model/nat.h): written whole, as one nftables transaction
// that replaces whatever the table held (so a change never leaves half a ruleset), and
// deleted whole.
#include <optional>
#include <string>

#include "model/action_kind.h"

namespace nstopo::model {

// Makes the table `ruleset` describes (none of the lab's was there).
struct CreateNatTable {
  std::string lab;
  std::string ruleset;  // the whole table, as plan::nat_ruleset renders it
  std::string summary;  // what it does, for the plan: "masquerade 10.0.0.11; forward ..."

  static constexpr Change change = Change::create;
  static constexpr ExecutorFamily family = ExecutorFamily::nftables;
  static constexpr bool groupable = false;
  // Once the addresses and routes it names are in place; before the host's forwarding is
  // turned on (sysctls, 89+), so that no lab packet leaves unmasqueraded.
  int rank() const { return 85; }
  ObjectKey object_key() const;
  std::string object() const;
  std::string describe() const;
  std::vector<std::string> namespaces_used() const { return {}; }
  std::optional<Operation> inverse() const;
};

// Replaces the lab's table, whose rules were `previous` (for the undo), with `ruleset`.
struct ReplaceNatTable {
  std::string lab;
  std::string ruleset;
  std::string previous;
  std::string summary;  // of `ruleset`; empty when it is unknown (an undo: the rules before)

  static constexpr Change change = Change::modify;
  static constexpr ExecutorFamily family = ExecutorFamily::nftables;
  static constexpr bool groupable = false;
  int rank() const { return 85; }
  ObjectKey object_key() const;
  std::string object() const;
  std::string describe() const;
  std::vector<std::string> namespaces_used() const { return {}; }
  std::optional<Operation> inverse() const;
};

struct DeleteNatTable {
  std::string lab;
  std::string previous;  // its rules, to make it again on undo

  static constexpr Change change = Change::remove;
  static constexpr ExecutorFamily family = ExecutorFamily::nftables;
  static constexpr bool groupable = false;
  int rank() const { return 9; }  // first of the deletes: nothing forwards to what goes next
  ObjectKey object_key() const;
  std::string object() const;
  std::string describe() const;
  std::vector<std::string> namespaces_used() const { return {}; }
  std::optional<Operation> inverse() const;
};

}  // namespace nstopo::model
