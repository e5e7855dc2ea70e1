#include "checks/connect.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "kernel/netns/netns_exec.h"

namespace nstopo::checks {

std::string errno_text(int error_number) {
  return fmt::format("{} ({})", std::strerror(error_number), errno_name(error_number));
}

int poll_timeout(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

std::string format_duration(std::chrono::duration<double> elapsed) {
  double ms = elapsed.count() * 1000.0;
  if (ms < 10) return fmt::format("{:.1f} ms", ms);
  if (ms < 1000) return fmt::format("{:.0f} ms", ms);
  return fmt::format("{:.2f} s", elapsed.count());
}

kernel::UniqueFd connect_from(const std::string& netns_dir, const std::string& ns,
                              const model::IpAddress& to, uint16_t port, Clock::time_point deadline,
                              ProbeOutcome& outcome) {
  std::string where = to.family == model::Family::inet ? fmt::format("{}:{}", to, port)
                                                       : fmt::format("[{}]:{}", to, port);
  auto socket = kernel::socket_in_namespace(netns_dir, ns, to.af(), SOCK_STREAM | SOCK_NONBLOCK);
  if (!socket) {
    outcome.summary = socket.error().describe();
    outcome.evidence.push_back(outcome.summary);
    return {};
  }
  sockaddr_storage address{};
  socklen_t length = 0;
  if (to.family == model::Family::inet) {
    auto& in = reinterpret_cast<sockaddr_in&>(address);
    in.sin_family = AF_INET;
    in.sin_port = htons(port);
    std::memcpy(&in.sin_addr, to.bytes.data(), 4);
    length = sizeof in;
  } else {
    auto& in6 = reinterpret_cast<sockaddr_in6&>(address);
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(port);
    std::memcpy(&in6.sin6_addr, to.bytes.data(), 16);
    length = sizeof in6;
  }
  auto start = Clock::now();
  int error_number = 0;
  if (::connect(socket->get(), reinterpret_cast<sockaddr*>(&address), length) != 0) {
    error_number = errno;
    if (error_number == EINPROGRESS) {
      pollfd waiting{.fd = socket->get(), .events = POLLOUT, .revents = 0};
      int ready = 0;
      do ready = ::poll(&waiting, 1, poll_timeout(deadline));
      while (ready < 0 && errno == EINTR);
      if (ready == 0) {
        outcome.summary = fmt::format("connect to {}: no answer within {}", where,
                                      format_duration(Clock::now() - start));
        outcome.evidence.push_back(fmt::format("sent SYN to {} from namespace {}", where, ns));
        outcome.evidence.push_back(outcome.summary);
        return {};
      }
      socklen_t size = sizeof error_number;
      ::getsockopt(socket->get(), SOL_SOCKET, SO_ERROR, &error_number, &size);
    }
  }
  if (error_number != 0) {
    outcome.summary = fmt::format("connect to {}: {}", where, errno_text(error_number));
    outcome.evidence.push_back(fmt::format("connect to {} from namespace {}", where, ns));
    outcome.evidence.push_back(outcome.summary);
    return {};
  }
  outcome.evidence.push_back(fmt::format("connected to {} from namespace {} in {}", where, ns,
                                         format_duration(Clock::now() - start)));
  return std::move(*socket);
}

}  // namespace nstopo::checks
