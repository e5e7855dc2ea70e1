#pragma once
// Shared state of one planning pass: the inputs, indexes over the observed state (so that
// no lookup is linear: plans run at 1000 namespaces), ownership rules, and the output.
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/observed.h"
#include "plan/planner.h"

namespace nstopo::plan {

using LinkKey = std::pair<std::string, std::string>;  // (namespace, interface)

class DiffContext {
 public:
  DiffContext(const model::Topology& desired, const model::ObservedState& observed,
              const PlanOptions& options);

  const model::Topology& desired;
  const model::ObservedState& observed;
  const PlanOptions& options;

  // Output.
  std::vector<model::Action> actions;
  std::vector<Conflict> conflicts;
  std::set<std::string> adopted_namespaces;
  std::set<std::string> forgotten_namespaces;  // recorded, but replaced: no longer the lab's

  void add(model::Operation op, model::Reason reason) {
    actions.push_back(model::Action{std::move(op), std::move(reason)});
  }
  // A step of a creation this run plans too.
  void add_creation_step(model::Operation op) {
    actions.push_back(model::Action{std::move(op), model::Reason::creation_step()});
  }
  void conflict(model::ObjectKey key, std::string message) {
    conflicts.push_back(Conflict{key.to_string(), std::move(message), std::move(key)});
  }

  // Namespaces.
  bool namespace_exists(const std::string& ns) const;
  bool namespace_owned(const std::string& ns) const;  // the host never is
  // Recorded as the lab's, but the name now points to another namespace (its netns cookie is
  // not the recorded one): deleted and made again outside nstopo. Not the lab's.
  bool namespace_replaced(const std::string& ns) const;
  // NETNS_DIR/NAME is a file that is no namespace (an interrupted create or delete left it).
  bool namespace_placeholder(const std::string& ns) const;
  // True when the namespace will be (re)created this run: nothing observed in it counts.
  std::set<std::string> namespaces_to_create;
  std::set<std::string> namespaces_to_delete;
  // Declared, existing, not the lab's: one conflict for the namespace, nothing planned inside.
  std::set<std::string> namespaces_foreign;
  bool namespace_foreign(const std::string& ns) const { return namespaces_foreign.contains(ns); }
  // Left out of the plan: in a foreign namespace, or a veth end whose peer is in one.
  bool interface_skipped(const std::string& ns, const std::string& ifname) const;
  bool namespace_fresh(const std::string& ns) const { return namespaces_to_create.contains(ns); }
  bool namespace_going(const std::string& ns) const { return namespaces_to_delete.contains(ns); }
  // Going, but processes are still inside: they are stopped first, and its veths are deleted
  // from the other end too, should the namespace outlive its name anyway (a process that
  // survives SIGKILL, a file descriptor held elsewhere).
  std::set<std::string> namespaces_held;
  bool namespace_held(const std::string& ns) const { return namespaces_held.contains(ns); }

  // Links: the observed link named (ns, name), nullptr when absent or its namespace is fresh.
  const model::ObservedLink* link(const std::string& ns, const std::string& name) const;
  bool link_owned(const model::ObservedLink& link) const { return link.alias == owner_alias_; }
  // A link the record says a run was making (LabState::pending_links) that has no alias: that
  // run was killed before it marked it. It is the lab's, to be marked.
  bool link_left_unmarked(const std::string& ns, const model::ObservedLink& link) const {
    return link.alias.empty() && observed.pending_links.contains(ns + ":" + link.name);
  }
  // True when the two observed veths are each other's peer.
  bool are_peers(const std::string& ns_a, const model::ObservedLink& a, const std::string& ns_b,
                 const model::ObservedLink& b) const;
  // The observed veth that is `link`'s peer, with its namespace; {"", nullptr} if unknown or
  // ambiguous.
  std::pair<std::string, const model::ObservedLink*> veth_peer(const std::string& ns,
                                                               const model::ObservedLink& link) const;
  // Links (re)created or moved this run (a move takes a link down and flushes its addresses
  // and routes), and links deleted: their addresses and routes need no diff of their own.
  std::set<LinkKey> links_fresh;
  std::set<LinkKey> links_deleted;
  bool link_going(const std::string& ns, const std::string& name) const;

  // Addresses and routes are ours when they carry our mark and sit in one of our namespaces
  // or on one of our links (the host is shared with other labs, which use the same mark).
  bool address_owned(const std::string& ns, const model::ObservedAddress& address) const;
  bool route_owned(const std::string& ns, const model::ObservedRoute& route) const;

  const model::ObservedNamespace* observed_namespace(const std::string& ns) const;
  const std::string& owner_alias() const { return owner_alias_; }

 private:
  std::string owner_alias_;
  std::map<LinkKey, const model::ObservedLink*> links_;
  // (ifindex, peer ifindex) -> every (namespace, veth) with them. Indexes are per namespace, so
  // several namespaces can hold a veth 2 whose peer is 2: the observer's peer_ns settles it.
  std::multimap<std::pair<int, int>, std::pair<std::string, const model::ObservedLink*>>
      veth_by_index_;
};

// One pass per object class, in planner.cpp's order.
void diff_namespaces(DiffContext& ctx);
void diff_links(DiffContext& ctx);
void diff_addresses(DiffContext& ctx);
void diff_routes(DiffContext& ctx);
void diff_impairments(DiffContext& ctx);
void diff_sysctls(DiffContext& ctx);
void diff_name_files(DiffContext& ctx);
void diff_services(DiffContext& ctx);
void diff_nat(DiffContext& ctx);

}  // namespace nstopo::plan
