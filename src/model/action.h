#pragma once
// The planner's output: one action is one change to the live state (one netlink request,
// give or take an ownership mark). Every action carries the reason the diff found, and what
// it needs to be undone. Each kind of action lives, with its traits, in a *_ops.h of its own
// (see model/action_kind.h); this file puts them together.
#include <algorithm>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "model/action_kind.h"
#include "model/address_ops.h"
#include "model/impairment_ops.h"
#include "model/link_ops.h"
#include "model/nat_ops.h"
#include "model/name_file_ops.h"
#include "model/namespace_ops.h"
#include "model/reason.h"
#include "model/route_ops.h"
#include "model/service_ops.h"
#include "model/sysctl_ops.h"

namespace nstopo::model {

using OperationVariant =
    std::variant<CreateNamespace, DeleteNamespace, CreateVeth, CreateBridge, CreateVxlan,
                 DeleteLink,
                 MoveLink, SetLinkAttributes, SetLinkUp, AddAddress, DeleteAddress, AddRoute,
                 DeleteRoute, SetImpairment, ClearImpairment, SetSysctl, StartService,
                 StopService, RestoreSysctl, StopNamespaceProcesses, CreateNatTable,
                 ReplaceNatTable, DeleteNatTable, CreateNameFile, WriteNameFile, RemoveNameFile>;

// Every kind, as one value. A struct (not an alias) so that the kinds can name it before it
// is defined (their inverse()).
struct Operation : OperationVariant {
  using OperationVariant::OperationVariant;
  using OperationVariant::operator=;
};

template <typename... Kinds>
constexpr bool every_alternative_is_an_action_kind(const std::variant<Kinds...>*) {
  return (ActionKind<Kinds> && ...);
}
static_assert(every_alternative_is_an_action_kind(static_cast<const OperationVariant*>(nullptr)),
              "every alternative of Operation declares its traits (model/action_kind.h)");

struct Action {
  Operation op;
  // What the diff found. A creation step (a new bridge's attributes and its up) is reported
  // missing by its creation, not drifted by this.
  Reason reason;
  Change change() const;
  std::string describe() const;  // "veth host:veth_rifky <-> ns_rifky:veth_ns_rifky"
  std::string object() const;    // the object it concerns, for error messages
  ObjectKey key() const;         // the object it concerns, for joins
  ExecutorFamily family() const;
  bool groupable() const;
  int rank() const;
};

struct Plan {
  std::vector<Action> actions;
  bool empty() const { return actions.empty(); }
};

// Every action of a group is of kind Op (an executor's group: CreateNamespace, StartService...).
template <class Op>
bool all_of_kind(std::span<const Action> actions) {
  return std::ranges::all_of(
      actions, [](const Action& action) { return std::holds_alternative<Op>(action.op); });
}

// The action that reverses `action`, when there is one (a deleted namespace cannot be
// brought back with what it held).
std::optional<Action> inverse(const Action& action);

// True for actions that only concern processes (run by the service layer, not netlink).
bool is_service_action(const Action& action);

// The named namespaces (not the host) an action works in, which must exist before it runs.
std::vector<std::string> namespaces_used(const Action& action);

}  // namespace nstopo::model
