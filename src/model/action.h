#pragma once
// The planner's output: one action is one change to the live state (one netlink request,
// give or take an ownership mark). Every action carries the reason the diff found, and what
// it needs to be undone.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/ip.h"
#include "model/observed.h"
#include "model/topology.h"

namespace nstopo::model {

struct CreateNamespace { std::string ns; };
struct DeleteNamespace { std::string ns; };

// Both ends are created directly in their namespaces under their final names, marked as ours.
// IPv6 link-local addresses are generated only where `ipv6_link_local` says so (interfaces
// with a declared IPv6 address): elsewhere their duplicate address detection and multicast
// chatter is flooded to every port of a bridge, a cost that grows with N squared.
struct CreateVeth {
  Endpoint a, b;
  std::optional<uint32_t> mtu_a, mtu_b;
  std::optional<MacAddress> mac_a, mac_b;
  bool ipv6_link_local_a = true, ipv6_link_local_b = true;
  // What a new end needs right after creation, set with its ownership mark in one request
  // per end: its bridge (which exists in place by then) and its state. The planner folds
  // them in here rather than planning a master change and an up of their own: three requests
  // per pair instead of six, and for a star lab a third of the plan.
  std::optional<std::string> master_a, master_b;
  bool up_a = false, up_b = false;
};
struct CreateBridge {
  std::string ns, name;
  std::optional<uint32_t> mtu;
  std::optional<MacAddress> mac;
  bool ipv6_link_local = true;
};
// Deleting a veth end deletes its peer too: one DeleteLink per pair.
struct DeleteLink {
  std::string ns, name;
  std::string kind;                 // "veth" / "bridge": for messages and undo
  std::optional<Endpoint> peer;     // veth: the other end, for undo
};
// Drift repair: an owned link that sits in the wrong namespace.
struct MoveLink { std::string from_ns, name, to_ns; };

// Attributes set while the link is down. Each optional is "change this"; old_* undo it.
struct SetLinkAttributes {
  std::string ns, name;
  std::optional<uint32_t> mtu, old_mtu;
  std::optional<MacAddress> mac, old_mac;
  std::optional<std::string> master, old_master;  // "" = no master
  std::optional<std::string> alias, old_alias;    // the ownership mark (adopt)
  std::optional<bool> ipv6_link_local, old_ipv6_link_local;  // IPv6 address generation mode
  // A new bridge's MTU, ordered after every port joined it: a join resets a bridge's MTU to
  // its ports' smallest unless the MTU was set by a change of its own (not at creation).
  bool after_ports = false;
};
struct SetLinkUp { std::string ns, name; bool up = true; };

struct AddAddress { std::string ns, dev; Prefix prefix; bool nodad = true; };
struct DeleteAddress { std::string ns, dev; Prefix prefix; };

struct RouteSpec {
  Prefix to;  // network form
  std::optional<IpAddress> via;
  std::optional<std::string> dev;
  uint32_t metric = 0;
  std::string to_string() const;
  auto operator<=>(const RouteSpec&) const = default;
};
struct AddRoute { std::string ns; RouteSpec route; };
struct DeleteRoute { std::string ns; RouteSpec route; uint8_t protocol = 0; };

// With `record_original` (host sysctls only), the lab's record of the key is written before
// the value: {record_original, value} (see ObservedState::host_sysctl_records), so that a
// later destroy or prune can give the host its value back.
struct SetSysctl {
  std::string ns, key, value;
  std::optional<std::string> old_value;
  std::optional<std::string> record_original;
};
// A host sysctl the lab recorded and no longer declares (pruned, or the lab destroyed).
//   restore:  write `original` back, then drop the record;
//   leave:    the live value (`live`) is no longer the one the lab set (changed outside
//             nstopo) or the key is gone with its interface: drop the record, write nothing;
//   remember: record {original, lab_value} and write nothing: before a write that fans out
//             (net.ipv4.ip_forward) rewrites the key, and as the undo of a leave.
struct RestoreSysctl {
  enum class Mode { restore, leave, remember };
  std::string key;
  std::string original;   // the host's value before the lab's first change
  std::string lab_value;  // the value the lab set
  Mode mode = Mode::restore;
  std::string live;       // leave: the value the key is left at (for the message)
};

struct StartService { std::string ns; Service service; };
struct StopService {
  std::string ns, name;
  int pid = 0;
  uint64_t start_time = 0;
  std::chrono::milliseconds grace{5'000};
  // The spec the stopped process was started with, when the record has it: undoing the stop
  // (a failed apply that had stopped a service for a restart or a prune) starts it again.
  std::optional<Service> restart;
};

// Processes still inside a lab namespace that is being deleted (they are the lab's: its
// namespace is theirs): SIGTERM, then SIGKILL after `grace`. Each is checked to be the same
// process (start time) in the same namespace before any signal. Cannot be undone.
struct StopNamespaceProcesses {
  std::string ns;
  std::vector<NamespaceProcess> processes;
  std::chrono::milliseconds grace{3'000};
};

using Operation = std::variant<CreateNamespace, DeleteNamespace, CreateVeth, CreateBridge,
                               DeleteLink, MoveLink, SetLinkAttributes, SetLinkUp, AddAddress,
                               DeleteAddress, AddRoute, DeleteRoute, SetSysctl, StartService,
                               StopService, RestoreSysctl, StopNamespaceProcesses>;

// Terraform's signs: + create, ~ change, - delete.
enum class Change : char { create = '+', modify = '~', remove = '-' };

struct Action {
  Operation op;
  std::string reason;  // what the diff found: "missing", "mtu 1500 != 9000", "not declared"
  Change change() const;
  std::string describe() const;  // "veth host:veth_rifky <-> ns_rifky:veth_ns_rifky"
  std::string object() const;    // the object it concerns, for error messages
};

struct Plan {
  std::vector<Action> actions;
  bool empty() const { return actions.empty(); }
};

// The action that reverses `action`, when there is one (a deleted namespace cannot be
// brought back with what it held).
std::optional<Action> inverse(const Action& action);

// True for actions that only concern processes (run by the service layer, not netlink).
bool is_service_action(const Action& action);

// The named namespaces (not the host) an action works in, which must exist before it runs.
std::vector<std::string> namespaces_used(const Action& action);

}  // namespace nstopo::model
