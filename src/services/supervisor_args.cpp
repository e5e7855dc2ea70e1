#include "services/supervisor_args.h"

#include <sys/random.h>

#include <array>
#include <charconv>

#include <fmt/format.h>

namespace nstopo::services {

namespace {

template <typename T>
bool parse_number(const std::string& text, T& value) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && p == text.data() + text.size();
}

}  // namespace

std::vector<std::string> supervisor_argv(const SupervisorArgs& args) {
  std::vector<std::string> argv{"nstopo",      kSuperviseCommand,
                                "--service",   args.service,
                                "--token",     args.token,
                                "--state-dir", args.state_dir,
                                "--log",       args.log_path,
                                "--max-log-bytes", std::to_string(args.max_log_bytes),
                                "--grace",     std::to_string(args.grace.count())};
  if (args.user) argv.insert(argv.end(), {"--user", *args.user});
  if (args.cwd) argv.insert(argv.end(), {"--cwd", *args.cwd});
  argv.push_back("--");
  argv.insert(argv.end(), args.command.begin(), args.command.end());
  return argv;
}

std::optional<SupervisorArgs> parse_supervisor_argv(const std::vector<std::string>& argv) {
  if (argv.size() < 2 || argv[1] != kSuperviseCommand) return std::nullopt;
  SupervisorArgs args;
  size_t i = 2;
  for (; i < argv.size() && argv[i] != "--"; i += 2) {
    if (i + 1 >= argv.size()) return std::nullopt;
    const std::string& option = argv[i];
    const std::string& value = argv[i + 1];
    if (option == "--service") {
      args.service = value;
    } else if (option == "--token") {
      args.token = value;
    } else if (option == "--state-dir") {
      args.state_dir = value;
    } else if (option == "--log") {
      args.log_path = value;
    } else if (option == "--max-log-bytes") {
      if (!parse_number(value, args.max_log_bytes)) return std::nullopt;
    } else if (option == "--grace") {
      int64_t ms = 0;
      if (!parse_number(value, ms) || ms < 0) return std::nullopt;
      args.grace = std::chrono::milliseconds(ms);
    } else if (option == "--user") {
      args.user = value;
    } else if (option == "--cwd") {
      args.cwd = value;
    } else {
      return std::nullopt;
    }
  }
  if (i >= argv.size() || i + 1 >= argv.size()) return std::nullopt;  // no "--" or no command
  args.command.assign(argv.begin() + static_cast<std::ptrdiff_t>(i) + 1, argv.end());
  if (args.token.empty() || args.log_path.empty() || args.state_dir.empty()) return std::nullopt;
  return args;
}

bool is_supervisor_with_token(const std::vector<std::string>& cmdline, const std::string& token) {
  if (token.empty() || cmdline.size() < 2 || cmdline[1] != kSuperviseCommand) return false;
  for (size_t i = 2; i + 1 < cmdline.size() && cmdline[i] != "--"; i += 2)
    if (cmdline[i] == "--token") return cmdline[i + 1] == token;
  return false;
}

std::string format_supervisor_report(const std::optional<Error>& failure) {
  if (!failure) return "started\n";
  std::string message = failure->message;
  for (char& c : message)
    if (c == '\n') c = ' ';
  return fmt::format("failed {} {} {}\n", static_cast<int>(failure->kind), failure->error_number,
                     message);
}

std::optional<Error> parse_supervisor_report(const std::string& line, const std::string& object) {
  if (line == "started") return std::nullopt;
  Error error{ErrorKind::internal,
              fmt::format("the supervisor of service {} said: '{}'", object, line), object};
  if (!line.starts_with("failed ")) return error;
  size_t kind_end = line.find(' ', 7);
  size_t errno_end = kind_end == std::string::npos ? kind_end : line.find(' ', kind_end + 1);
  int kind = 0;
  int error_number = 0;
  if (errno_end == std::string::npos || !parse_number(line.substr(7, kind_end - 7), kind) ||
      !parse_number(line.substr(kind_end + 1, errno_end - kind_end - 1), error_number) ||
      kind < 0 || kind > static_cast<int>(ErrorKind::interrupted))
    return error;
  return Error{static_cast<ErrorKind>(kind), line.substr(errno_end + 1), object, error_number};
}

std::string new_supervisor_token() {
  std::array<unsigned char, 16> bytes{};
  size_t got = 0;
  while (got < bytes.size()) {
    ssize_t n = ::getrandom(bytes.data() + got, bytes.size() - got, 0);
    if (n > 0) got += static_cast<size_t>(n);
  }
  std::string hex;
  for (unsigned char b : bytes) hex += fmt::format("{:02x}", b);
  return hex;
}

}  // namespace nstopo::services
