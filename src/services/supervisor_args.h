#pragma once
// The command line of a service's supervisor: nstopo starts every service as
//
//   nstopo __supervise --service NS/NAME --token HEX --state-dir DIR --log PATH
//          --max-log-bytes N --grace MS [--user USER] [--cwd DIR] -- COMMAND ARGS...
//
// (/proc/self/exe, exec'd inside the service's namespace), and the supervisor starts the
// command (services/supervisor.h). The line is the supervisor's identity as much as its
// input: `ps` shows which service it runs, and the token (random, recorded before the fork)
// lets a later run find a supervisor whose pid a killed run never recorded.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/error.h"

namespace nstopo::services {

inline constexpr const char* kSuperviseCommand = "__supervise";

struct SupervisorArgs {
  std::string service;    // "ns/name", for its log lines
  std::string token;      // 32 hex digits
  std::string state_dir;  // the log lies under it (services/logs.h opens it safely)
  std::string log_path;
  uint64_t max_log_bytes = 0;      // the log is rotated to PATH.1 when it would grow past it
  std::chrono::milliseconds grace{5'000};  // SIGTERM to every descendant, then SIGKILL
  std::optional<std::string> user;
  std::optional<std::string> cwd;
  std::vector<std::string> command;
};

// argv for exec, "nstopo" first.
std::vector<std::string> supervisor_argv(const SupervisorArgs& args);

// The inverse of supervisor_argv (argv[0] and argv[1], "__supervise", included); nullopt
// when the line is not one supervisor_argv makes.
std::optional<SupervisorArgs> parse_supervisor_argv(const std::vector<std::string>& argv);

// True when `cmdline` (/proc/PID/cmdline split at NULs) is a supervisor's with this token.
bool is_supervisor_with_token(const std::vector<std::string>& cmdline, const std::string& token);

// The one line a supervisor writes on its stdout when it has started its command (an empty
// error) or could not: "started" or "failed KIND ERRNO MESSAGE", and the way back.
std::string format_supervisor_report(const std::optional<Error>& failure);
// nullopt: started. An unreadable line is an internal error that quotes it.
std::optional<Error> parse_supervisor_report(const std::string& line, const std::string& object);

// A fresh token: 16 random bytes (getrandom), in hex.
std::string new_supervisor_token();

}  // namespace nstopo::services
