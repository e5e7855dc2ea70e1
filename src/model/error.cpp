#include "model/error.h"

#include <cerrno>
#include <cstring>

namespace nstopo {

std::string errno_name(int e) {
  // glibc >= 2.32 knows every errno's name.
  if (const char* name = strerrorname_np(e)) return name;
  return fmt::format("errno {}", e);
}

std::string Error::describe() const {
  std::string text = message;
  if (!kernel_message.empty()) {
    text += fmt::format(": {}", kernel_message);
    if (error_number != 0) text += fmt::format(" ({})", errno_name(error_number));
  } else if (error_number != 0) {
    text += fmt::format(": {} ({})", std::strerror(error_number), errno_name(error_number));
  }
  for (auto& note : notes) text += "\n" + note;
  return text;
}

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage: return "usage";
    case ErrorKind::invalid_input: return "invalid input";
    case ErrorKind::permission: return "permission";
    case ErrorKind::conflict: return "conflict";
    case ErrorKind::kernel: return "kernel";
    case ErrorKind::verify_failed: return "verify failed";
    case ErrorKind::unsupported: return "unsupported";
    case ErrorKind::busy: return "busy";
    case ErrorKind::service: return "service";
    case ErrorKind::internal: return "internal";
    case ErrorKind::interrupted: return "interrupted";
  }
  return "internal";
}

}  // namespace nstopo
