// NetlinkKernel: opening (privileges, the host namespace), the namespace handles, and the
// state-file bookkeeping around a run (prepare, finish). Observing and executing live in
// observer.cpp and executor.cpp.
#include "kernel/netlink_kernel.h"

#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <optional>
#include <variant>
#include <vector>

#include "kernel/kernel_impl.h"
#include "kernel/parallel.h"
#include "kernel/rtnl/link_requests.h"

namespace nstopo::kernel {

namespace {

constexpr const char* kNeedRoot =
    "nstopo needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to change network namespaces; "
    "run it with sudo";

// CAP_NET_ADMIN (links, addresses, routes) and CAP_SYS_ADMIN (setns, unshare, mount) in the
// calling thread's effective set. Asked with the raw capget(2): no libcap for two bits.
bool has_capabilities() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capget, &header, data) != 0) return false;
  auto effective = [&](int capability) {
    return (data[capability / 32].effective & (1u << (capability % 32))) != 0;
  };
  return effective(CAP_NET_ADMIN) && effective(CAP_SYS_ADMIN);
}

// Two descriptors per namespace (its fd and its socket) are kept for the run: a lab of a few
// thousand namespaces needs more than the usual soft limit of 1024. Raising the soft limit up
// to the hard one is what any process may do.
void raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

// fs.nr_open: the most any process's hard limit may be raised to; 1048576 unless changed.
rlim_t open_files_ceiling() {
  std::ifstream file("/proc/sys/fs/nr_open");
  rlim_t value = 0;
  if (file >> value) return value;
  return 1048576;
}

}  // namespace

Result<void> ensure_open_files(size_t namespaces, const std::string& lab) {
  // One per namespace for the run (its socket), and room for the rest (sockets of the host,
  // files, the namespace fds worker threads hold for a moment; services starting side by side
  // hold about six each, 32 at once by default).
  rlim_t needed = static_cast<rlim_t>(namespaces + 512);
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
  if (limit.rlim_cur >= needed) return {};
  if (limit.rlim_max < needed) {
    // Root may raise the hard limit too (CAP_SYS_RESOURCE), up to fs.nr_open.
    rlimit raised{needed, needed};
    if (needed <= open_files_ceiling() && ::setrlimit(RLIMIT_NOFILE, &raised) == 0) return {};
  } else {
    rlimit raised{needed, limit.rlim_max};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) return {};
  }
  return fail(ErrorKind::kernel,
              fmt::format("lab {} has {} namespaces: nstopo keeps an open file for each (its "
                          "netlink socket), about {} in all, but its open-file "
                          "limit is {} (hard {}, fs.nr_open {}) and cannot be raised; nothing "
                          "was changed",
                          lab, namespaces, needed, limit.rlim_cur, limit.rlim_max,
                          open_files_ceiling()),
              lab, EMFILE);
}

bool NetlinkKernel::Impl::is_host(std::string_view ns) { return ns == model::kHostNamespace; }

Result<NamespaceHandle> NetlinkKernel::Impl::open_handle(const std::string& ns) {
  auto fd = open_namespace(options.netns_dir, ns);
  if (!fd) return std::unexpected(fd.error());
  auto identity = file_identity(fd->get());
  if (!identity)
    return fail(ErrorKind::kernel, fmt::format("cannot inspect namespace {}", ns), ns, errno);
  std::unique_ptr<NetlinkSocket> socket;
  {
    auto visit = NamespaceVisit::enter(fd->get(), host.fd.get(), ns);
    if (!visit) return std::unexpected(visit.error());
    auto opened = NetlinkSocket::open(ns);
    if (!opened) return std::unexpected(opened.error());
    socket = std::move(*opened);
  }  // back in the host namespace
  uint64_t cookie = socket->netns_cookie();
  return NamespaceHandle{ns, UniqueFd{}, std::move(socket), *identity, cookie};  // fd closed
}

Result<std::optional<NamespaceVisit>> visit_unless_host(const NamespaceHandle& handle, int host_fd) {
  if (handle.name == model::kHostNamespace) return std::optional<NamespaceVisit>{};
  auto fd = NamespaceFd::of(handle);
  if (!fd) return std::unexpected(fd.error());
  auto entered = NamespaceVisit::enter(fd->get(), host_fd, handle.name);
  if (!entered) return std::unexpected(entered.error());
  return std::optional<NamespaceVisit>(std::move(*entered));
}

Result<NamespaceFd> NamespaceFd::of(const NamespaceHandle& handle) {
  NamespaceFd fd;
  if (handle.fd) {
    fd.borrowed_ = handle.fd.get();
    return fd;
  }
  fd.owned_.reset(handle.socket->open_namespace_fd());
  if (!fd.owned_)
    return fail(ErrorKind::kernel, fmt::format("cannot open namespace {} from its socket", handle.name),
                handle.name, errno);
  return fd;
}

namespace {

// What find() makes of NAME without opening it: an answer, or nothing when it must be opened.
std::optional<Result<NamespaceHandle*>> cached_answer(
    std::unordered_map<std::string, NamespaceHandle>& named, const std::string& netns_dir,
    const std::string& ns) {
  if (!valid_namespace_name(ns)) return static_cast<NamespaceHandle*>(nullptr);
  auto identity = file_identity(netns_dir + "/" + ns);
  auto cached = named.find(ns);
  if (cached != named.end()) {
    if (identity && *identity == cached->second.identity) return &cached->second;
    named.erase(cached);  // deleted, or replaced by another namespace of the same name
  }
  if (!identity) return static_cast<NamespaceHandle*>(nullptr);
  return std::nullopt;
}

}  // namespace

// An opened handle into the cache; a file that is not (or no longer) a namespace (a
// placeholder, or deleted meanwhile) is no handle.
Result<NamespaceHandle*> NetlinkKernel::Impl::keep_opened(const std::string& ns,
                                                        Result<NamespaceHandle> handle) {
  if (!handle) {
    int e = handle.error().error_number;
    if (e == ENOENT || e == EINVAL) return static_cast<NamespaceHandle*>(nullptr);
    return std::unexpected(handle.error());
  }
  return &named.insert_or_assign(ns, std::move(*handle)).first->second;
}

Result<NamespaceHandle*> NetlinkKernel::Impl::find(const std::string& ns) {
  if (auto answer = cached_answer(named, options.netns_dir, ns)) return std::move(*answer);
  return keep_opened(ns, open_handle(ns));
}

std::vector<Result<NamespaceHandle*>> NetlinkKernel::Impl::find_all(
    const std::vector<std::string>& names) {
  std::vector<Result<NamespaceHandle*>> answers(names.size(), nullptr);
  std::vector<size_t> to_open;
  for (size_t k = 0; k < names.size(); ++k) {
    if (auto answer = cached_answer(named, options.netns_dir, names[k]))
      answers[k] = std::move(*answer);
    else
      to_open.push_back(k);
  }
  std::vector<std::optional<Result<NamespaceHandle>>> opened(to_open.size());
  run_in_parallel(to_open.size(), parallel_workers(to_open.size(), Work::busy),
                  [&](size_t i, unsigned) { opened[i] = open_handle(names[to_open[i]]); });
  for (size_t i = 0; i < to_open.size(); ++i)
    answers[to_open[i]] = keep_opened(names[to_open[i]], std::move(*opened[i]));
  return answers;
}

bool NetlinkKernel::Impl::record_identities() {
  bool filled = false;
  for (auto it = state.namespace_cookies.begin(); it != state.namespace_cookies.end();)
    it = state.namespaces.contains(it->first) ? std::next(it) : state.namespace_cookies.erase(it);
  for (const auto& ns : state.namespaces) {
    if (state.namespace_cookies.contains(ns)) continue;
    auto handle = find(ns);
    if (!handle || *handle == nullptr || (*handle)->cookie == 0) continue;
    state.namespace_cookies[ns] = (*handle)->cookie;
    filled = true;
  }
  return filled;
}

bool NetlinkKernel::Impl::pending_link_exists(const std::string& key) {
  auto colon = key.find(':');
  if (colon == std::string::npos) return false;
  std::string ns = key.substr(0, colon);
  auto handle = is_host(ns) ? Result<NamespaceHandle*>(&host) : find(ns);
  if (!handle || *handle == nullptr) return false;
  auto index = link_index(*(*handle)->socket, key.substr(colon + 1));
  // Unsure (a failed request): kept, so that the next run still knows the link.
  return index.has_value() || index.error().error_number != ENODEV;
}

Result<NamespaceHandle*> NetlinkKernel::Impl::require(const std::string& ns) {
  if (is_host(ns)) return &host;
  auto handle = find(ns);
  if (!handle) return handle;
  if (*handle == nullptr)
    return fail(ErrorKind::kernel, fmt::format("namespace {} does not exist", ns), ns, ENOENT);
  return handle;
}

NetlinkKernel::NetlinkKernel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

NetlinkKernel::~NetlinkKernel() = default;

Result<std::unique_ptr<NetlinkKernel>> NetlinkKernel::open(KernelOptions options,
                                                           const state::StateStore& store,
                                                           state::LabState& state) {
  if (!has_capabilities()) return fail(ErrorKind::permission, kNeedRoot);
  raise_open_file_limit();
  auto impl = std::make_unique<Impl>(std::move(options), store, state);
  auto host_fd = open_current_namespace();
  if (!host_fd) return std::unexpected(host_fd.error());
  auto socket = NetlinkSocket::open(model::kHostNamespace);
  if (!socket) return std::unexpected(socket.error());
  auto identity = file_identity(host_fd->get());
  impl->host = NamespaceHandle{std::string(model::kHostNamespace), std::move(*host_fd),
                               std::move(*socket), identity.value_or(FileIdentity{})};
  return std::unique_ptr<NetlinkKernel>(new NetlinkKernel(std::move(impl)));
}

Result<model::ObservedState> NetlinkKernel::observe(const model::ObserveRequest& request) {
  return impl_->observe(request);
}

Result<void> NetlinkKernel::prepare(const model::Plan& plan) {
  // Ownership is written down before the namespace exists: a crash in between leaves a
  // record of a missing namespace (dropped by the next finish), never a namespace nobody owns.
  // So are the links about to be made: one killed before its alias is set is still known to
  // be the lab's (LabState::pending_links). One write for the whole plan.
  auto& state = impl_->state;
  bool recorded = impl_->record_identities();
  auto pending = [&](const std::string& ns, const std::string& name) {
    recorded |= state.pending_links.insert(fmt::format("{}:{}", ns, name)).second;
  };
  for (const auto& action : plan.actions) {
    if (const auto* create = std::get_if<model::CreateNamespace>(&action.op))
      recorded |= state.namespaces.insert(create->ns).second;
    if (const auto* veth = std::get_if<model::CreateVeth>(&action.op)) {
      pending(veth->a.ns, veth->a.ifname);
      pending(veth->b.ns, veth->b.ifname);
    }
    if (const auto* bridge = std::get_if<model::CreateBridge>(&action.op))
      pending(bridge->ns, bridge->name);
    if (const auto* vxlan = std::get_if<model::CreateVxlan>(&action.op))
      pending(vxlan->ns, vxlan->name);
  }
  if (!recorded) return {};
  return impl_->store.save(state);
}

Result<void> NetlinkKernel::execute(const model::Action& action) { return impl_->execute(action); }

void NetlinkKernel::start_independent(std::span<const model::Action> actions) {
  impl_->start_group(actions);
}

model::ActionOutcome NetlinkKernel::collect_started(size_t k) { return impl_->collect_group(k); }

Result<void> NetlinkKernel::finish() {
  auto& state = impl_->state;
  // A record is dropped only when nothing of the namespace is left: a placeholder (a delete
  // killed between unmount and unlink) keeps it, so that the next run removes the file.
  for (auto it = state.namespaces.begin(); it != state.namespaces.end();) {
    if (namespace_file_exists(impl_->options.netns_dir, *it)) {
      ++it;
      continue;
    }
    state.namespace_cookies.erase(*it);
    it = state.namespaces.erase(it);
  }
  impl_->record_identities();
  // Pending links this run settled (marked, or deleted) are done; one it did not settle stays
  // pending only while it is still there to be marked.
  for (auto it = state.pending_links.begin(); it != state.pending_links.end();)
    it = impl_->settled_links.contains(*it) || !impl_->pending_link_exists(*it)
             ? state.pending_links.erase(it)
             : std::next(it);
  impl_->settled_links.clear();
  return impl_->store.save(state);
}

int NetlinkKernel::mutating_requests() const { return impl_->mutating; }

}  // namespace nstopo::kernel
