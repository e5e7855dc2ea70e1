// Making and deleting named namespaces, one at a time or a group side by side.
//
// Much of what creating a network namespace costs is the kernel's own set-up of it
// (setup_net: every protocol's per-namespace state and sysctl tables), which does not hold
// the rtnl lock; a group is therefore made on a few threads (kernel/parallel.h).
// Deleting one is an unmount, which waits for an RCU grace period (namespace_unlock); the
// waits of several threads overlap, so a group is deleted on more threads than cores.
#include <variant>

#include "kernel/kernel_impl.h"
#include "kernel/link_requests.h"
#include "kernel/parallel.h"

namespace nstopo::kernel {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

Result<NamespaceHandle> make_namespace(const std::string& netns_dir, int home_fd,
                                       const std::string& ns) {
  std::string message = fmt::format("failed to create namespace {}", ns);
  std::unique_ptr<NetlinkSocket> socket;
  auto fd = create_namespace(netns_dir, ns, home_fd, [&]() -> Result<void> {
    auto opened = NetlinkSocket::open(ns);
    if (!opened) return std::unexpected(opened.error());
    socket = std::move(*opened);
    return {};
  });
  if (!fd) return std::unexpected(fd.error());
  // A new namespace's loopback is down; `ip netns add` leaves it so, nstopo does not.
  LinkChange up;
  up.up = true;
  if (auto done = change_link(*socket, "lo", up); !done) {
    socket.reset();
    (void)delete_namespace(netns_dir, ns);
    return std::unexpected(refusal_error(done.error(), message, ns));
  }
  auto identity = file_identity(fd->get());
  return NamespaceHandle{ns, std::move(*fd), std::move(socket), identity.value_or(FileIdentity{})};
}

Result<void> NetlinkKernel::Impl::before_creating_namespaces(std::span<const std::string> names) {
  // Recorded before they exist (prepare() normally did it already, for the whole plan).
  bool recorded = false;
  for (const auto& ns : names) recorded |= state.namespaces.insert(ns).second;
  if (recorded)
    if (auto saved = store.save(state); !saved) return saved;
  if (!namespace_dir_ready) {
    if (auto ready = prepare_namespace_dir(options.netns_dir); !ready) return ready;
    namespace_dir_ready = true;
  }
  return {};
}

std::vector<model::ActionOutcome> NetlinkKernel::Impl::create_namespaces(
    std::span<const model::Action> actions) {
  std::vector<std::string> names;
  for (const auto& action : actions) names.push_back(std::get<model::CreateNamespace>(action.op).ns);

  std::vector<model::ActionOutcome> outcomes(actions.size());
  if (auto ready = before_creating_namespaces(names); !ready) {
    // Nothing was made: the first creation carries the reason, the rest are not attempted.
    const Error& cause = ready.error();
    outcomes.resize(1);
    outcomes.front().result = std::unexpected(
        Error{cause.kind, fmt::format("failed to create namespace {}", names.front()),
              names.front(), cause.error_number, cause.message});
    return outcomes;
  }

  std::vector<std::optional<Result<NamespaceHandle>>> made(names.size());
  run_in_parallel(names.size(), parallel_workers(names.size(), Work::busy), [&](size_t k, unsigned) {
    auto start = Clock::now();
    made[k] = is_host(names[k])
                  ? fail(ErrorKind::internal,
                         fmt::format("failed to create namespace {}: the host namespace always "
                                     "exists", names[k]),
                         names[k])
                  : make_namespace(options.netns_dir, host.fd.get(), names[k]);
    outcomes[k].took = Clock::now() - start;
  });

  for (size_t k = 0; k < names.size(); ++k) {
    auto& result = *made[k];
    mutating += 2;  // the namespace and its loopback
    if (result) {
      named.insert_or_assign(names[k], std::move(*result));
    } else {
      outcomes[k].result = std::unexpected(std::move(result.error()));
    }
  }
  return outcomes;
}

std::vector<model::ActionOutcome> NetlinkKernel::Impl::delete_namespaces(
    std::span<const model::Action> actions) {
  std::vector<std::string> names;
  for (const auto& action : actions) names.push_back(std::get<model::DeleteNamespace>(action.op).ns);
  // Our fds and sockets would keep the namespaces (and their links) alive: dropped first.
  for (const auto& ns : names) named.erase(ns);

  std::vector<model::ActionOutcome> outcomes(names.size());
  run_in_parallel(names.size(), parallel_workers(names.size(), Work::waiting),
                  [&](size_t k, unsigned) {
                    auto start = Clock::now();
                    outcomes[k].result =
                        is_host(names[k])
                            ? fail(ErrorKind::internal,
                                   fmt::format("failed to delete namespace {}: the host namespace "
                                               "is not ours", names[k]),
                                   names[k])
                            : delete_namespace(options.netns_dir, names[k]);
                    outcomes[k].took = Clock::now() - start;
                  });
  for (size_t k = 0; k < names.size(); ++k) {
    ++mutating;
    if (outcomes[k].result) state.namespaces.erase(names[k]);
  }
  return outcomes;
}

}  // namespace nstopo::kernel
