#pragma once
// What a NetlinkKernel keeps for its run, shared by its three files: netlink_kernel.cpp
// (open, prepare, finish), observer.cpp and executor.cpp.
#include <memory>
#include <set>
#include <span>
#include <string>
#include <unordered_map>

#include "kernel/netlink_kernel.h"
#include "kernel/netlink_socket.h"
#include "kernel/netns.h"
#include "kernel/unique_fd.h"

namespace nstopo::kernel {

// One namespace as the kernel layer holds it: an fd of it (for IFLA_NET_NS_FD and setns)
// and the netlink socket opened inside it, both kept for the whole run.
struct NamespaceHandle {
  std::string name;
  UniqueFd fd;
  std::unique_ptr<NetlinkSocket> socket;
  FileIdentity identity;  // of `fd`: the name still points to it while NETNS_DIR/NAME matches
};

// Creates NS (bind-mounted under netns_dir, as `ip netns add` does), opens its socket from
// inside and sets its loopback up. Touches nothing shared, so it may run on any thread.
Result<NamespaceHandle> make_namespace(const std::string& netns_dir, int home_fd,
                                       const std::string& ns);

struct NetlinkKernel::Impl {
  Impl(KernelOptions options_, const StateStore& store_, LabState& state_)
      : options(std::move(options_)), store(store_), state(state_) {}

  KernelOptions options;
  const StateStore& store;
  LabState& state;
  NamespaceHandle host;
  std::unordered_map<std::string, NamespaceHandle> named;
  bool namespace_dir_ready = false;
  int mutating = 0;

  static bool is_host(std::string_view ns);

  // The handle of a named namespace, or nullptr when NETNS_DIR/NAME is not a namespace (any
  // more). A cached handle is reused only while the name still points to the same namespace
  // (one stat); otherwise it is dropped and the namespace opened anew.
  Result<NamespaceHandle*> find(const std::string& ns);
  // The host's or a named namespace's handle; a missing namespace is an error.
  Result<NamespaceHandle*> require(const std::string& ns);
  // Opens NAME's fd and, from inside it, its socket.
  Result<NamespaceHandle> open_handle(const std::string& ns);

  // observer.cpp
  Result<model::ObservedState> observe(const model::ObserveRequest& request);
  // peer_resolution.cpp: which namespace a veth's peer is in, where ifindexes leave a doubt.
  void resolve_ambiguous_peers(model::ObservedState& observed);

  // executor.cpp
  Result<void> execute(const model::Action& action);
  // namespace_creation.cpp: records the namespaces as the lab's and readies the directory.
  Result<void> before_creating_namespaces(std::span<const std::string> names);
  // A group of CreateNamespace (DeleteNamespace) actions, made (deleted) side by side.
  std::vector<model::ActionOutcome> create_namespaces(std::span<const model::Action> actions);
  std::vector<model::ActionOutcome> delete_namespaces(std::span<const model::Action> actions);
  class ActionRunner;  // one action's visitor
};

}  // namespace nstopo::kernel
