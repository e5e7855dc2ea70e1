// Which network namespace a process is in, by the inode of its nsfs file: the same number
// `stat` gives for the bind mount NETNS_DIR/NS of a named namespace.
#include <sys/stat.h>

#include <string>

#include "model/topology.h"
#include "services/process_spawner.h"

namespace nstopo::services {

namespace {

std::optional<uint64_t> inode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return static_cast<uint64_t>(st.st_ino);
}

}  // namespace

std::optional<uint64_t> ProcessSpawner::netns_inode_of(int pid) {
  if (pid <= 0) return std::nullopt;
  return inode_of(fmt::format("/proc/{}/ns/net", pid));
}

std::optional<uint64_t> ProcessSpawner::namespace_inode(const std::string& netns_dir,
                                                        const std::string& ns) {
  if (ns == model::kHostNamespace) return inode_of("/proc/self/ns/net");
  return inode_of(netns_dir + "/" + ns);
}

}  // namespace nstopo::services
