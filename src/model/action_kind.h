#pragma once
// What every kind of action declares beside its struct (the *_ops.h files): its change sign,
// the executor family that carries it out, whether a run of it may go side by side, its rank
// in the plan, its object's key and name, its text, the namespaces it needs and its undo.
// action.h checks at compile time that every alternative of Operation has all of them.
//
// Adding an object kind (docs/ARCHITECTURE.md, "Adding an object kind"): its structs with
// these traits in a *_ops.h of its own, one diff pass in plan/, one handler in the executor of
// its family, its case in tests/support/fake_kernel.cpp, and golden cases.
#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "model/object_key.h"

namespace nstopo::model {

// Terraform's signs: + create, ~ change, - delete.
enum class Change : char { create = '+', modify = '~', remove = '-' };

// Who carries an action out (apply::FamilyExecutor dispatches by it).
enum class ExecutorFamily {
  rtnetlink,  // namespaces, links, addresses, routes: the kernel layer
  files,      // sysctls (files under /proc/sys of a namespace): the kernel layer too
  services,   // processes: the service layer
  nftables,   // the lab's NAT table in the host: the kernel layer (kernel/nft/)
};
inline constexpr size_t kExecutorFamilies = 4;

struct Operation;  // the variant of every kind (action.h)

// "ns:name", the way objects inside a namespace are written.
inline std::string at(std::string_view ns, std::string_view name) {
  return fmt::format("{}:{}", ns, name);
}

template <typename T>
concept ActionKind = requires(const T& op) {
  { T::change } -> std::convertible_to<Change>;
  { T::family } -> std::convertible_to<ExecutorFamily>;
  // A run of this kind next to each other (the planner ranks them so) is independent: each
  // action takes or makes only its own object, so the run may go side by side.
  { T::groupable } -> std::convertible_to<bool>;
  { op.rank() } -> std::same_as<int>;  // ascending; see plan/ordering.cpp for the ranks
  { op.object_key() } -> std::same_as<ObjectKey>;
  { op.object() } -> std::same_as<std::string>;    // for error messages
  { op.describe() } -> std::same_as<std::string>;  // for the plan's text
  { op.namespaces_used() } -> std::same_as<std::vector<std::string>>;  // host included
  { op.inverse() } -> std::same_as<std::optional<Operation>>;          // nullopt: irreversible
};

}  // namespace nstopo::model
