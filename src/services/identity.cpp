#include "services/identity.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>

namespace nstopo::services {

namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
constexpr const char* kInheritedNames[] = {"PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ"};

std::optional<uid_t> parse_uid(const std::string& text) {
  uid_t uid = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), uid);
  if (ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
  return uid;
}

Result<std::vector<gid_t>> supplementary_groups(const std::string& name, gid_t gid) {
  int count = 16;
  std::vector<gid_t> groups;
  for (int attempt = 0; attempt < 8; ++attempt) {
    groups.resize(static_cast<size_t>(count));
    int asked = count;
    if (::getgrouplist(name.c_str(), gid, groups.data(), &count) >= 0) {
      groups.resize(static_cast<size_t>(count));
      return groups;
    }
    if (count <= asked) count = asked * 2;  // glibc reports the size it needs; be safe anyway
  }
  return fail(ErrorKind::internal, fmt::format("cannot list the groups of user {}", name), name);
}

}  // namespace

Result<UserIdentity> resolve_user(const std::string& user) {
  // The re-entrant lookups: services start side by side (service_starts.cpp), and getpwnam's
  // static entry would be overwritten by another thread's lookup while this one reads it.
  long suggested = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(suggested > 0 ? static_cast<size_t>(suggested) : 16'384);
  passwd storage{};
  passwd* entry = nullptr;
  auto numeric = parse_uid(user);
  int error = 0;
  for (;;) {
    error = numeric ? ::getpwuid_r(*numeric, &storage, buffer.data(), buffer.size(), &entry)
                    : ::getpwnam_r(user.c_str(), &storage, buffer.data(), buffer.size(), &entry);
    if (error != ERANGE || buffer.size() >= (1U << 20)) break;
    buffer.resize(buffer.size() * 2);
  }
  if (entry == nullptr) {
    if (numeric) return UserIdentity{user, *numeric, static_cast<gid_t>(*numeric), {}, "/"};
    return fail(ErrorKind::service, fmt::format("unknown user {}", user), user, error);
  }
  std::string_view home = entry->pw_dir != nullptr ? entry->pw_dir : "";
  UserIdentity identity{entry->pw_name, entry->pw_uid, entry->pw_gid, {},
                        std::string(home.empty() ? "/" : home)};
  auto groups = supplementary_groups(identity.name, identity.gid);
  if (!groups) return std::unexpected(groups.error());
  identity.groups = std::move(*groups);
  return identity;
}

std::map<std::string, std::string> inherited_environment() {
  std::map<std::string, std::string> values;
  for (const char* name : kInheritedNames)
    if (const char* value = std::getenv(name)) values.emplace(name, value);
  return values;
}

std::vector<std::string> service_environment(const std::map<std::string, std::string>& declared,
                                             const std::optional<UserIdentity>& user,
                                             const std::map<std::string, std::string>& inherited) {
  auto inherited_or = [&inherited](const char* name, std::string fallback) {
    auto it = inherited.find(name);
    return it != inherited.end() ? it->second : std::move(fallback);
  };
  std::map<std::string, std::string> env;
  env["PATH"] = inherited_or("PATH", kDefaultPath);
  if (user) {
    env["HOME"] = user->home;
    env["USER"] = user->name;
    env["LOGNAME"] = user->name;
  } else {
    env["HOME"] = inherited_or("HOME", "/");
    for (const char* name : {"USER", "LOGNAME"})
      if (auto it = inherited.find(name); it != inherited.end()) env[name] = it->second;
  }
  for (const char* name : {"LANG", "LC_ALL", "TZ"})
    if (auto it = inherited.find(name); it != inherited.end()) env[name] = it->second;
  for (const auto& [name, value] : declared) env[name] = value;
  std::vector<std::string> result;
  result.reserve(env.size());
  for (const auto& [name, value] : env) result.push_back(name + "=" + value);
  return result;
}

}  // namespace nstopo::services
