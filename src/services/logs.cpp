#include "services/logs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <thread>
#include <vector>

#include "state/state_store.h"

namespace nstopo::services {

namespace {

using kernel::UniqueFd;

constexpr size_t kTailBytes = 64 * 1024;
constexpr auto kFollowInterval = std::chrono::milliseconds(200);

std::unexpected<Error> refuse(const std::string& what, const std::string& path, int error_number) {
  return fail(ErrorKind::conflict,
              fmt::format("refusing to use {} {}: not a {} (a symlink is never followed)", what,
                          path, what == "log directory" ? "directory" : "regular file"),
              path, error_number);
}

// Opens (creating with mode 0700) directory `name` inside `parent` without following a symlink.
Result<UniqueFd> open_private_dir(int parent, const std::string& name, const std::string& path) {
  if (::mkdirat(parent, name.c_str(), 0700) != 0 && errno != EEXIST)
    return fail(ErrorKind::internal, fmt::format("cannot create log directory {}", path), path, errno);
  UniqueFd dir(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir) {
    if (errno == ELOOP || errno == ENOTDIR) return refuse("log directory", path, errno);
    return fail(ErrorKind::internal, fmt::format("cannot open log directory {}", path), path, errno);
  }
  return dir;
}

Result<UniqueFd> open_log_for_reading(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd) {
    if (errno == ELOOP) return refuse("log file", path, errno);
    return fail(ErrorKind::usage, fmt::format("cannot read log {}", path), path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return refuse("log file", path, EINVAL);
  return fd;
}

// Copies from `fd`'s current offset to EOF into `out`.
Result<void> copy_to(int fd, std::FILE* out, const std::string& path) {
  std::array<char, 16384> buf{};
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(ErrorKind::internal, fmt::format("cannot read log {}", path), path, errno);
    if (n == 0) break;
    if (std::fwrite(buf.data(), 1, static_cast<size_t>(n), out) != static_cast<size_t>(n))
      return fail(ErrorKind::internal, "cannot write the log to the output", path, errno);
  }
  std::fflush(out);
  return {};
}

}  // namespace

Result<UniqueFd> open_service_log(const std::string& state_dir, const std::string& path,
                                  uint64_t max_bytes) {
  if (!path.starts_with(state_dir + "/"))
    return fail(ErrorKind::internal, fmt::format("log {} is outside {}", path, state_dir), path);
  if (auto made = state::StateStore::make_private_dirs(state_dir); !made)
    return std::unexpected(made.error());
  UniqueFd dir(::open(state_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir) return refuse("log directory", state_dir, errno);

  // Walk down component by component: a symlink anywhere below the state directory is refused.
  std::string relative = path.substr(state_dir.size() + 1);
  std::string walked = state_dir;
  size_t slash;
  while ((slash = relative.find('/')) != std::string::npos) {
    std::string name = relative.substr(0, slash);
    relative.erase(0, slash + 1);
    if (name.empty()) continue;
    walked += "/" + name;
    auto next = open_private_dir(dir.get(), name, walked);
    if (!next) return std::unexpected(next.error());
    dir = std::move(*next);
  }
  const std::string& file = relative;

  struct stat st {};
  if (::fstatat(dir.get(), file.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (!S_ISREG(st.st_mode)) return refuse("log file", path, S_ISLNK(st.st_mode) ? ELOOP : EINVAL);
    if (static_cast<uint64_t>(st.st_size) > max_bytes &&
        ::renameat(dir.get(), file.c_str(), dir.get(), (file + ".1").c_str()) != 0)
      return fail(ErrorKind::internal, fmt::format("cannot rotate log {}", path), path, errno);
  }
  // O_NONBLOCK: a FIFO planted here must not hang the open; it is refused just after.
  UniqueFd fd(::openat(dir.get(), file.c_str(),
                       O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600));
  if (!fd) {
    if (errno == ELOOP) return refuse("log file", path, errno);
    return fail(ErrorKind::internal, fmt::format("cannot open log {}", path), path, errno);
  }
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return refuse("log file", path, EINVAL);
  if ((st.st_mode & 07777) != 0600 && ::fchmod(fd.get(), 0600) != 0)
    return fail(ErrorKind::internal, fmt::format("cannot make log {} private", path), path, errno);
  if (::fcntl(fd.get(), F_SETFL, O_WRONLY | O_APPEND) != 0)
    return fail(ErrorKind::internal, fmt::format("cannot open log {}", path), path, errno);
  return fd;
}

std::string log_tail(const std::string& path, size_t max_lines) {
  if (max_lines == 0) return {};
  auto fd = open_log_for_reading(path);
  if (!fd) return {};
  struct stat st {};
  if (::fstat(fd->get(), &st) != 0) return {};
  auto size = static_cast<size_t>(st.st_size);
  size_t start = size > kTailBytes ? size - kTailBytes : 0;
  std::string text(size - start, '\0');
  ssize_t n = ::pread(fd->get(), text.data(), text.size(), static_cast<off_t>(start));
  if (n < 0) return {};
  text.resize(static_cast<size_t>(n));
  while (!text.empty() && text.back() == '\n') text.pop_back();
  // The start of the tail is just after the max_lines-th newline from the end.
  size_t begin = 0;
  bool enough_lines = false;
  for (size_t i = text.size(), newlines = 0; i > 0 && !enough_lines; --i)
    if (text[i - 1] == '\n' && ++newlines == max_lines) {
      begin = i;
      enough_lines = true;
    }
  // A tail that starts inside a line (the 64 KiB cut) drops that partial line.
  if (!enough_lines && start > 0) {
    size_t newline = text.find('\n');
    begin = newline == std::string::npos ? text.size() : newline + 1;
  }
  return text.substr(begin);
}

Result<void> print_log(const std::string& path, bool follow, std::FILE* out,
                       const std::function<bool()>& keep_following) {
  auto fd = open_log_for_reading(path);
  if (!fd) return std::unexpected(fd.error());
  // The older part first, when the log was rotated while the service ran (a symlink or other
  // non-file planted there is refused like the log itself).
  std::string older = path + ".1";
  struct stat older_stat {};
  if (::lstat(older.c_str(), &older_stat) == 0) {
    auto older_fd = open_log_for_reading(older);
    if (!older_fd) return std::unexpected(older_fd.error());
    if (auto copied = copy_to(older_fd->get(), out, older); !copied) return copied;
  }
  if (auto copied = copy_to(fd->get(), out, path); !copied) return copied;
  while (follow && (!keep_following || keep_following())) {
    std::this_thread::sleep_for(kFollowInterval);
    // Rotated (another file at the path now) or truncated: start over from its beginning.
    struct stat now {}, open_one {};
    if (::lstat(path.c_str(), &now) == 0 && ::fstat(fd->get(), &open_one) == 0 &&
        (now.st_ino != open_one.st_ino || now.st_dev != open_one.st_dev ||
         now.st_size < ::lseek(fd->get(), 0, SEEK_CUR))) {
      if (auto copied = copy_to(fd->get(), out, path); !copied) return copied;  // the old one's end
      auto reopened = open_log_for_reading(path);
      if (!reopened) return std::unexpected(reopened.error());
      fd = std::move(reopened);
    }
    if (auto copied = copy_to(fd->get(), out, path); !copied) return copied;
  }
  return {};
}

}  // namespace nstopo::services
