#include "parse/names.h"

#include <charconv>
#include <cstdint>

#include <fmt/format.h>

namespace nstopo::parse {
namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_letter(char c) { return is_lower(c) || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
// The kernel's isspace(): space, \t \n \v \f \r.
bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// [A-Za-z0-9_.-]: safe as a file name component once "." and ".." are excluded.
bool is_portable(char c) { return is_letter(c) || is_digit(c) || c == '_' || c == '.' || c == '-'; }

// The first character of `name` that `allowed` refuses, as a message shows it.
template <typename Allowed>
std::optional<std::string> first_refused(std::string_view name, Allowed allowed) {
  for (size_t i = 0; i < name.size(); ++i)
    if (!allowed(name[i])) return describe_char_at(name, i);
  return std::nullopt;
}

std::optional<Problem> portable_name_problem(std::string_view what, std::string_view name,
                                             size_t max_length, std::string_view why) {
  if (name.empty()) return Problem{fmt::format("{} name is empty", what), {}};
  if (name == "." || name == "..")
    return Problem{fmt::format("{} name '{}' is not allowed ({})", what, name, why), {}};
  if (name.size() > max_length)
    return Problem{fmt::format("{} name '{}' is {} characters; nstopo allows at most {}", what,
                               name, name.size(), max_length),
                   {}};
  if (auto c = first_refused(name, is_portable))
    return Problem{fmt::format("{} name '{}' contains {}; allowed are A-Z, a-z, 0-9, '_', '.' "
                               "and '-'",
                               what, name, *c),
                   {}};
  return std::nullopt;
}

}  // namespace

std::string describe_char_at(std::string_view text, size_t index) {
  auto lead = static_cast<unsigned char>(text[index]);
  size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  bool whole = lead >= 0xc0 && lead < 0xf8 && index + length <= text.size();
  for (size_t i = 1; whole && i < length; ++i)
    whole = (static_cast<unsigned char>(text[index + i]) & 0xc0) == 0x80;
  if (whole) return fmt::format("'{}'", text.substr(index, length));
  return describe_char(text[index]);
}

std::string describe_char(char c) {
  if (c == ' ') return "a space";
  if (c == '\t') return "a tab";
  auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte >= 0x7f) return fmt::format("byte 0x{:02x}", byte);
  return fmt::format("'{}'", c);
}

std::optional<Problem> lab_name_problem(std::string_view name) {
  if (name.empty())
    return Problem{"lab name is empty", "a lab name is 1-32 of a-z, 0-9, '_' and '-'"};
  if (name.size() > kMaxLabName)
    return Problem{fmt::format("lab name '{}' is {} characters; nstopo allows at most {}", name,
                               name.size(), kMaxLabName),
                   {}};
  auto allowed = [](char c) { return is_lower(c) || is_digit(c) || c == '_' || c == '-'; };
  for (size_t i = 0; i < name.size(); ++i) {
    if (allowed(name[i])) continue;
    std::string hint = is_letter(name[i]) ? "lab names are lower case" : "";
    return Problem{fmt::format("lab name '{}' contains {}; allowed are a-z, 0-9, '_' and '-'", name,
                               describe_char_at(name, i)),
                   hint};
  }
  if (!is_lower(name.front()))
    return Problem{fmt::format("lab name '{}' must start with a letter (a-z)", name), {}};
  return std::nullopt;
}

std::optional<Problem> namespace_name_problem(std::string_view name) {
  if (name == "host")
    return Problem{"'host' is reserved for the namespace nstopo runs in",
                   "declare its interfaces under the top-level 'host' key"};
  return portable_name_problem("namespace", name, kMaxNamespaceName,
                               "it names a file under /run/netns");
}

std::optional<Problem> interface_name_problem(std::string_view name) {
  if (name.empty()) return Problem{"interface name is empty", {}};
  if (name.size() > kMaxInterfaceName)
    return Problem{fmt::format("interface name '{}' is {} bytes; Linux allows at most {}", name,
                               name.size(), kMaxInterfaceName),
                   {}};
  if (name == "." || name == "..")
    return Problem{fmt::format("interface name '{}' is not allowed by Linux", name), {}};
  // The names of the per-interface settings directories every namespace has
  // (net.ipv4.conf.all, .default): the kernel refuses a device of either name (EINVAL).
  if (name == "all" || name == "default")
    return Problem{fmt::format("interface name '{}' is reserved: the kernel keeps "
                               "net.ipv4.conf.{} for the settings of every interface and refuses "
                               "a device of that name",
                               name, name),
                   "choose another name"};
  if (name == "lo")
    return Problem{
        "interface 'lo' is the loopback device, which every namespace already has; "
        "nstopo does not manage it",
        {}};
  for (char c : name) {
    if (c == '/' || c == ':' || is_space(c))
      return Problem{fmt::format("interface name '{}' contains {}, which Linux does not allow",
                                 name, describe_char(c)),
                     {}};
    if (c == '%')
      return Problem{fmt::format("interface name '{}' contains '%', which makes Linux choose "
                                 "the name itself",
                                 name),
                     {}};
  }
  return std::nullopt;
}

std::optional<Problem> service_name_problem(std::string_view name) {
  return portable_name_problem("service", name, kMaxServiceName, "it names the service's log file");
}

std::optional<Problem> check_name_problem(std::string_view name) {
  if (name.empty()) return Problem{"check name is empty", {}};
  if (name.size() > kMaxCheckName)
    return Problem{fmt::format("check name '{}' is {} characters long; at most {} are allowed",
                               name, name.size(), kMaxCheckName),
                   {}};
  auto allowed = [](char c) {
    return is_letter(c) || is_digit(c) || std::string_view("_.:/@+-").find(c) != std::string_view::npos;
  };
  if (auto c = first_refused(name, allowed))
    return Problem{fmt::format("check name '{}' contains {}; allowed are letters, digits and "
                               "'_', '.', ':', '/', '@', '+', '-'",
                               name, *c),
                   "e.g. name: web-from-host"};
  return std::nullopt;
}

std::optional<Problem> sysctl_key_problem(std::string_view key) {
  if (!key.starts_with("net."))
    return Problem{fmt::format("sysctl '{}' is not a network sysctl; only 'net.*' settings belong "
                               "to a namespace",
                               key),
                   {}};
  auto allowed = [](char c) {
    return is_letter(c) || is_digit(c) || c == '_' || c == '-' || c == '/' || c == '.';
  };
  if (auto c = first_refused(key, allowed))
    return Problem{fmt::format("sysctl '{}' contains {}; allowed are letters, digits, '_', '-', "
                               "'/' and single dots between segments",
                               key, *c),
                   {}};
  if (key.back() == '.' || key.find("..") != std::string_view::npos)
    return Problem{fmt::format("sysctl '{}' has an empty segment ('..' or a trailing '.')", key),
                   {}};
  return std::nullopt;
}

std::optional<Problem> env_name_problem(std::string_view name) {
  if (name.empty()) return Problem{"environment variable name is empty", {}};
  if (name.find('=') != std::string_view::npos)
    return Problem{fmt::format("environment variable name '{}' contains '='", name), {}};
  if (name.find('\0') != std::string_view::npos)
    return Problem{"environment variable name contains a NUL byte (\\0), which no environment "
                   "can hold",
                   {}};
  return std::nullopt;
}

std::optional<Problem> user_problem(std::string_view user) {
  if (user.empty()) return Problem{"user is empty", {}};
  if (first_refused(user, is_digit) == std::nullopt) {
    uint64_t uid = 0;
    auto [end, ec] = std::from_chars(user.data(), user.data() + user.size(), uid);
    if (ec != std::errc{} || end != user.data() + user.size() || uid > 4294967294u)
      return Problem{fmt::format("uid {} is out of range 0-4294967294", user), {}};
    return std::nullopt;
  }
  std::string_view body = user.ends_with('$') ? user.substr(0, user.size() - 1) : user;
  if (user.size() > kMaxUserName)
    return Problem{fmt::format("user name '{}' is {} characters; at most {} are allowed", user,
                               user.size(), kMaxUserName),
                   {}};
  if (auto c = first_refused(body, is_portable))
    return Problem{fmt::format("user name '{}' contains {}; allowed are A-Z, a-z, 0-9, '_', '.' "
                               "and '-'",
                               user, *c),
                   {}};
  if (body.empty()) return Problem{fmt::format("user name '{}' is only a '$'", user), {}};
  if (body.front() == '-')
    return Problem{fmt::format("user name '{}' must not start with '-'", user), {}};
  return std::nullopt;
}

}  // namespace nstopo::parse
