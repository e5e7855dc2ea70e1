#include "model/error.h"

#include <cerrno>
#include <cstring>

namespace nstopo {

std::string errno_name(int e) {
  switch (e) {
#define NSTOPO_ERRNO(x) \
  case x:               \
    return #x;
    NSTOPO_ERRNO(EPERM) NSTOPO_ERRNO(ENOENT) NSTOPO_ERRNO(ESRCH) NSTOPO_ERRNO(EINTR)
    NSTOPO_ERRNO(EIO) NSTOPO_ERRNO(E2BIG) NSTOPO_ERRNO(EBADF) NSTOPO_ERRNO(EAGAIN)
    NSTOPO_ERRNO(ENOMEM) NSTOPO_ERRNO(EACCES) NSTOPO_ERRNO(EBUSY) NSTOPO_ERRNO(EEXIST)
    NSTOPO_ERRNO(ENODEV) NSTOPO_ERRNO(ENOTDIR) NSTOPO_ERRNO(EINVAL) NSTOPO_ERRNO(ENFILE)
    NSTOPO_ERRNO(EMFILE) NSTOPO_ERRNO(ENOSPC) NSTOPO_ERRNO(ERANGE) NSTOPO_ERRNO(ENAMETOOLONG)
    NSTOPO_ERRNO(EOPNOTSUPP) NSTOPO_ERRNO(EADDRINUSE) NSTOPO_ERRNO(EADDRNOTAVAIL)
    NSTOPO_ERRNO(ENETUNREACH) NSTOPO_ERRNO(ENETDOWN) NSTOPO_ERRNO(ETIMEDOUT)
    NSTOPO_ERRNO(ECONNREFUSED) NSTOPO_ERRNO(EHOSTUNREACH) NSTOPO_ERRNO(EAFNOSUPPORT)
    NSTOPO_ERRNO(EPROTONOSUPPORT) NSTOPO_ERRNO(ENOBUFS) NSTOPO_ERRNO(ELOOP)
    NSTOPO_ERRNO(EROFS) NSTOPO_ERRNO(ECHILD) NSTOPO_ERRNO(ENOEXEC)
#undef NSTOPO_ERRNO
    default:
      return fmt::format("errno {}", e);
  }
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
  }
  return "internal";
}

}  // namespace nstopo
