#pragma once
// What a NetlinkKernel keeps for its run, shared by the files that make it up:
// netlink_kernel.cpp (open, prepare, finish), observer.cpp (+ peer_resolution.cpp),
// executor.cpp and namespace_groups.cpp.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>

#include "kernel/netlink_kernel.h"
#include "kernel/netns/netns.h"
#include "kernel/rtnl/netlink_socket.h"
#include "kernel/unique_fd.h"

namespace nstopo::kernel {

// One namespace as the kernel layer holds it: the netlink socket opened inside it, kept for
// the whole run, and for the host an fd of it too (every visit comes back to it). A lab
// namespace keeps no fd of its own: one is opened from its socket when a request needs one
// (namespace_fd), so a lab of N namespaces holds N descriptors, not 2N, and 10,000 of them fit
// under a 20,000 open-file limit.
struct NamespaceHandle {
  std::string name;
  UniqueFd fd;  // the host's; invalid for a lab namespace (see namespace_fd)
  std::unique_ptr<NetlinkSocket> socket;
  FileIdentity identity;  // of NETNS_DIR/NAME when opened: the name still points to it while it matches
  uint64_t cookie = 0;    // its netns cookie (socket->netns_cookie()), 0 when unknown
};

// An fd of HANDLE's namespace for one request (IFLA_NET_NS_FD, setns, a netnsid query): the
// host's own, borrowed, or one opened from the namespace's socket (SIOCGSKNS) and closed when
// this goes. From the socket, not the name: it is the namespace the socket talks to, even if
// the name has been replaced meanwhile.
class NamespaceFd {
 public:
  static Result<NamespaceFd> of(const NamespaceHandle& handle);
  int get() const { return owned_ ? owned_.get() : borrowed_; }

 private:
  UniqueFd owned_;
  int borrowed_ = -1;
};

// The calling thread inside HANDLE's namespace until the result goes (a /proc/sys/net read or
// write answers for the opener's namespace); nullopt for the host, where the thread already is.
Result<std::optional<NamespaceVisit>> visit_unless_host(const NamespaceHandle& handle, int host_fd);

// Creates NS (bind-mounted under netns_dir, as `ip netns add` does), opens its socket from
// inside and sets its loopback up. Touches nothing shared, so it may run on any thread.
Result<NamespaceHandle> make_namespace(const std::string& netns_dir, int home_fd,
                                       const std::string& ns);

// Makes sure the run may hold a descriptor per namespace of a lab this size: raises the
// soft limit, and as root the hard one (up to fs.nr_open), or says before any change that it
// cannot (netlink_kernel.cpp).
Result<void> ensure_open_files(size_t namespaces, const std::string& lab);

struct NetlinkKernel::Impl {
  Impl(KernelOptions options_, const state::StateStore& store_, state::LabState& state_)
      : options(std::move(options_)), store(store_), state(state_) {}

  KernelOptions options;
  const state::StateStore& store;
  state::LabState& state;
  NamespaceHandle host;
  std::unordered_map<std::string, NamespaceHandle> named;
  bool namespace_dir_ready = false;
  int mutating = 0;

  static bool is_host(std::string_view ns);

  // The handle of a named namespace, or nullptr when NETNS_DIR/NAME is not a namespace (any
  // more). A cached handle is reused only while the name still points to the same namespace
  // (one stat); otherwise it is dropped and the namespace opened anew.
  Result<NamespaceHandle*> find(const std::string& ns);
  // find() for many names at once: the namespaces not cached yet are opened side by side
  // (each opening enters the namespace to make its socket, the costly part of reading a big
  // lab), the cache is touched on this thread only. One answer per name, in order.
  std::vector<Result<NamespaceHandle*>> find_all(const std::vector<std::string>& names);
  // The host's or a named namespace's handle; a missing namespace is an error.
  Result<NamespaceHandle*> require(const std::string& ns);
  // Fills in the identity (netns cookie) of each recorded namespace that exists and has none
  // recorded yet (recorded before it was made, or by a version-1 record); drops cookies of
  // names no longer recorded. True when something was filled in.
  bool record_identities();
  // Pending links ("ns:name", LabState::pending_links) this run made and marked, or deleted:
  // finish() takes them off the record.
  std::set<std::string> settled_links;
  bool pending_link_exists(const std::string& key);
  // Opens NAME's fd and, from inside it, its socket.
  Result<NamespaceHandle> open_handle(const std::string& ns);
  // Puts what open_handle() answered for NAME into the cache; a file that is not (or no
  // longer) a namespace (a placeholder, deleted meanwhile) is no handle: nullptr.
  Result<NamespaceHandle*> keep_opened(const std::string& ns, Result<NamespaceHandle> handle);

  // observer.cpp
  Result<model::ObservedState> observe(const model::ObserveRequest& request);
  // peer_resolution.cpp: which namespace a veth's peer is in, where ifindexes leave a doubt.
  void resolve_ambiguous_peers(model::ObservedState& observed);

  // executor.cpp
  Result<void> execute(const model::Action& action);
  // namespace_groups.cpp. Records the namespaces as the lab's and readies the directory:
  Result<void> before_creating_namespaces(std::span<const std::string> names);
  // One namespace, made on this thread:
  Result<void> create_one_namespace(const std::string& ns);
  // A group (Executor::start_independent): creations are made by worker threads while the
  // caller goes on, and collected one by one; deletions (delete_namespaces) and anything
  // else are carried out at once.
  struct StartedGroup;
  std::unique_ptr<StartedGroup> started;
  void start_group(std::span<const model::Action> actions);
  void start_creating(StartedGroup& group);
  model::ActionOutcome collect_group(size_t k);
  // Takes a namespace made by make_namespace into the handles (on the caller's thread).
  Result<void> keep_made_namespace(const std::string& ns, Result<NamespaceHandle> made);
  // DeleteNamespace actions, side by side on threads that mostly wait.
  std::vector<model::ActionOutcome> delete_namespaces(std::span<const model::Action> actions);
  class ActionRunner;  // one action's visitor
};

// A started group of actions (see start_group). Worker threads write a creation's result
// and `finished` under `mutex`; the caller waits on `changed` for the slot it collects.
struct NetlinkKernel::Impl::StartedGroup {
  std::vector<model::ActionOutcome> outcomes;
  std::vector<char> finished;                            // per action (not vector<bool>: slots)
  std::vector<std::string> names;                        // creations: the namespaces
  std::vector<std::optional<Result<NamespaceHandle>>> made;  // creations: what each worker made
                                                         // (nothing when none was tried)
  std::atomic<size_t> next{0};                           // creations: the next to make
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::jthread> workers;  // last: joined first when the group goes
};

}  // namespace nstopo::kernel
