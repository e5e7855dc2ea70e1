#pragma once
// Actions on links: veth pairs and bridges, their attributes and their state.
#include <cstdint>

#include "model/action_kind.h"
#include "model/ip.h"
#include "model/topology.h"

namespace nstopo::model {

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
  // them in here rather than planning a master change and an up of their own: four requests
  // per pair instead of seven (docs/ARCHITECTURE.md, "Speed"), and for a star lab a third of
  // the plan.
  std::optional<std::string> master_a, master_b;
  bool up_a = false, up_b = false;

  static constexpr Change change = Change::create;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = false;
  int rank() const { return 31; }  // after bridges, which their ends may join
  ObjectKey object_key() const { return {ObjectKind::link, a.ns, a.ifname}; }  // by its first end
  std::string object() const { return a.to_string(); }
  std::string describe() const;
  std::vector<std::string> namespaces_used() const { return {a.ns, b.ns}; }
  std::optional<Operation> inverse() const;
};

// What the creation of a single link (a bridge, a tunnel end) carries, and the traits both
// share; each adds its own rank, text and undo.
struct NewSingleLink {
  std::string ns, name;
  std::optional<uint32_t> mtu;
  std::optional<MacAddress> mac;
  bool ipv6_link_local = true;

  static constexpr Change change = Change::create;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = false;
  ObjectKey object_key() const { return {ObjectKind::link, ns, name}; }
  std::string object() const { return at(ns, name); }
  std::vector<std::string> namespaces_used() const { return {ns}; }
};

struct CreateBridge : NewSingleLink {
  int rank() const { return 30; }
  std::string describe() const { return fmt::format("bridge {}", at(ns, name)); }
  std::optional<Operation> inverse() const;
};

// The local end of a tunnel to another machine (model/machines.h): a VXLAN device made
// directly in its namespace (IFLA_NET_NS_FD) by a request from the host's socket, so that its
// UDP socket lives in the host, where the underlay is. Marked as ours in its creation's second
// request, as a bridge is; its bridge, isolation and up are steps of their own.
struct CreateVxlan : NewSingleLink {
  Vxlan vxlan;

  int rank() const { return 32; }  // after bridges, which it may join
  std::string describe() const;
  std::optional<Operation> inverse() const;
};

// Deleting a veth end deletes its peer too: one DeleteLink per pair.
struct DeleteLink {
  std::string ns, name;
  // For messages and undo; nullopt for a kind nstopo does not make (not made again on undo).
  std::optional<LinkKind> kind;
  std::optional<Endpoint> peer;     // veth: the other end, for undo
  std::optional<Vxlan> vxlan;       // vxlan: its tunnel, for undo

  static constexpr Change change = Change::remove;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = false;
  // Ports first: a bridge deleted first would release every port one by one (~0.4 ms each).
  int rank() const { return kind == LinkKind::bridge ? 14 : 13; }
  ObjectKey object_key() const { return {ObjectKind::link, ns, name}; }
  std::string object() const { return at(ns, name); }
  std::string describe() const;
  std::vector<std::string> namespaces_used() const {
    return peer ? std::vector{ns, peer->ns} : std::vector{ns};
  }
  std::optional<Operation> inverse() const;
};

// Drift repair: an owned link that sits in the wrong namespace.
struct MoveLink {
  std::string from_ns, name, to_ns;

  static constexpr Change change = Change::modify;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = false;
  int rank() const { return 40; }
  ObjectKey object_key() const { return {ObjectKind::link, from_ns, name}; }
  std::string object() const { return at(from_ns, name); }
  std::string describe() const {
    return fmt::format("link {} move to namespace {}", at(from_ns, name), to_ns);
  }
  std::vector<std::string> namespaces_used() const { return {from_ns, to_ns}; }
  std::optional<Operation> inverse() const;
};

// Attributes set while the link is down. Each optional is "change this"; old_* undo it.
struct SetLinkAttributes {
  std::string ns, name;
  std::optional<uint32_t> mtu, old_mtu;
  std::optional<MacAddress> mac, old_mac;
  std::optional<std::string> master, old_master;  // "" = no master
  std::optional<std::string> alias, old_alias;    // the ownership mark (adopt)
  std::optional<bool> ipv6_link_local, old_ipv6_link_local;  // IPv6 address generation mode
  // A bridge port's isolation (Interface::isolated); sent after the master change, since the
  // kernel reads a port's settings of the master the link has when the request arrives.
  std::optional<bool> isolated, old_isolated;
  // A new bridge's MTU, ordered after every port joined it: a join resets a bridge's MTU to
  // its ports' smallest unless the MTU was set by a change of its own (not at creation).
  bool after_ports = false;

  static constexpr Change change = Change::modify;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = false;
  int rank() const { return after_ports ? 51 : 50; }
  ObjectKey object_key() const { return {ObjectKind::link, ns, name}; }
  std::string object() const { return at(ns, name); }
  std::string describe() const;
  std::vector<std::string> namespaces_used() const { return {ns}; }
  std::optional<Operation> inverse() const;
};

struct SetLinkUp {
  std::string ns, name;
  bool up = true;

  static constexpr Change change = Change::modify;
  static constexpr ExecutorFamily family = ExecutorFamily::rtnetlink;
  static constexpr bool groupable = false;
  // Down first, so a link taken down never carries traffic half-configured.
  int rank() const { return up ? 61 : 60; }
  ObjectKey object_key() const { return {ObjectKind::link, ns, name}; }
  std::string object() const { return at(ns, name); }
  std::string describe() const { return fmt::format("link {} {}", at(ns, name), up ? "up" : "down"); }
  std::vector<std::string> namespaces_used() const { return {ns}; }
  std::optional<Operation> inverse() const;
};

}  // namespace nstopo::model
