#include "kernel/state_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace nstopo::kernel {

namespace {

constexpr int kStateVersion = 1;

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

Result<std::string> read_file_nofollow(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return fail(ErrorKind::internal, fmt::format("cannot read {}", path), path, errno);
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return fail(ErrorKind::internal, fmt::format("cannot read {}", path), path, e);
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

}  // namespace

std::string LabState::service_key(std::string_view ns, std::string_view name) {
  return fmt::format("{}/{}", ns, name);
}

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

Result<LabState> StateStore::load(std::string_view lab) const {
  LabState state;
  state.lab = std::string(lab);
  std::string path = lab_dir(lab) + "/state.json";
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return state;
    return fail(ErrorKind::internal, fmt::format("cannot read state file {}", path), path, errno);
  }
  auto text = read_file_nofollow(path);
  if (!text) return std::unexpected(text.error());
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object())
    return fail(ErrorKind::internal,
                fmt::format("state file {} is corrupt; remove it to forget the lab", path), path);
  try {
    state.topology_file = json.value("file", "");
    for (auto& ns : json.value("namespaces", nlohmann::json::array()))
      state.namespaces.insert(ns.get<std::string>());
    // Named: items() of the temporary json.value() returns would outlive it in the loop.
    auto services = json.value("services", nlohmann::json::object());
    for (auto& [key, s] : services.items()) {
      ServiceRecord r;
      r.ns = s.at("ns").get<std::string>();
      r.name = s.at("name").get<std::string>();
      r.pid = s.at("pid").get<int>();
      r.start_time = s.at("start_time").get<uint64_t>();
      r.spec_hash = s.at("spec_hash").get<std::string>();
      state.services.emplace(key, std::move(r));
    }
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
  if (auto made = make_private_dirs(dir); !made) return made;
  nlohmann::json json;
  json["version"] = kStateVersion;
  json["lab"] = state.lab;
  json["file"] = state.topology_file;
  json["namespaces"] = state.namespaces;
  json["services"] = nlohmann::json::object();
  for (auto& [key, r] : state.services)
    json["services"][key] = {{"ns", r.ns},
                             {"name", r.name},
                             {"pid", r.pid},
                             {"start_time", r.start_time},
                             {"spec_hash", r.spec_hash}};
  json["host_sysctls"] = nlohmann::json::object();
  for (auto& [key, r] : state.host_sysctls)
    json["host_sysctls"][key] = {{"original", r.original}, {"set", r.set}};
  std::string path = dir + "/state.json";
  std::string tmp = fmt::format("{}/.state.json.{}", dir, ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return fail(ErrorKind::internal, fmt::format("cannot write {}", tmp), tmp, errno);
  auto written = write_all(fd, json.dump(1) + "\n", tmp);
  ::close(fd);
  if (!written) return written;
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    return fail(ErrorKind::internal, fmt::format("cannot replace {}", path), path, errno);
  return {};
}

Result<void> StateStore::remove(std::string_view lab) const {
  std::error_code ec;
  std::filesystem::remove_all(lab_dir(lab), ec);  // does not follow symlinks
  if (ec)
    return fail(ErrorKind::internal, fmt::format("cannot remove {}", lab_dir(lab)), lab_dir(lab),
                ec.value());
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

Result<int> StateStore::open_lock_file(std::string_view lab) const {
  std::string dir = lab_dir(lab);
  if (auto made = make_private_dirs(dir); !made) return std::unexpected(made.error());
  std::string path = dir + "/lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return fail(ErrorKind::internal, fmt::format("cannot open lock file {}", path), path, errno);
  return fd;
}

Result<LabLock> StateStore::acquire(int fd, std::string_view lab, bool wait,
                                    const std::function<void()>& on_wait) const {
  LabLock guard(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return guard;
  if (errno != EWOULDBLOCK)
    return fail(ErrorKind::internal, fmt::format("cannot lock lab {}", lab), std::string(lab), errno);
  if (!wait)
    return fail(ErrorKind::busy,
                fmt::format("lab {} is locked by another nstopo (without --no-wait, it waits)", lab),
                std::string(lab));
  on_wait();
  while (::flock(fd, LOCK_EX) != 0)
    if (errno != EINTR)
      return fail(ErrorKind::internal, fmt::format("cannot lock lab {}", lab), std::string(lab), errno);
  return guard;
}

}  // namespace nstopo::kernel
