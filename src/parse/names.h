#pragma once
// The rules for every name a topology file gives: each function says why a name is refused,
// or nothing when it is fine. Pure string checks; the reader adds the position.
#include <optional>
#include <string>
#include <string_view>

namespace nstopo::parse {

struct Problem {
  std::string message;
  std::string hint;
};

inline constexpr size_t kMaxLabName = 32;
inline constexpr size_t kMaxNamespaceName = 64;
inline constexpr size_t kMaxInterfaceName = 15;  // IFNAMSIZ - 1
inline constexpr size_t kMaxServiceName = 64;
inline constexpr size_t kMaxUserName = 32;
inline constexpr size_t kMaxCheckName = 100;

// 1-32 of [a-z0-9_-], starting with a letter.
std::optional<Problem> lab_name_problem(std::string_view name);
// 1-64 of [A-Za-z0-9_.-], not "." or "..", not "host".
std::optional<Problem> namespace_name_problem(std::string_view name);
// The kernel's dev_valid_name(): 1-15 bytes, no '/', ':' or whitespace, not "." or "..";
// and neither "lo" (every namespace has it) nor '%' (the kernel would pick the name).
std::optional<Problem> interface_name_problem(std::string_view name);
// 1-64 of [A-Za-z0-9_.-], not "." or "..": it names the service's log file.
std::optional<Problem> service_name_problem(std::string_view name);
// "net." then segments of [A-Za-z0-9_/-] separated by single dots.
std::optional<Problem> sysctl_key_problem(std::string_view key);
// Anything but empty or containing '='.
std::optional<Problem> env_name_problem(std::string_view name);
// 1-100 of [A-Za-z0-9_.:/@+-]: a check's name, as `check --only` and JUnit show it.
std::optional<Problem> check_name_problem(std::string_view name);
// A numeric uid (0-4294967294) or a user name of [A-Za-z0-9_.-] (and a trailing '$').
std::optional<Problem> user_problem(std::string_view user);

// A character for a message: 'x', "a space", "a tab", or "byte 0x1f".
std::string describe_char(char c);
// The same for the character starting at text[index], a whole UTF-8 sequence ('ü') if it is one.
std::string describe_char_at(std::string_view text, size_t index);

}  // namespace nstopo::parse
