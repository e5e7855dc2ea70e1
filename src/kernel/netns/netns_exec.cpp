#include "kernel/netns/netns_exec.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <utility>

#include "model/read_all.h"
#include "model/topology.h"

namespace nstopo::kernel {

namespace {

constexpr const char* kEtcNetnsDir = "/etc/netns";
constexpr uint32_t kIfaTentative = 0x40;  // IFA_F_TENTATIVE
constexpr uint32_t kIfaDadFailed = 0x08;  // IFA_F_DADFAILED

bool is_host(const std::string& ns) { return ns == model::kHostNamespace; }

// The kernel layer's open_namespace (kernel/netns/netns.h) does the same; this file keeps its own
// copy so that the service layer does not wait on the netlink layer.
Result<UniqueFd> open_netns(const std::string& netns_dir, const std::string& ns) {
  std::string path = netns_dir + "/" + ns;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return fail(e == ENOENT ? ErrorKind::kernel : ErrorKind::permission,
                fmt::format("cannot open namespace {} ({})", ns, path), ns, e);
  }
  return UniqueFd(fd);
}

// The files of /etc/netns/NAME/, as `ip netns exec` binds them (a missing directory: none).
std::vector<NamespaceEntry::EtcBinding> etc_bindings(const std::string& ns) {
  std::vector<NamespaceEntry::EtcBinding> bindings;
  std::string dir = fmt::format("{}/{}", kEtcNetnsDir, ns);
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return bindings;
  while (const dirent* entry = ::readdir(d)) {
    std::string_view file = entry->d_name;
    if (file == "." || file == "..") continue;
    bindings.push_back({fmt::format("{}/{}", dir, file), fmt::format("/etc/{}", file)});
  }
  ::closedir(d);
  return bindings;
}

// Runs `inside` with the calling thread in namespace `ns`, then brings the thread back.
// Failing to come back would leave this thread acting on another namespace's interfaces for
// the rest of the run: that is not survivable, so it aborts.
template <typename F>
auto visit_namespace(const std::string& netns_dir, const std::string& ns, F&& inside)
    -> Result<std::invoke_result_t<F>> {
  if (is_host(ns)) return inside();
  auto target = open_netns(netns_dir, ns);
  if (!target) return std::unexpected(target.error());
  UniqueFd home(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!home)
    return fail(ErrorKind::internal, "cannot open this thread's own network namespace",
                "/proc/thread-self/ns/net", errno);
  if (::setns(target->get(), CLONE_NEWNET) != 0)
    return fail(errno == EPERM ? ErrorKind::permission : ErrorKind::kernel,
                fmt::format("cannot enter namespace {}", ns), ns, errno);
  auto result = inside();
  if (::setns(home.get(), CLONE_NEWNET) != 0) {
    std::fprintf(stderr, "nstopo: cannot return from namespace %s to its own (errno %d)\n",
                 ns.c_str(), errno);
    std::abort();
  }
  return result;
}

Result<std::string> read_small_file(const char* path) {
  UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) return fail(ErrorKind::kernel, fmt::format("cannot read {}", path), path, errno);
  std::string text;
  if (int e = model::read_to_end<4096>(fd.get(), text); e != 0)
    return fail(ErrorKind::kernel, fmt::format("cannot read {}", path), path, e);
  return text;
}

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < line.size()) {
    size_t start = line.find_first_not_of(" \t", pos);
    if (start == std::string_view::npos) break;
    size_t end = line.find_first_of(" \t", start);
    if (end == std::string_view::npos) end = line.size();
    words.push_back(line.substr(start, end - start));
    pos = end;
  }
  return words;
}

}  // namespace

Result<NamespaceEntry> prepare_namespace_entry(const std::string& netns_dir, const std::string& ns) {
  NamespaceEntry entry;
  entry.name = ns;
  if (is_host(ns)) return entry;
  auto fd = open_netns(netns_dir, ns);
  if (!fd) return std::unexpected(fd.error());
  entry.netns = std::move(*fd);
  entry.etc_bindings = etc_bindings(ns);
  return entry;
}

bool enter_namespace_in_child(const NamespaceEntry& entry, EntryFailure& failure) noexcept {
  using Step = EntryFailure::Step;
  auto failed = [&failure](Step step, int binding = -1) {
    failure = {step, errno, binding};
    return false;
  };
  if (!entry.enters()) return true;
  if (::setns(entry.netns.get(), CLONE_NEWNET) != 0) return failed(Step::setns);
  // A mount namespace of our own, where mounts neither leak back to the host's nor stop
  // following it: iproute2 makes / a recursive slave for the same reason.
  if (::unshare(CLONE_NEWNS) != 0) return failed(Step::unshare_mounts);
  if (::mount("", "/", "none", MS_SLAVE | MS_REC, nullptr) != 0) return failed(Step::make_slave);
  // sysfs shows the interfaces of the namespace that mounted it: mount a fresh one. The old
  // one may not be mounted at all; that is fine.
  ::umount2("/sys", MNT_DETACH);
  unsigned long flags = 0;
  struct statvfs fs {};
  if (::statvfs("/sys", &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0) flags = MS_RDONLY;
  if (::mount(entry.name.c_str(), "/sys", "sysfs", flags, nullptr) != 0)
    return failed(Step::mount_sysfs);
  // Unlike `ip netns exec`, which warns and goes on, a file that cannot be bound stops the
  // start: a service must not run with the host's resolv.conf or hosts by surprise.
  for (size_t i = 0; i < entry.etc_bindings.size(); ++i) {
    const auto& b = entry.etc_bindings[i];
    if (::mount(b.source.c_str(), b.target.c_str(), "none", MS_BIND, nullptr) != 0)
      return failed(Step::bind_etc, static_cast<int>(i));
  }
  return true;
}

std::string describe_entry_failure(const NamespaceEntry& entry, const EntryFailure& failure) {
  using Step = EntryFailure::Step;
  switch (failure.step) {
    case Step::none: break;
    case Step::setns: return fmt::format("cannot enter namespace {}", entry.name);
    case Step::unshare_mounts:
      return fmt::format("cannot make a mount namespace for namespace {}", entry.name);
    case Step::make_slave:
      return fmt::format("cannot make / a slave mount for namespace {}", entry.name);
    case Step::mount_sysfs:
      return fmt::format("cannot mount a fresh sysfs on /sys for namespace {}", entry.name);
    case Step::bind_etc:
      if (failure.binding >= 0 && static_cast<size_t>(failure.binding) < entry.etc_bindings.size()) {
        const auto& b = entry.etc_bindings[static_cast<size_t>(failure.binding)];
        return fmt::format("cannot bind {} over {} for namespace {}", b.source, b.target,
                           entry.name);
      }
      return fmt::format("cannot bind /etc/netns/{} files over /etc", entry.name);
  }
  return fmt::format("cannot enter namespace {}", entry.name);
}

Result<UniqueFd> socket_in_namespace(const std::string& netns_dir, const std::string& ns,
                                     int domain, int type, int protocol) {
  auto made = visit_namespace(netns_dir, ns, [&] {
    return std::pair{::socket(domain, type | SOCK_CLOEXEC, protocol), errno};
  });
  if (!made) return std::unexpected(made.error());
  auto [fd, error_number] = *made;
  if (fd < 0)
    return fail(ErrorKind::kernel, fmt::format("cannot open a socket in namespace {}", ns), ns,
                error_number);
  return UniqueFd(fd);
}

std::vector<std::string> parse_tentative_ipv6_addresses(std::string_view if_inet6) {
  std::vector<std::string> tentative;
  while (!if_inet6.empty()) {
    size_t end = if_inet6.find('\n');
    std::string_view line = if_inet6.substr(0, end);
    if_inet6.remove_prefix(end == std::string_view::npos ? if_inet6.size() : end + 1);
    auto words = split_words(line);
    if (words.size() < 6 || words[0].size() != 32) continue;
    uint32_t flags = 0;
    auto [p, ec] = std::from_chars(words[4].data(), words[4].data() + words[4].size(), flags, 16);
    if (ec != std::errc{} || (flags & kIfaTentative) == 0) continue;
    // Link-local (scope 0x20) addresses are the kernel's own: a service almost never binds
    // one, and waiting for their DAD would add ~1.5 s to every apply that starts a service.
    if (words[3] == "20") continue;
    std::array<unsigned char, 16> bytes{};
    bool valid = true;
    for (size_t i = 0; i < bytes.size() && valid; ++i) {
      auto digits = words[0].substr(2 * i, 2);
      valid = std::from_chars(digits.data(), digits.data() + 2, bytes[i], 16).ec == std::errc{};
    }
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (!valid || ::inet_ntop(AF_INET6, bytes.data(), text.data(), text.size()) == nullptr) continue;
    tentative.push_back(fmt::format("{} on {}{}", text.data(), words[5],
                                    (flags & kIfaDadFailed) != 0 ? " (duplicate address found)" : ""));
  }
  return tentative;
}

Result<std::vector<std::string>> tentative_ipv6_addresses(const std::string& netns_dir,
                                                          const std::string& ns) {
  // /proc/thread-self/net is the calling thread's namespace: read it while inside.
  auto text = visit_namespace(netns_dir, ns, [] {
    return read_small_file("/proc/thread-self/net/if_inet6");
  });
  if (!text) return std::unexpected(text.error());
  if (!*text) {
    if (text->error().error_number == ENOENT) return std::vector<std::string>{};  // no IPv6
    return std::unexpected(text->error());
  }
  return parse_tentative_ipv6_addresses(**text);
}

std::vector<std::string> parse_interface_names(std::string_view net_dev) {
  std::vector<std::string> names;
  for (int line = 0; !net_dev.empty(); ++line) {
    size_t end = net_dev.find('\n');
    std::string_view text = net_dev.substr(0, end);
    net_dev.remove_prefix(end == std::string_view::npos ? net_dev.size() : end + 1);
    size_t colon = text.find(':');
    if (line < 2 || colon == std::string_view::npos) continue;  // the two header lines
    auto words = split_words(text.substr(0, colon));
    if (words.size() == 1) names.emplace_back(words[0]);
  }
  return names;
}

Result<std::vector<std::string>> interface_names(const std::string& netns_dir,
                                                 const std::string& ns) {
  // /proc/thread-self/net is the calling thread's namespace: read it while inside.
  auto text = visit_namespace(netns_dir, ns, [] {
    return read_small_file("/proc/thread-self/net/dev");
  });
  if (!text) return std::unexpected(text.error());
  if (!*text) return std::unexpected(text->error());
  return parse_interface_names(**text);
}

}  // namespace nstopo::kernel
