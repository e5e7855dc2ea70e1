#pragma once
// The lab's state file: what the kernel cannot hold a mark for. Namespaces the lab created
// and services it started. Layout under the state directory (default /run/nstopo, which a
// reboot clears together with /run/netns):
//   <state_dir>/<lab>/state.json     this record (mode 0600, replaced atomically)
//   <state_dir>/<lab>/lock           flock(2) held by the nstopo working on the lab
//   <state_dir>/<lab>/logs/<ns>/<service>.log
// Every file is opened with O_NOFOLLOW: a symlink planted in the state directory is refused.
// The state directory, a lab's directory and its record are trusted only when they are owned
// by the effective uid (root) and not writable by group or others; anything else (a
// directory an unprivileged user could plant a record in) is refused before it is read.
//
// state.json, version 2:
//   {"version": 2, "lab": "seed", "file": "/abs/topology.yaml",
//    "namespaces": {"ns_a": {"cookie": 4097}, "ns_b": {}},      // {} : identity not known yet
//    "pending_links": ["host:veth_a", "ns_a:eth0"],            // being made, maybe unmarked
//    "services": {"ns/name": {...}}}
// Version 1 had "namespaces" as a list of names (no identity): read as namespaces whose
// identity is not known, filled in at the next save.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/error.h"
#include "state/records.h"

namespace nstopo::state {

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
  // Atomic: write a temporary file, fsync-free rename (the directory lives on tmpfs). When
  // the file system is full, the lab's logs make room for the record (make_room).
  Result<void> save(const LabState& state) const;
  // Removes the lab's directory once the lab is gone: state and logs first, the lock file
  // last (the caller holds the lock). A waiter on the removed lock file notices that it
  // locked a file that is gone and starts again (see lock()).
  Result<void> remove(std::string_view lab) const;
  // Labs with a state directory.
  std::vector<std::string> labs() const;
  // Whether the lab has a record (state.json): a directory with only a lock file is a lab
  // being planned, or one whose destroy is finishing.
  bool has_record(std::string_view lab) const;

  // Takes the lab's lock. With wait=true, blocks (calling `on_wait` once first, so the CLI
  // can say "waiting for the lock held by another nstopo"). With wait=false, a held lock is
  // an ErrorKind::busy error.
  // The lock is held only once the locked file is still the one at <lab>/lock: a lab removed
  // (by a destroy) while this one waited leaves the waiter holding a deleted file, and it
  // starts again on the new one.
  template <typename OnWait>
  Result<LabLock> lock(std::string_view lab, bool wait, OnWait on_wait) const {
    return lock_impl(lab, wait, [&] { on_wait(); });
  }

  // Creates `path`'s directory chain with mode 0700 where missing.
  static Result<void> make_private_dirs(const std::string& path);

  // Refuses `path` unless it is a directory (not a symlink) owned by the effective uid and
  // not writable by group or others. `what` names it: "state directory", "lab directory".
  static Result<void> check_trusted_dir(const std::string& path, std::string_view what);

 private:
  Result<void> write_record(const std::string& dir, const std::string& text) const;
  // Frees the room the lab's logs take (on ENOSPC): rotated ones are removed, current ones
  // emptied, with a line saying why. Returns the number of files emptied.
  size_t make_room(std::string_view lab) const;

  Result<int> open_lock_file(std::string_view lab) const;
  Result<LabLock> lock_impl(std::string_view lab, bool wait,
                            const std::function<void()>& on_wait) const;
  // Both the state directory and the lab's (which must exist).
  Result<void> check_lab_dirs(std::string_view lab) const;
  // Makes the state directory (0700, where missing) and the lab's, each checked as above.
  Result<void> make_lab_dir(std::string_view lab) const;
  std::string state_dir_;
};

}  // namespace nstopo::state
