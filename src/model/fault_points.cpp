#include "model/fault_points.h"

#ifdef NSTOPO_FAULT_POINTS
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

namespace nstopo::model {

namespace {

struct FaultConfig {
  long stop_at = 0;  // 0: never
  int signal = SIGKILL;
  int trace_fd = -1;
};

const FaultConfig& config() {
  static const FaultConfig loaded = [] {
    FaultConfig c;
    if (const char* at = std::getenv("NSTOPO_FAULT_AT")) c.stop_at = std::strtol(at, nullptr, 10);
    if (const char* name = std::getenv("NSTOPO_FAULT_SIGNAL")) {
      if (std::strcmp(name, "TERM") == 0) c.signal = SIGTERM;
      if (std::strcmp(name, "INT") == 0) c.signal = SIGINT;
    }
    if (const char* path = std::getenv("NSTOPO_FAULT_TRACE"))
      c.trace_fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    return c;
  }();
  return loaded;
}

std::atomic<long> reached{0};

}  // namespace

void fault_point_reached(std::string_view where) {
  const FaultConfig& c = config();
  long k = ++reached;
  if (c.trace_fd >= 0) {
    std::string line = std::to_string(k) + " " + std::string(where) + "\n";
    ssize_t ignored = ::write(c.trace_fd, line.data(), line.size());
    (void)ignored;
  }
  if (c.stop_at == k) ::raise(c.signal);
}

}  // namespace nstopo::model
#endif
