#include "services/readiness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "kernel/netns/netns_exec.h"
#include "services/listeners.h"
#include "services/process_spawner.h"

namespace nstopo::services {

namespace {

constexpr auto kOneAttempt = std::chrono::milliseconds(1'000);

bool connect_accepted(const std::string& netns_dir, const std::string& ns, int family,
                      const sockaddr* address, socklen_t length, std::chrono::milliseconds timeout) {
  auto socket = kernel::socket_in_namespace(netns_dir, ns, family, SOCK_STREAM | SOCK_NONBLOCK);
  if (!socket) return false;
  if (::connect(socket->get(), address, length) == 0) return true;
  if (errno != EINPROGRESS) return false;
  pollfd pfd{socket->get(), POLLOUT, 0};
  int ready = 0;
  do {
    ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  if (ready <= 0) return false;
  int error = 0;
  socklen_t error_length = sizeof error;
  return ::getsockopt(socket->get(), SOL_SOCKET, SO_ERROR, &error, &error_length) == 0 && error == 0;
}

std::string joined(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) text += (text.empty() ? "" : " ") + arg;
  return text;
}

}  // namespace

bool tcp_port_accepting(const std::string& netns_dir, const std::string& ns,
                        const model::IpAddress& address, uint16_t port,
                        std::chrono::milliseconds timeout) {
  if (address.family == model::Family::inet) {
    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    std::memcpy(&v4.sin_addr, address.bytes.data(), 4);
    return connect_accepted(netns_dir, ns, AF_INET, reinterpret_cast<const sockaddr*>(&v4),
                            sizeof v4, timeout);
  }
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  v6.sin6_port = htons(port);
  std::memcpy(&v6.sin6_addr, address.bytes.data(), 16);
  return connect_accepted(netns_dir, ns, AF_INET6, reinterpret_cast<const sockaddr*>(&v6),
                          sizeof v6, timeout);
}

bool tcp_probe_ready(const std::string& netns_dir, const std::string& ns,
                     const model::ReadyProbe& probe, int owner, std::chrono::milliseconds timeout) {
  if (owner <= 0) return false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const auto& target : probe.tcp_targets()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    // Connecting first, then looking at the tables: the listener the connect reached is
    // there while the check runs (it may have been made just before the connect).
    if (tcp_port_accepting(netns_dir, ns, target, probe.port,
                           std::max(left, std::chrono::milliseconds(1))) &&
        listener_owned_by_tree(owner, target, probe.port))
      return true;
  }
  return false;
}

std::string describe_unready(const model::ReadyProbe& probe) {
  switch (probe.kind) {
    case model::ReadyProbe::Kind::none: return "not running";
    case model::ReadyProbe::Kind::tcp: {
      std::string tried;
      auto targets = probe.tcp_targets();
      for (size_t i = 0; i < targets.size(); ++i)
        tried += (i == 0 ? "" : i + 1 == targets.size() ? " or " : ", ") + targets[i].to_string();
      return fmt::format("tcp port {} not accepting on {} in the service's own processes",
                         probe.port, tried);
    }
    case model::ReadyProbe::Kind::exec:
      return fmt::format("exec probe '{}' did not exit 0", joined(probe.argv));
  }
  return "not ready";
}

std::string format_duration(std::chrono::milliseconds duration) {
  auto ms = duration.count();
  if (ms < 1'000) return fmt::format("{}ms", ms);
  if (ms % 1'000 == 0) return fmt::format("{}s", ms / 1'000);
  return fmt::format("{:.1f}s", static_cast<double>(ms) / 1'000.0);
}

bool probe_ready_once(Spawner& spawner, const ProcessSpec& spec, const model::Service& service,
                      int owner, std::chrono::milliseconds tcp_attempt) {
  auto attempt = service.ready.kind == model::ReadyProbe::Kind::exec
                     ? service.ready.timeout
                     : std::min(service.ready.timeout, tcp_attempt);
  return spawner.probe_once(spec, service.ready, owner, attempt);
}

bool probe_ready_once(const std::string& netns_dir, const std::string& ns,
                      const model::Service& service, int owner) {
  ProcessSpawner spawner;
  return probe_ready_once(spawner, service_process_spec(netns_dir, ns, service), service, owner,
                          kOneAttempt);
}

}  // namespace nstopo::services
