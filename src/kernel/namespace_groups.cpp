// Making and deleting named namespaces, one at a time or a group side by side.
//
// Much of what creating a network namespace costs is the kernel's own set-up of it
// (setup_net: every protocol's per-namespace state and sysctl tables), which does not hold
// the rtnl lock; a group is therefore made on a few threads (kernel/parallel.h).
// Deleting one is an unmount, which waits for an RCU grace period (namespace_unlock); the
// waits of several threads overlap, so a group is deleted on more threads than cores.
#include <algorithm>
#include <system_error>
#include <variant>

#include "kernel/kernel_impl.h"
#include "kernel/parallel.h"
#include "kernel/rtnl/link_requests.h"

namespace nstopo::kernel {

namespace {

using Clock = std::chrono::steady_clock;

std::unexpected<Error> host_is_not_made(const std::string& ns) {
  return fail(ErrorKind::internal,
              fmt::format("failed to create namespace {}: the host namespace always exists", ns),
              ns);
}

// A failure met before making NS (its record, the namespace directory), in NS's words.
Error namespace_error(const Error& cause, const std::string& ns) {
  return Error{cause.kind, fmt::format("failed to create namespace {}", ns), ns,
               cause.error_number, cause.message};
}

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
  uint64_t cookie = socket->netns_cookie();
  // Its fd closes here: the handle keeps the socket alone (kernel_impl.h, NamespaceHandle).
  return NamespaceHandle{ns, UniqueFd{}, std::move(socket), identity.value_or(FileIdentity{}),
                         cookie};
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

Result<void> NetlinkKernel::Impl::keep_made_namespace(const std::string& ns, Result<NamespaceHandle> made) {
  mutating += 2;  // the namespace and its loopback
  if (!made) return std::unexpected(std::move(made.error()));
  // Its identity, recorded with its name at the next save: a namespace of this name with
  // another cookie is someone else's.
  if (made->cookie != 0) state.namespace_cookies[ns] = made->cookie;
  named.insert_or_assign(ns, std::move(*made));
  return {};
}

Result<void> NetlinkKernel::Impl::create_one_namespace(const std::string& ns) {
  if (is_host(ns)) return host_is_not_made(ns);
  std::string names[] = {ns};
  if (auto ready = before_creating_namespaces(names); !ready)
    return std::unexpected(namespace_error(ready.error(), ns));
  return keep_made_namespace(ns, make_namespace(options.netns_dir, host.fd.get(), ns));
}

void NetlinkKernel::Impl::start_group(std::span<const model::Action> actions) {
  started.reset();  // run_plan collects a group whole before it starts the next
  auto group = std::make_unique<StartedGroup>();
  group->outcomes.resize(actions.size());
  group->finished.assign(actions.size(), false);

  if (model::all_of_kind<model::CreateNamespace>(actions)) {
    for (const auto& action : actions)
      group->names.push_back(std::get<model::CreateNamespace>(action.op).ns);
    group->made.resize(actions.size());
    if (auto ready = before_creating_namespaces(group->names); !ready) {
      for (size_t k = 0; k < actions.size(); ++k) {  // nothing is tried: each says why
        group->outcomes[k].result =
            std::unexpected(namespace_error(ready.error(), group->names[k]));
        group->finished[k] = true;
      }
    } else {
      start_creating(*group);
    }
  } else if (model::all_of_kind<model::DeleteNamespace>(actions)) {
    group->outcomes = delete_namespaces(actions);
    group->finished.assign(actions.size(), true);
  } else {
    for (size_t k = 0; k < actions.size(); ++k) {
      auto start = Clock::now();
      group->outcomes[k].result = execute(actions[k]);
      group->outcomes[k].took = Clock::now() - start;
      group->finished[k] = true;
    }
  }
  started = std::move(group);
}

// The group's namespaces are made by worker threads while the caller goes on; each result
// lands in its slot, and collect_group waits for the one it needs.
void NetlinkKernel::Impl::start_creating(StartedGroup& group) {
  auto work = [this, &group] {
    for (size_t k; (k = group.next.fetch_add(1)) < group.names.size();) {
      auto start = Clock::now();
      auto made = is_host(group.names[k])
                      ? Result<NamespaceHandle>(host_is_not_made(group.names[k]))
                      : make_namespace(options.netns_dir, host.fd.get(), group.names[k]);
      std::lock_guard lock(group.mutex);
      group.made[k] = std::move(made);
      group.outcomes[k].took = Clock::now() - start;
      group.finished[k] = true;
      group.changed.notify_all();
    }
  };
  // The caller's thread goes on with the plan: it is one of the busy threads.
  unsigned workers = std::max(1u, parallel_workers(group.names.size(), Work::busy) - 1);
  for (unsigned t = 0; t < workers; ++t) {
    try {
      group.workers.emplace_back(work);
    } catch (const std::system_error&) {
      break;
    }
  }
  if (group.workers.empty()) work();  // no thread to be had: made here and now
}

model::ActionOutcome NetlinkKernel::Impl::collect_group(size_t k) {
  StartedGroup& group = *started;
  {
    std::unique_lock lock(group.mutex);
    group.changed.wait(lock, [&] { return static_cast<bool>(group.finished[k]); });
  }
  model::ActionOutcome outcome = std::move(group.outcomes[k]);
  if (k < group.made.size() && group.made[k])  // a creation that was tried
    outcome.result = keep_made_namespace(group.names[k], std::move(*group.made[k]));
  if (k + 1 == group.finished.size()) started.reset();  // collected whole (in order)
  return outcome;
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
    if (outcomes[k].result) {
      state.namespaces.erase(names[k]);
      state.namespace_cookies.erase(names[k]);
    }
  }
  return outcomes;
}

}  // namespace nstopo::kernel
