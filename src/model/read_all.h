#pragma once
// Reads a file descriptor to its end, the loop every layer that reads a file needs: a read
// interrupted by a signal is tried again, and each chunk is appended. Header-only and
// syscall-thin: it does not open or close, and each caller words its own errors.
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <limits>
#include <string>

namespace nstopo::model {

// Appends what `fd` holds from its offset to its end to `text`, reading `Chunk` bytes at a
// time; stops early once `text` is longer than `limit` (the caller tells "too big" from
// that). Returns 0, or the errno of the read that failed (`text` keeps what came before).
template <size_t Chunk>
int read_to_end(int fd, std::string& text, size_t limit = std::numeric_limits<size_t>::max()) {
  std::array<char, Chunk> buffer;
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return 0;
    text.append(buffer.data(), static_cast<size_t>(n));
    if (text.size() > limit) return 0;
  }
}

}  // namespace nstopo::model
