#include "kernel/sysctl/sysctl.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kernel/unique_fd.h"
#include "model/read_all.h"

namespace nstopo::kernel {

namespace {

ErrorKind kind_of(int error_number) {
  return error_number == EPERM || error_number == EACCES ? ErrorKind::permission
                                                         : ErrorKind::kernel;
}

std::unexpected<Error> bad_key(std::string_view key, std::string_view ns) {
  return fail(ErrorKind::invalid_input,
              fmt::format("'{}' is not a network sysctl (net.*) of namespace {}", key, ns),
              fmt::format("{}:{}", ns, key), EINVAL);
}

}  // namespace

std::optional<std::string> sysctl_path(std::string_view key) {
  // Already in path form ("net/ipv4/ip_forward"): as is. Otherwise sysctl(8)'s swap.
  std::string relative(key);
  if (!key.starts_with("net/"))
    for (char& c : relative) c = c == '.' ? '/' : c == '/' ? '.' : c;
  if (!relative.starts_with("net/")) return std::nullopt;
  size_t start = 0;
  while (start <= relative.size()) {
    size_t end = relative.find('/', start);
    if (end == std::string::npos) end = relative.size();
    std::string_view part(relative.data() + start, end - start);
    if (part.empty() || part == "." || part == "..") return std::nullopt;
    start = end + 1;
  }
  return "/proc/sys/" + relative;
}

Result<std::optional<std::string>> read_sysctl(std::string_view key, std::string_view ns) {
  auto path = sysctl_path(key);
  if (!path) return bad_key(key, ns);
  UniqueFd fd(::open(path->c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return std::optional<std::string>{};
    return fail(kind_of(errno), fmt::format("cannot read sysctl {} in {}", key, ns),
                fmt::format("{}:{}", ns, key), errno);
  }
  std::string value;
  if (int e = model::read_to_end<512>(fd.get(), value); e != 0)
    return fail(kind_of(e), fmt::format("cannot read sysctl {} in {}", key, ns),
                fmt::format("{}:{}", ns, key), e);
  while (!value.empty() && value.back() == '\n') value.pop_back();
  return std::optional<std::string>(std::move(value));
}

Result<void> write_sysctl(std::string_view key, std::string_view value, std::string_view ns) {
  auto path = sysctl_path(key);
  if (!path) return bad_key(key, ns);
  auto failed = [&](int e) {
    return fail(kind_of(e), fmt::format("failed to set sysctl {} = {} in {}", key, value, ns),
                fmt::format("{}:{}", ns, key), e, std::strerror(e));
  };
  UniqueFd fd(::open(path->c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return failed(errno);
  // One write: procfs parses the value from the first write at offset 0.
  std::string line = std::string(value) + "\n";
  ssize_t n;
  do {
    n = ::write(fd.get(), line.data(), line.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) return failed(errno);
  if (static_cast<size_t>(n) != line.size()) return failed(EIO);
  return {};
}

}  // namespace nstopo::kernel
