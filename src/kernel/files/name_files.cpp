#include "kernel/files/name_files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "kernel/unique_fd.h"
#include "model/fault_points.h"
#include "model/name_files.h"
#include "model/read_all.h"

namespace nstopo::kernel {

namespace {

constexpr size_t kMaxFile = 4 << 20;  // a hosts file bigger than this is no hosts file

std::unexpected<Error> file_error(const std::string& what, const std::string& path, int e) {
  return fail(e == EACCES || e == EPERM || e == EROFS ? ErrorKind::permission : ErrorKind::kernel,
              fmt::format("cannot {} {}", what, path), path, e);
}

// A directory, never through a symlink; with `make`, made (0755) when missing.
Result<UniqueFd> open_dir(int parent, const std::string& name, const std::string& path,
                          bool make) {
  UniqueFd fd(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd && errno == ENOENT && make) {
    if (::mkdirat(parent, name.c_str(), 0755) != 0 && errno != EEXIST)
      return file_error("make the directory", path, errno);
    fd = UniqueFd(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  }
  if (!fd) return file_error("open the directory", path, errno);
  return fd;
}

// NS in the opened ETC/netns (made with `make`); an invalid fd when missing and not `make`.
Result<UniqueFd> namespace_dir_in(int netns, const std::string& etc_dir, const std::string& ns,
                                  bool make) {
  auto dir = open_dir(netns, ns, fmt::format("{}/netns/{}", etc_dir, ns), make);
  if (!dir && !make && dir.error().error_number == ENOENT) return UniqueFd();
  return dir;
}

// ETC/netns, opened (made with `make`); an invalid fd when missing and not `make`.
Result<UniqueFd> netns_dir(const std::string& etc_dir, bool make) {
  UniqueFd etc(::open(etc_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!etc) return file_error("open the directory", etc_dir, errno);
  auto netns = open_dir(etc.get(), "netns", etc_dir + "/netns", make);
  if (!netns && !make && netns.error().error_number == ENOENT) return UniqueFd();
  return netns;
}

// ETC/netns/NS, opened (made with `make`); an invalid fd when missing and not `make`.
Result<UniqueFd> namespace_dir(const std::string& etc_dir, const std::string& ns, bool make) {
  auto netns = netns_dir(etc_dir, make);
  if (!netns || !*netns) return netns;
  return namespace_dir_in(netns->get(), etc_dir, ns, make);
}

// The whole file NAME in `dir` (not through a symlink); nullopt when it does not exist.
Result<std::optional<std::string>> read_file(int dir, const std::string& name,
                                             const std::string& path) {
  UniqueFd fd(::openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return std::optional<std::string>();
    return file_error("read", path, errno);
  }
  std::string text;
  if (int e = model::read_to_end<4096>(fd.get(), text, kMaxFile); e != 0)
    return file_error("read", path, e);
  if (text.size() > kMaxFile) return file_error("read (over 4 MiB)", path, EFBIG);
  return std::optional<std::string>(std::move(text));
}

Result<void> write_all(int fd, std::string_view text, const std::string& path) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return file_error("write", path, errno);
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

struct Owner {
  mode_t mode = 0644;
  uid_t uid = 0;
  gid_t gid = 0;
  bool known = false;
};

// NAME in `dir` replaced by `content` at once: written to .NAME.nstopo (a name of nstopo's
// own, truncated first, so one left by a killed run is simply written again), fsynced, then
// renamed over NAME. The rename is the only moment the file changes.
Result<void> replace_file(int dir, const std::string& name, const std::string& path,
                          const std::string& content, const Owner& owner) {
  std::string temp = "." + name + ".nstopo";
  std::string temp_path = path.substr(0, path.rfind('/') + 1) + temp;
  UniqueFd fd(::openat(dir, temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                       owner.mode & 07777));
  if (!fd) return file_error("write", temp_path, errno);
  auto written = write_all(fd.get(), content, temp_path);
  if (written && owner.known) {
    if (::fchmod(fd.get(), owner.mode & 07777) != 0) written = file_error("chmod", temp_path, errno);
    else if (::fchown(fd.get(), owner.uid, owner.gid) != 0)
      written = file_error("chown", temp_path, errno);
  }
  if (written && ::fsync(fd.get()) != 0) written = file_error("fsync", temp_path, errno);
  fd.reset();
  if (!written) {
    ::unlinkat(dir, temp.c_str(), 0);
    return written;
  }
  model::fault_point([&] { return "name file written beside, not in place: " + path; });
  if (::renameat(dir, temp.c_str(), dir, name.c_str()) != 0) {
    int e = errno;
    ::unlinkat(dir, temp.c_str(), 0);
    return file_error("replace", path, e);
  }
  ::fsync(dir);  // the rename itself on disk; a failure here loses nothing written
  return {};
}

// A file that is a mount point (a container's /etc/hosts, a bind mount) cannot be renamed
// over (EBUSY): it is rewritten in place instead, as its own content, truncated to it.
Result<void> rewrite_in_place(int dir, const std::string& name, const std::string& path,
                              const std::string& content) {
  UniqueFd fd(::openat(dir, name.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return file_error("write", path, errno);
  if (auto written = write_all(fd.get(), content, path); !written) return written;
  if (::ftruncate(fd.get(), static_cast<off_t>(content.size())) != 0)
    return file_error("truncate", path, errno);
  if (::fsync(fd.get()) != 0) return file_error("fsync", path, errno);
  return {};
}

}  // namespace

Result<void> read_name_files(const std::string& etc_dir, const std::vector<std::string>& namespaces,
                             NameFileMap& out) {
  // ETC/netns opened once: a big lab without names costs one failed open per namespace.
  auto netns = netns_dir(etc_dir, false);
  if (!netns) return std::unexpected(netns.error());
  if (!*netns) return {};
  for (const auto& ns : namespaces) {
    auto dir = namespace_dir_in(netns->get(), etc_dir, ns, false);
    if (!dir) return std::unexpected(dir.error());
    if (!*dir) continue;
    for (auto file : model::kNameFiles) {
      std::string name(file);
      auto text = read_file(dir->get(), name, fmt::format("{}/netns/{}/{}", etc_dir, ns, name));
      if (!text) return std::unexpected(text.error());
      if (*text) out.emplace(std::pair{ns, name}, std::move(**text));
    }
  }
  return {};
}

Result<void> write_name_file(const std::string& etc_dir, const std::string& ns,
                             const std::string& file, const std::string& content) {
  auto dir = namespace_dir(etc_dir, ns, true);
  if (!dir) return std::unexpected(dir.error());
  return replace_file(dir->get(), file, fmt::format("{}/netns/{}/{}", etc_dir, ns, file), content,
                      Owner{});
}

Result<void> remove_name_file(const std::string& etc_dir, const std::string& ns,
                              const std::string& file) {
  auto dir = namespace_dir(etc_dir, ns, false);
  if (!dir) return std::unexpected(dir.error());
  if (!*dir) return {};
  std::string path = fmt::format("{}/netns/{}/{}", etc_dir, ns, file);
  if (::unlinkat(dir->get(), file.c_str(), 0) != 0 && errno != ENOENT)
    return file_error("delete", path, errno);
  // No fault point here: a run killed before the rmdir below leaves an empty /etc/netns/NS,
  // which binds nothing over /etc and which no later run removes (docs/ARCHITECTURE.md).
  ::unlinkat(dir->get(), ("." + file + ".nstopo").c_str(), 0);  // a killed write's, if any
  // The directory goes with the lab's last file; one that holds anything else stays.
  UniqueFd netns(::open((etc_dir + "/netns").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (netns && ::unlinkat(netns.get(), ns.c_str(), AT_REMOVEDIR) != 0 && errno != ENOTEMPTY &&
      errno != EEXIST && errno != ENOENT)
    return file_error("delete the directory", fmt::format("{}/netns/{}", etc_dir, ns), errno);
  return {};
}

Result<HostBlockRead> read_host_block(const std::string& etc_dir, const std::string& lab) {
  UniqueFd etc(::open(etc_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!etc) return file_error("open the directory", etc_dir, errno);
  auto text = read_file(etc.get(), "hosts", etc_dir + "/hosts");
  if (!text) return std::unexpected(text.error());
  HostBlockRead read;
  if (!*text) return read;
  auto block = model::find_host_block(**text, lab);
  if (block.state == model::HostsBlock::State::found) read.body = std::move(block.body);
  if (block.state == model::HostsBlock::State::unbalanced) read.problem = std::move(block.problem);
  return read;
}

Result<void> write_host_block(const std::string& etc_dir, const std::string& lab,
                              const std::optional<std::string>& body) {
  std::string path = etc_dir + "/hosts";
  UniqueFd etc(::open(etc_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!etc) return file_error("open the directory", etc_dir, errno);
  // Labs hold locks of their own only; two of them rewriting /etc/hosts at once would each
  // write back the file without the other's block. The directory's flock orders them.
  if (::flock(etc.get(), LOCK_EX) != 0) return file_error("lock", etc_dir, errno);
  auto text = read_file(etc.get(), "hosts", path);
  if (!text) return std::unexpected(text.error());
  std::string before = text->value_or("");
  auto block = model::find_host_block(before, lab);
  if (block.state == model::HostsBlock::State::unbalanced)
    return fail(ErrorKind::conflict, block.problem + "; nothing written", path);
  if (!body && block.state == model::HostsBlock::State::absent) return {};
  std::string after = model::replace_host_block(before, lab, body);
  if (after == before) return {};
  Owner owner;
  struct stat st {};
  if (*text && ::fstatat(etc.get(), "hosts", &st, AT_SYMLINK_NOFOLLOW) == 0)
    owner = Owner{st.st_mode, st.st_uid, st.st_gid, true};
  auto replaced = replace_file(etc.get(), "hosts", path, after, owner);
  if (!replaced && replaced.error().error_number == EBUSY)
    return rewrite_in_place(etc.get(), "hosts", path, after);
  return replaced;
}

}  // namespace nstopo::kernel
