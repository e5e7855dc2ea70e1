#pragma once
// The lab's state file: what the kernel cannot hold a mark for. Namespaces the lab created
// and services it started. Layout under the state directory (default /run/nstopo, which a
// reboot clears together with /run/netns):
//   <state_dir>/<lab>/state.json     this record (mode 0600, replaced atomically)
//   <state_dir>/<lab>/lock           flock(2) held by the nstopo working on the lab
//   <state_dir>/<lab>/logs/<ns>/<service>.log
// Every file is opened with O_NOFOLLOW: a symlink planted in the state directory is refused.
#include <cstdint>
#include <functional>
#include <utility>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/error.h"
#include "model/observed.h"

namespace nstopo::kernel {

struct ServiceRecord {
  std::string ns;
  std::string name;
  int pid = 0;
  uint64_t start_time = 0;  // /proc/PID/stat field 22, in clock ticks since boot
  std::string spec_hash;
};

struct LabState {
  std::string lab;
  std::string topology_file;                   // absolute path of the file last applied
  std::set<std::string> namespaces;            // created by this lab
  std::map<std::string, ServiceRecord> services;  // key "ns/name"
  // Host sysctls the lab changed: key -> {the host's original value, the value the lab set}.
  // Written before the value is (JSON "host_sysctls"; a record without it has none).
  std::map<std::string, model::HostSysctlRecord> host_sysctls;
  static std::string service_key(std::string_view ns, std::string_view name);
};

// Holds the lab's lock until destroyed.
class LabLock {
 public:
  LabLock() = default;
  explicit LabLock(int fd) : fd_(fd) {}
  LabLock(LabLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  LabLock& operator=(LabLock&& other) noexcept;
  LabLock(const LabLock&) = delete;
  LabLock& operator=(const LabLock&) = delete;
  ~LabLock();

 private:
  int fd_ = -1;
};

class StateStore {
 public:
  explicit StateStore(std::string state_dir) : state_dir_(std::move(state_dir)) {}

  const std::string& state_dir() const { return state_dir_; }
  std::string lab_dir(std::string_view lab) const;
  std::string log_path(std::string_view lab, std::string_view ns, std::string_view service) const;

  // A missing file is an empty state for `lab`.
  Result<LabState> load(std::string_view lab) const;
  // Atomic: write a temporary file, fsync-free rename (the directory lives on tmpfs).
  Result<void> save(const LabState& state) const;
  // Removes the lab's directory (state, logs, lock file) once the lab is gone.
  Result<void> remove(std::string_view lab) const;
  // Labs with a state directory.
  std::vector<std::string> labs() const;

  // Takes the lab's lock. With wait=true, blocks (calling `on_wait` once first, so the CLI
  // can say "waiting for the lock held by another nstopo"). With wait=false, a held lock is
  // an ErrorKind::busy error.
  template <typename OnWait>
  Result<LabLock> lock(std::string_view lab, bool wait, OnWait on_wait) const {
    auto fd = open_lock_file(lab);
    if (!fd) return std::unexpected(fd.error());
    return acquire(*fd, lab, wait, [&] { on_wait(); });
  }

  // Creates `path`'s directory chain with mode 0700 where missing.
  static Result<void> make_private_dirs(const std::string& path);

 private:
  Result<int> open_lock_file(std::string_view lab) const;
  Result<LabLock> acquire(int fd, std::string_view lab, bool wait,
                          const std::function<void()>& on_wait) const;
  std::string state_dir_;
};

}  // namespace nstopo::kernel
