#pragma once
// Named network namespaces, made, opened and removed the way `ip netns` makes them
// (iproute2 ip/ipnetns.c, lib/namespace.c): an nsfs bind mount at NETNS_DIR/NAME on a shared
// mount point, so that `ip netns list` and `ip netns exec` see ours and theirs alike.
//
// setns(2) is per thread. Every function that moves the calling thread into a namespace
// brings it back before returning, on every path; failing to come back aborts the process,
// because a thread left in the wrong namespace would go on to change the wrong interfaces.
#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/unique_fd.h"
#include "model/error.h"

namespace nstopo::kernel {

// A name usable as a file under the namespace directory: not empty, no '/', not "." or "..".
bool valid_namespace_name(std::string_view name);

// Opens NETNS_DIR/NAME. Fails with ENOENT when there is no such file and with EINVAL when the
// file is not a network namespace (a placeholder left by an interrupted `ip netns add`).
Result<UniqueFd> open_namespace(const std::string& netns_dir, const std::string& name);

// The calling thread's own network namespace (/proc/thread-self/ns/net).
Result<UniqueFd> open_current_namespace();

// Which file a path or fd is (device and inode). For a mounted namespace that is the
// namespace itself (its nsfs inode): comparing the identity of NETNS_DIR/NAME with that of a
// cached namespace fd tells, with one stat(2), whether the name still points to it.
struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  bool operator==(const FileIdentity&) const = default;
};
std::optional<FileIdentity> file_identity(const std::string& path);  // nullopt: no such file
std::optional<FileIdentity> file_identity(int fd);

// True when NETNS_DIR/NAME is a mounted network namespace.
bool namespace_exists(const std::string& netns_dir, const std::string& name);
// True when NETNS_DIR/NAME exists but is not a namespace: the file an interrupted `ip netns
// add`, or a delete killed between unmount and unlink, leaves behind.
bool placeholder_exists(const std::string& netns_dir, const std::string& name);
// True when NETNS_DIR/NAME exists at all (a namespace or anything else).
bool namespace_file_exists(const std::string& netns_dir, const std::string& name);

// Moves the calling thread into a namespace; the destructor brings it back to `home_fd`.
class NamespaceVisit {
 public:
  // `label` names the namespace in the error message.
  static Result<NamespaceVisit> enter(int target_fd, int home_fd, std::string_view label);
  // Adopts a thread that is already elsewhere (after unshare): only the way back.
  static NamespaceVisit already_inside(int home_fd) { return NamespaceVisit(home_fd); }
  NamespaceVisit(NamespaceVisit&& other) noexcept;
  NamespaceVisit& operator=(NamespaceVisit&&) = delete;
  NamespaceVisit(const NamespaceVisit&) = delete;
  NamespaceVisit& operator=(const NamespaceVisit&) = delete;
  ~NamespaceVisit();

 private:
  explicit NamespaceVisit(int home_fd) : home_fd_(home_fd) {}
  int home_fd_ = -1;  // -1: moved from
};

// Makes `netns_dir` exist and be a shared mount point, as `ip netns add` does, so that
// unmounting a namespace in one mount namespace unmounts it everywhere.
Result<void> prepare_namespace_dir(const std::string& netns_dir);

// Creates the namespace NAME: the file, a fresh network namespace for the calling thread
// (unshare), the bind mount of it onto the file. `inside` runs while the thread is in the new
// namespace (to open its netlink socket there); then the thread returns to `home_fd`.
// Expects prepare_namespace_dir to have been called. On failure nothing is left behind.
// Returns an fd of the new namespace.
Result<UniqueFd> create_namespace(const std::string& netns_dir, const std::string& name,
                                  int home_fd, const std::function<Result<void>()>& inside);

// Removes the namespace NAME as `ip netns del` does: detach the mount, remove the file. The
// namespace itself ends when its last user (process, fd, socket) is gone; the links in it go
// with it, and a veth peer elsewhere shortly after (the kernel cleans up asynchronously).
Result<void> delete_namespace(const std::string& netns_dir, const std::string& name);

}  // namespace nstopo::kernel
