#pragma once
// Runtime errors are values: every fallible operation returns Result<T>.
#include <expected>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace nstopo {

enum class ErrorKind {
  usage,          // the command line is wrong
  invalid_input,  // the topology file is wrong
  permission,     // missing root / CAP_NET_ADMIN / CAP_SYS_ADMIN
  conflict,       // a declared object exists but is not ours
  kernel,         // the kernel refused a request
  verify_failed,  // apply finished but the live state still differs
  unsupported,    // the running kernel lacks a feature (link kind, qdisc)
  busy,           // another nstopo holds the lab lock (--no-wait)
  service,        // a service failed to start or become ready
  internal,       // a bug in nstopo
  interrupted,    // a SIGINT or SIGTERM stopped the run (model/interruption.h)
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;  // full sentence: "failed to add address 10.0.0.11/24 to ns_rifky:veth_ns_rifky"
  std::string object;   // the object it concerns, e.g. "ns_rifky:veth_ns_rifky"
  int error_number = 0; // errno, 0 when none
  std::string kernel_message;  // the netlink extended ack text, empty when none
  std::vector<std::string> notes;  // what followed, e.g. "undid 4 earlier changes"

  // "message: Kernel words (EEXIST)", then one line per note — what users see.
  std::string describe() const;
};

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string message, std::string object = {},
                                   int error_number = 0, std::string kernel_message = {}) {
  return std::unexpected(Error{kind, std::move(message), std::move(object), error_number,
                               std::move(kernel_message)});
}

// Name of an errno value ("EEXIST"); "errno 123" for unknown ones.
std::string errno_name(int error_number);

std::string_view to_string(ErrorKind kind);

}  // namespace nstopo
