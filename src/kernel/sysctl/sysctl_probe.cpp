#include "kernel/sysctl/sysctl_probe.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include "kernel/sysctl/sysctl.h"

namespace nstopo::kernel {

namespace {

constexpr std::string_view kProcSys = "/proc/sys/";

// "/proc/sys/net/ipv4/conf/eth0.100" -> "net.ipv4.conf.eth0/100", as sysctl(8) names it.
std::string key_of(std::string_view path) {
  std::string key(path.substr(kProcSys.size()));
  for (char& c : key) c = c == '/' ? '.' : c == '.' ? '/' : c;
  return key;
}

bool exists(const std::string& path) {
  struct stat st{};
  return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace

std::optional<std::vector<std::string>> absent_sysctl_neighbours(std::string_view key) {
  auto path = sysctl_path(key);
  if (!path || exists(*path)) return std::nullopt;
  // Up to the deepest directory that exists (/proc/sys/net at least, in any network namespace).
  std::string dir = *path;
  do {
    dir.erase(dir.rfind('/'));
  } while (dir.size() > kProcSys.size() + 3 && !exists(dir));
  std::vector<std::string> neighbours;
  if (DIR* listing = ::opendir(dir.c_str())) {
    while (const dirent* entry = ::readdir(listing)) {
      std::string_view name = entry->d_name;
      if (name == "." || name == "..") continue;
      neighbours.push_back(key_of(dir + "/" + std::string(name)));
    }
    ::closedir(listing);
  }
  std::sort(neighbours.begin(), neighbours.end());
  return neighbours;
}

}  // namespace nstopo::kernel
