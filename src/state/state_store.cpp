#include "state/state_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "model/read_all.h"
#include "state/service_record_json.h"

namespace nstopo::state {

namespace {

constexpr int kStateVersion = 2;

std::string owner_words(uid_t uid) {
  return uid == 0 ? "root" : fmt::format("uid {}", uid);
}

// Owned by the effective uid and writable by nobody else: nobody but nstopo's own user could
// have put it there or changed it.
bool trusted(const struct stat& st) {
  return st.st_uid == ::geteuid() && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

std::unexpected<Error> untrusted(std::string_view what, const std::string& path,
                                 const struct stat& st) {
  return fail(ErrorKind::invalid_input,
              fmt::format("{} {} is owned by {} with mode {:04o}; nstopo trusts only what is owned "
                          "by {} and not writable by group or others (chown {} {} and chmod go-w {})",
                          what, path, owner_words(st.st_uid), st.st_mode & 07777,
                          owner_words(::geteuid()), owner_words(::geteuid()), path, path),
              path);
}

Result<void> write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(ErrorKind::internal, fmt::format("failed to write {}", path), path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

// Reads a record nobody else could have written: a regular file (not a symlink) owned by the
// effective uid and writable by nobody else.
Result<std::string> read_trusted_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    int e = errno;
    if (e == ELOOP)
      return fail(ErrorKind::invalid_input,
                  fmt::format("state file {} is a symlink; nstopo follows none (remove it)", path),
                  path);
    return fail(ErrorKind::internal, fmt::format("cannot read {}", path), path, e);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !trusted(st)) {
    ::close(fd);
    if (!S_ISREG(st.st_mode))
      return fail(ErrorKind::invalid_input,
                  fmt::format("state file {} is not a regular file; remove it", path), path);
    return untrusted("state file", path, st);
  }
  std::string text;
  int e = model::read_to_end<65536>(fd, text);
  ::close(fd);
  if (e != 0) return fail(ErrorKind::internal, fmt::format("cannot read {}", path), path, e);
  return text;
}

// A lab's directory is <state_dir>/<lab>: a name that is no single path component would
// reach outside it (the parser refuses such names; this is the store's own guard).
Result<void> check_lab_name(std::string_view lab) {
  if (lab.empty() || lab == "." || lab == ".." || lab.find('/') != std::string_view::npos ||
      lab.find('\0') != std::string_view::npos)
    return fail(ErrorKind::invalid_input,
                fmt::format("'{}' cannot name a lab's records (empty, '.', '..' or a '/')", lab),
                std::string(lab));
  return {};
}

}  // namespace

LabLock& LabLock::operator=(LabLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

LabLock::~LabLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

std::string StateStore::lab_dir(std::string_view lab) const {
  return fmt::format("{}/{}", state_dir_, lab);
}

std::string StateStore::log_path(std::string_view lab, std::string_view ns,
                                 std::string_view service) const {
  return fmt::format("{}/logs/{}/{}.log", lab_dir(lab), ns, service);
}

Result<void> StateStore::make_private_dirs(const std::string& path) {
  std::string partial;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    partial = path.substr(0, pos);
    if (partial.empty()) continue;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
      return fail(errno == EACCES || errno == EPERM || errno == EROFS ? ErrorKind::permission
                                                                       : ErrorKind::internal,
                  fmt::format("cannot create state directory {}", partial), partial, errno);
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return fail(ErrorKind::internal,
                fmt::format("state directory {} is not a directory (a symlink is refused)", path),
                path, ENOTDIR);
  return {};
}

Result<void> StateStore::check_trusted_dir(const std::string& path, std::string_view what) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0)
    return fail(ErrorKind::internal, fmt::format("cannot inspect {} {}", what, path), path, errno);
  if (S_ISLNK(st.st_mode))
    return fail(ErrorKind::invalid_input,
                fmt::format("{} {} is a symlink; nstopo follows none in its state (remove it)",
                            what, path),
                path);
  if (!S_ISDIR(st.st_mode))
    return fail(ErrorKind::invalid_input,
                fmt::format("{} {} is not a directory; remove it", what, path), path, ENOTDIR);
  if (!trusted(st)) return untrusted(what, path, st);
  return {};
}

Result<void> StateStore::make_lab_dir(std::string_view lab) const {
  if (auto ok = check_lab_name(lab); !ok) return ok;
  // The state directory is checked before anything is made in it.
  if (auto made = make_private_dirs(state_dir_); !made) return made;
  if (auto ok = check_trusted_dir(state_dir_, "state directory"); !ok) return ok;
  std::string dir = lab_dir(lab);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return fail(errno == EACCES || errno == EPERM || errno == EROFS ? ErrorKind::permission
                                                                     : ErrorKind::internal,
                fmt::format("cannot create state directory {}", dir), dir, errno);
  return check_trusted_dir(dir, "lab directory");
}

Result<void> StateStore::check_lab_dirs(std::string_view lab) const {
  if (auto ok = check_trusted_dir(state_dir_, "state directory"); !ok) return ok;
  return check_trusted_dir(lab_dir(lab), "lab directory");
}

Result<LabState> StateStore::load(std::string_view lab) const {
  if (auto ok = check_lab_name(lab); !ok) return std::unexpected(ok.error());
  LabState state;
  state.lab = std::string(lab);
  std::string dir = lab_dir(lab);
  std::string path = dir + "/state.json";
  // Nothing recorded (status of a lab never applied): an empty state, once the directories
  // that do exist are trusted.
  struct stat st {};
  if (::lstat(state_dir_.c_str(), &st) != 0 && errno == ENOENT) return state;
  if (auto ok = check_trusted_dir(state_dir_, "state directory"); !ok) return std::unexpected(ok.error());
  if (::lstat(dir.c_str(), &st) != 0 && errno == ENOENT) return state;
  if (auto ok = check_trusted_dir(dir, "lab directory"); !ok) return std::unexpected(ok.error());
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return state;
    return fail(ErrorKind::internal, fmt::format("cannot read state file {}", path), path, errno);
  }
  auto text = read_trusted_file(path);
  if (!text) return std::unexpected(text.error());
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object())
    return fail(ErrorKind::internal,
                fmt::format("state file {} is corrupt; remove it to forget the lab", path), path);
  try {
    // A record copied from another lab would make this one delete what is not its own.
    std::string recorded_lab = json.value("lab", "");
    if (recorded_lab != lab)
      return fail(ErrorKind::invalid_input,
                  fmt::format("state file {} is the record of lab '{}', not of lab {}; nstopo "
                              "will not act on it (remove it to forget the lab)",
                              path, recorded_lab, lab),
                  path);
    int version = json.value("version", 1);
    if (version < 1 || version > kStateVersion)
      return fail(ErrorKind::invalid_input,
                  fmt::format("state file {} has version {}, which this nstopo does not know "
                              "(it writes version {})",
                              path, version, kStateVersion),
                  path);
    state.topology_file = json.value("file", "");
    auto namespaces = json.value("namespaces", nlohmann::json::array());
    if (namespaces.is_array()) {  // version 1: names only, identity unknown
      for (auto& ns : namespaces) state.namespaces.insert(ns.get<std::string>());
    } else {
      for (auto& [name, record] : namespaces.items()) {
        state.namespaces.insert(name);
        if (record.contains("cookie"))
          state.namespace_cookies[name] = record.at("cookie").get<uint64_t>();
      }
    }
    for (auto& link : json.value("pending_links", nlohmann::json::array()))
      state.pending_links.insert(link.get<std::string>());
    // Named: items() of the temporary json.value() returns would outlive it in the loop.
    auto services = json.value("services", nlohmann::json::object());
    for (auto& [key, s] : services.items()) state.services.emplace(key, service_record_from_json(s));
    auto host_sysctls = json.value("host_sysctls", nlohmann::json::object());
    for (auto& [key, r] : host_sysctls.items())
      state.host_sysctls.emplace(key, model::HostSysctlRecord{r.at("original").get<std::string>(),
                                                              r.at("set").get<std::string>()});
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorKind::internal,
                fmt::format("state file {} is corrupt ({}); remove it to forget the lab", path,
                            e.what()),
                path);
  }
  return state;
}

Result<void> StateStore::save(const LabState& state) const {
  std::string dir = lab_dir(state.lab);
  if (auto made = make_lab_dir(state.lab); !made) return made;
  nlohmann::json json;
  json["version"] = kStateVersion;
  json["lab"] = state.lab;
  json["file"] = state.topology_file;
  json["namespaces"] = nlohmann::json::object();
  for (auto& ns : state.namespaces) {
    auto record = nlohmann::json::object();
    if (auto cookie = state.namespace_cookies.find(ns); cookie != state.namespace_cookies.end())
      record["cookie"] = cookie->second;
    json["namespaces"][ns] = record;
  }
  json["pending_links"] = state.pending_links;
  json["services"] = nlohmann::json::object();
  for (auto& [key, r] : state.services) json["services"][key] = service_record_json(r);
  json["host_sysctls"] = nlohmann::json::object();
  for (auto& [key, r] : state.host_sysctls)
    json["host_sysctls"][key] = {{"original", r.original}, {"set", r.set}};
  std::string text = json.dump(1) + "\n";
  auto saved = write_record(dir, text);
  // A full file system must never keep nstopo from recording what it did (a destroy that
  // cannot save cannot finish): the lab's own logs give way, and the write is tried again.
  if (!saved && (saved.error().error_number == ENOSPC || saved.error().error_number == EDQUOT) &&
      make_room(state.lab) > 0)
    saved = write_record(dir, text);
  return saved;
}

Result<void> StateStore::write_record(const std::string& dir, const std::string& text) const {
  std::string path = dir + "/state.json";
  std::string tmp = fmt::format("{}/.state.json.{}", dir, ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return fail(ErrorKind::internal, fmt::format("cannot write {}", tmp), tmp, errno);
  auto written = write_all(fd, text, tmp);
  ::close(fd);
  if (written && ::rename(tmp.c_str(), path.c_str()) != 0)
    written = fail(ErrorKind::internal, fmt::format("cannot replace {}", path), path, errno);
  if (!written) ::unlink(tmp.c_str());  // a partial file would only take more room
  return written;
}

size_t StateStore::make_room(std::string_view lab) const {
  // Regular files only, no symlink followed (the lab's directory was checked when opened).
  // A rotated log goes; a current one is emptied, not removed: its service still writes to
  // it, and the space of a file open elsewhere is only freed when it is emptied.
  constexpr std::string_view kNote =
      "nstopo: this log was emptied: the file system of the state directory was full, and "
      "the lab's record had to be saved\n";
  size_t emptied = 0;
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(lab_dir(lab) + "/logs", ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    std::string path = it->path().string();
    int fd = ::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_size == 0 || ::ftruncate(fd, 0) != 0) {
      ::close(fd);
      continue;
    }
    ++emptied;
    if (path.ends_with(".log.1")) {
      ::unlink(path.c_str());
    } else {
      ssize_t ignored = ::pwrite(fd, kNote.data(), kNote.size(), 0);
      (void)ignored;
    }
    ::close(fd);
  }
  return emptied;
}

Result<void> StateStore::remove(std::string_view lab) const {
  if (auto ok = check_lab_name(lab); !ok) return ok;
  std::string dir = lab_dir(lab);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0 && errno == ENOENT) return {};
  if (auto ok = check_lab_dirs(lab); !ok) return ok;
  auto failed = [&](const std::string& path, int e) {
    return fail(ErrorKind::internal, fmt::format("cannot remove {}", path), path, e);
  };
  // Everything but the lock first (remove_all follows no symlink).
  std::error_code ec;
  for (auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().filename() == "lock") continue;
    std::filesystem::remove_all(entry.path(), ec);
    if (ec) return failed(entry.path().string(), ec.value());
  }
  if (ec) return failed(dir, ec.value());
  // The lock last, still held: whoever waits on it finds it gone once it gets it, and starts
  // again (lock_impl). The directory goes with it, unless a newcomer already made its lock.
  std::string lock_path = dir + "/lock";
  if (::unlink(lock_path.c_str()) != 0 && errno != ENOENT) return failed(lock_path, errno);
  if (::rmdir(dir.c_str()) != 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
    return failed(dir, errno);
  return {};
}

std::vector<std::string> StateStore::labs() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (auto& entry : std::filesystem::directory_iterator(state_dir_, ec))
    if (entry.is_directory(ec) && !entry.is_symlink(ec))
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool StateStore::has_record(std::string_view lab) const {
  if (!check_lab_name(lab)) return false;
  struct stat st {};
  return ::lstat((lab_dir(lab) + "/state.json").c_str(), &st) == 0;
}

Result<int> StateStore::open_lock_file(std::string_view lab) const {
  std::string dir = lab_dir(lab);
  if (auto made = make_lab_dir(lab); !made) return std::unexpected(made.error());
  std::string path = dir + "/lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    int e = errno;
    if (e == ENOENT) return -1;  // the directory was removed meanwhile: try again
    return fail(ErrorKind::internal, fmt::format("cannot open lock file {}", path), path, e);
  }
  return fd;
}

Result<LabLock> StateStore::lock_impl(std::string_view lab, bool wait,
                                      const std::function<void()>& on_wait) const {
  std::string path = lab_dir(lab) + "/lock";
  bool said_wait = false;
  for (;;) {
    auto fd = open_lock_file(lab);
    if (!fd) return std::unexpected(fd.error());
    if (*fd < 0) continue;
    LabLock guard(*fd);
    if (::flock(*fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK)
        return fail(ErrorKind::internal, fmt::format("cannot lock lab {}", lab), std::string(lab),
                    errno);
      if (!wait)
        return fail(ErrorKind::busy,
                    fmt::format("lab {} is locked by another nstopo (without --no-wait, it waits)",
                                lab),
                    std::string(lab));
      if (!said_wait) on_wait();
      said_wait = true;
      while (::flock(*fd, LOCK_EX) != 0)
        if (errno != EINTR)
          return fail(ErrorKind::internal, fmt::format("cannot lock lab {}", lab),
                      std::string(lab), errno);
    }
    // Held, but of which file? A destroy that held it before removed it with the lab: then
    // this is a lock nobody else will ever take, and the lab's lock is (or will be) a new file.
    struct stat held {}, named {};
    if (::fstat(*fd, &held) != 0)
      return fail(ErrorKind::internal, fmt::format("cannot inspect lock file {}", path), path, errno);
    if (::lstat(path.c_str(), &named) == 0 && named.st_dev == held.st_dev &&
        named.st_ino == held.st_ino)
      return guard;
  }
}

}  // namespace nstopo::state
