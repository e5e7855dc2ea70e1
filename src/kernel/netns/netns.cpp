#include "kernel/netns/netns.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>

#include "model/fault_points.h"

namespace nstopo::kernel {

namespace {

constexpr const char* kThreadNamespace = "/proc/thread-self/ns/net";

ErrorKind kind_of(int error_number) {
  return error_number == EPERM || error_number == EACCES ? ErrorKind::permission
                                                         : ErrorKind::kernel;
}

std::string path_of(const std::string& netns_dir, const std::string& name) {
  return netns_dir + "/" + name;
}

bool is_namespace_fd(int fd) {
  struct statfs fs {};
  return ::fstatfs(fd, &fs) == 0 && fs.f_type == NSFS_MAGIC;
}

std::unexpected<Error> invalid_name(const std::string& name) {
  return fail(ErrorKind::invalid_input,
              fmt::format("'{}' cannot name a network namespace (empty, '.', '..' or a '/')", name),
              name, EINVAL);
}

}  // namespace

bool valid_namespace_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos;
}

Result<UniqueFd> open_namespace(const std::string& netns_dir, const std::string& name) {
  if (!valid_namespace_name(name)) return invalid_name(name);
  std::string path = path_of(netns_dir, name);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    int e = errno;
    if (e == ENOENT)
      return fail(ErrorKind::kernel, fmt::format("namespace {} does not exist", name), name, e,
                  fmt::format("no {}", path));
    return fail(kind_of(e), fmt::format("cannot open namespace {}", name), name, e,
                fmt::format("cannot open {}: {}", path, std::strerror(e)));
  }
  if (!is_namespace_fd(fd.get()))
    return fail(ErrorKind::kernel, fmt::format("namespace {} does not exist", name), name, EINVAL,
                fmt::format("{} is not a mounted network namespace", path));
  return fd;
}

Result<UniqueFd> open_current_namespace() {
  UniqueFd fd(::open(kThreadNamespace, O_RDONLY | O_CLOEXEC));
  if (!fd)
    return fail(kind_of(errno), "cannot open this thread's network namespace", kThreadNamespace,
                errno);
  return fd;
}

std::optional<FileIdentity> file_identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{st.st_dev, st.st_ino};
}

std::optional<FileIdentity> file_identity(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::nullopt;
  return FileIdentity{st.st_dev, st.st_ino};
}

bool namespace_exists(const std::string& netns_dir, const std::string& name) {
  if (!valid_namespace_name(name)) return false;
  struct statfs fs {};
  return ::statfs(path_of(netns_dir, name).c_str(), &fs) == 0 && fs.f_type == NSFS_MAGIC;
}

bool namespace_file_exists(const std::string& netns_dir, const std::string& name) {
  struct stat st {};
  return valid_namespace_name(name) && ::lstat(path_of(netns_dir, name).c_str(), &st) == 0;
}

bool placeholder_exists(const std::string& netns_dir, const std::string& name) {
  return namespace_file_exists(netns_dir, name) && !namespace_exists(netns_dir, name);
}

Result<NamespaceVisit> NamespaceVisit::enter(int target_fd, int home_fd, std::string_view label) {
  if (::setns(target_fd, CLONE_NEWNET) != 0)
    return fail(kind_of(errno), fmt::format("cannot enter namespace {}", label), std::string(label),
                errno);
  return NamespaceVisit(home_fd);
}

NamespaceVisit::NamespaceVisit(NamespaceVisit&& other) noexcept
    : home_fd_(std::exchange(other.home_fd_, -1)) {}

NamespaceVisit::~NamespaceVisit() {
  if (home_fd_ < 0) return;
  if (::setns(home_fd_, CLONE_NEWNET) != 0) {
    std::fprintf(stderr, "nstopo: cannot return to the host network namespace: %s\n",
                 std::strerror(errno));
    std::abort();
  }
}

Result<void> prepare_namespace_dir(const std::string& netns_dir) {
  std::error_code ec;
  std::filesystem::create_directories(netns_dir, ec);
  if (ec)
    return fail(kind_of(ec.value()), fmt::format("cannot create {}", netns_dir), netns_dir,
                ec.value());
  // As iproute2's netns_add: try to make the directory shared; EINVAL means it is not a
  // mount point yet, so bind it onto itself (once) and try again.
  bool made_mount_point = false;
  while (::mount("", netns_dir.c_str(), "none", MS_SHARED | MS_REC, nullptr) != 0) {
    int e = errno;
    if (e != EINVAL || made_mount_point)
      return fail(kind_of(e), fmt::format("cannot make {} a shared mount", netns_dir), netns_dir,
                  e);
    if (::mount(netns_dir.c_str(), netns_dir.c_str(), "none", MS_BIND | MS_REC, nullptr) != 0)
      return fail(kind_of(errno), fmt::format("cannot bind {} onto itself", netns_dir), netns_dir,
                  errno);
    made_mount_point = true;
  }
  return {};
}

Result<UniqueFd> create_namespace(const std::string& netns_dir, const std::string& name,
                                  int home_fd, const std::function<Result<void>()>& inside) {
  if (!valid_namespace_name(name)) return invalid_name(name);
  std::string path = path_of(netns_dir, name);
  auto failed = [&](int e, std::string what) {
    return fail(kind_of(e), fmt::format("failed to create namespace {}", name), name, e,
                fmt::format("{}: {}", what, std::strerror(e)));
  };

  // The mount point. An empty file left by an interrupted `ip netns add` (or by us) is reused:
  // it is what the name would have been mounted on.
  int file = ::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  if (file < 0) {
    int e = errno;
    struct stat st {};
    bool placeholder = e == EEXIST && !namespace_exists(netns_dir, name) &&
                       ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0;
    if (!placeholder) {
      if (e == EEXIST)
        return fail(ErrorKind::kernel, fmt::format("failed to create namespace {}", name), name, e,
                    fmt::format("{} already exists", path));
      return failed(e, fmt::format("cannot create {}", path));
    }
  } else {
    ::close(file);
  }
  // No fault point here: namespaces are made on worker threads while the plan goes on, and a
  // point reached there would make the numbering of every later point vary from run to run.
  // The window (a file, no mount) is the placeholder that create reuses and delete unlinks.

  // The namespace itself, for this thread only; the bind mount keeps it alive after the thread
  // returns home. The visit's destructor brings the thread back before any cleanup below.
  Result<UniqueFd> made = [&]() -> Result<UniqueFd> {
    if (::unshare(CLONE_NEWNET) != 0) return failed(errno, "unshare(CLONE_NEWNET)");
    auto back_home = NamespaceVisit::already_inside(home_fd);
    if (::mount(kThreadNamespace, path.c_str(), "none", MS_BIND, nullptr) != 0)
      return failed(errno, fmt::format("cannot bind-mount the namespace on {}", path));
    auto fd = open_current_namespace();
    if (!fd) {
      ::umount2(path.c_str(), MNT_DETACH);
      return std::unexpected(fd.error());
    }
    if (auto ok = inside(); !ok) {
      ::umount2(path.c_str(), MNT_DETACH);
      return std::unexpected(ok.error());
    }
    return fd;
  }();
  if (!made) ::unlink(path.c_str());
  return made;
}

Result<void> delete_namespace(const std::string& netns_dir, const std::string& name) {
  if (!valid_namespace_name(name)) return invalid_name(name);
  std::string path = path_of(netns_dir, name);
  // As `ip netns del`: a file that is not mounted (a placeholder) is simply removed.
  ::umount2(path.c_str(), MNT_DETACH);
  model::fault_point("namespace unmounted, not unlinked");
  if (::unlink(path.c_str()) != 0) {
    int e = errno;
    if (e == ENOENT) return {};  // already gone: what a delete wants
    return fail(kind_of(e), fmt::format("failed to delete namespace {}", name), name, e,
                fmt::format("cannot remove {}: {}", path, std::strerror(e)));
  }
  return {};
}

}  // namespace nstopo::kernel
