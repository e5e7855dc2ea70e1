#pragma once
// Service logs: <state_dir>/<lab>/logs/<ns>/<service>.log, appended across restarts and
// rotated once (to .log.1) when a start finds it larger than a bound. Never followed through
// a symlink, at any level below the state directory; directories 0700, files 0600.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

#include "kernel/unique_fd.h"
#include "model/error.h"

namespace nstopo::services {

inline constexpr uint64_t kMaxLogBytes = 1 << 20;

// Opens `path` (which lies under `state_dir`) for appending, creating the missing directories
// between them. A symlink or other non-directory on the way, or anything but a regular file
// at `path`, is refused (ErrorKind::conflict). When the file holds more than `max_bytes`,
// it first becomes `path`.1 (replacing the previous one).
Result<kernel::UniqueFd> open_service_log(const std::string& state_dir, const std::string& path,
                                          uint64_t max_bytes = kMaxLogBytes);

// The last `max_lines` lines of the log (from its last 64 KiB); empty when it cannot be read.
std::string log_tail(const std::string& path, size_t max_lines = 10);

// Copies the log to `out`, its rotated part (`path`.1) first. With `follow`, keeps printing what is appended (and starts over
// when the log is rotated), polling until `keep_following` says stop; without it, until the
// process is interrupted (`nstopo logs -f`).
Result<void> print_log(const std::string& path, bool follow, std::FILE* out,
                       const std::function<bool()>& keep_following = {});

}  // namespace nstopo::services
