// ping checks: ICMP echo requests sent by nstopo itself. An ICMP datagram socket where
// net.ipv4.ping_group_range lets this group have one (no privilege needed), else a raw
// socket (root); never the ping program.
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/connect.h"
#include "checks/probes.h"
#include "kernel/netns/netns_exec.h"

namespace nstopo::checks {
namespace {

constexpr size_t kPayload = 56;  // ping's default

struct IcmpSocket {
  kernel::UniqueFd fd;
  bool raw = false;  // a raw socket sees every ICMP message: replies are matched by identifier
};

Result<IcmpSocket> open_icmp(const std::string& netns_dir, const std::string& ns,
                             model::Family family, std::vector<std::string>& evidence) {
  int domain = family == model::Family::inet ? AF_INET : AF_INET6;
  int protocol = family == model::Family::inet ? int{IPPROTO_ICMP} : int{IPPROTO_ICMPV6};
  auto datagram = kernel::socket_in_namespace(netns_dir, ns, domain, SOCK_DGRAM, protocol);
  if (datagram) return IcmpSocket{std::move(*datagram), false};
  int why = datagram.error().error_number;
  if (why != EACCES && why != EPERM && why != EPROTONOSUPPORT) return std::unexpected(datagram.error());
  auto raw = kernel::socket_in_namespace(netns_dir, ns, domain, SOCK_RAW, protocol);
  if (!raw) {
    evidence.push_back(fmt::format("no ICMP datagram socket ({}; see net.ipv4.ping_group_range)",
                                   errno_text(why)));
    return std::unexpected(raw.error());
  }
  return IcmpSocket{std::move(*raw), true};
}

// RFC 1071; the kernel fills it in for datagram sockets and ICMPv6, not for raw IPv4.
uint16_t checksum(const uint8_t* data, size_t length) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < length; i += 2) sum += static_cast<uint32_t>(data[i] << 8 | data[i + 1]);
  if (length % 2) sum += static_cast<uint32_t>(data[length - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return htons(static_cast<uint16_t>(~sum));
}

uint16_t next_identifier() {
  static std::atomic<uint16_t> counter{static_cast<uint16_t>(::getpid())};
  return counter.fetch_add(1);
}

// Is `packet` (as recv gave it) the echo reply to (identifier, sequence) from `target`?
bool is_reply(const uint8_t* packet, size_t length, const IcmpSocket& socket, model::Family family,
              uint16_t identifier, uint16_t sequence) {
  if (family == model::Family::inet && socket.raw) {  // a raw IPv4 socket gets the IP header
    if (length < sizeof(iphdr)) return false;
    size_t header = static_cast<size_t>(reinterpret_cast<const iphdr*>(packet)->ihl) * 4;
    if (length < header) return false;
    packet += header;
    length -= header;
  }
  if (length < 8) return false;
  uint8_t reply_type = family == model::Family::inet ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY;
  uint16_t got_id, got_sequence;
  std::memcpy(&got_id, packet + 4, 2);
  std::memcpy(&got_sequence, packet + 6, 2);
  // A datagram socket's identifier is the kernel's (its local port), and only its own
  // replies reach it.
  return packet[0] == reply_type && ntohs(got_sequence) == sequence &&
         (!socket.raw || ntohs(got_id) == identifier);
}

// One target: `count` echo requests, each waited for up to the check's timeout.
int ping_target(const model::PingCheck& check, const model::IpAddress& target,
                const ProbeContext& context, std::vector<std::string>& evidence) {
  auto socket = open_icmp(context.netns_dir, check.from, target.family, evidence);
  if (!socket) {
    evidence.push_back(socket.error().describe());
    return 0;
  }
  sockaddr_storage address{};
  socklen_t address_length = 0;
  if (target.family == model::Family::inet) {
    auto& in = reinterpret_cast<sockaddr_in&>(address);
    in.sin_family = AF_INET;
    std::memcpy(&in.sin_addr, target.bytes.data(), 4);
    address_length = sizeof in;
  } else {
    auto& in6 = reinterpret_cast<sockaddr_in6&>(address);
    in6.sin6_family = AF_INET6;
    std::memcpy(&in6.sin6_addr, target.bytes.data(), 16);
    address_length = sizeof in6;
  }
  const char* kind = socket->raw ? "raw" : "datagram";
  uint16_t identifier = next_identifier();
  int replies = 0;
  for (int sequence = 1; sequence <= check.count; ++sequence) {
    uint8_t packet[8 + kPayload] = {};
    packet[0] = target.family == model::Family::inet ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
    uint16_t id_net = htons(identifier), sequence_net = htons(static_cast<uint16_t>(sequence));
    std::memcpy(packet + 4, &id_net, 2);
    std::memcpy(packet + 6, &sequence_net, 2);
    for (size_t i = 0; i < kPayload; ++i) packet[8 + i] = static_cast<uint8_t>(i);
    if (target.family == model::Family::inet) {
      uint16_t sum = checksum(packet, sizeof packet);
      std::memcpy(packet + 2, &sum, 2);
    }
    auto start = Clock::now();
    if (::sendto(socket->fd.get(), packet, sizeof packet, 0, reinterpret_cast<sockaddr*>(&address),
                 address_length) < 0) {
      evidence.push_back(fmt::format("echo request {} to {} ({} ICMP socket in {}): sendto: {}",
                                     sequence, target, kind, check.from, errno_text(errno)));
      continue;
    }
    auto deadline = start + context.timeout;
    bool answered = false;
    while (!answered) {
      pollfd waiting{.fd = socket->fd.get(), .events = POLLIN, .revents = 0};
      int ready = ::poll(&waiting, 1, poll_timeout(deadline));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) break;
      uint8_t reply[1500];
      ssize_t got = ::recv(socket->fd.get(), reply, sizeof reply, MSG_DONTWAIT);
      if (got < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        evidence.push_back(fmt::format("echo request {} to {}: receive: {}", sequence, target,
                                       errno_text(errno)));
        break;
      }
      answered = is_reply(reply, static_cast<size_t>(got), *socket, target.family, identifier,
                          static_cast<uint16_t>(sequence));
    }
    if (answered) {
      ++replies;
      evidence.push_back(fmt::format("echo request {} to {} ({} ICMP socket in {}): reply in {}",
                                     sequence, target, kind, check.from,
                                     format_duration(Clock::now() - start)));
    } else {
      evidence.push_back(fmt::format("echo request {} to {} ({} ICMP socket in {}): no reply "
                                     "within {} ms",
                                     sequence, target, kind, check.from, context.timeout.count()));
    }
  }
  return replies;
}

}  // namespace

// Holds when every target answers at least one of its echo requests (ping's own exit status).
ProbeOutcome ping(const model::PingCheck& check, const ProbeContext& context) {
  ProbeOutcome outcome;
  outcome.succeeded = true;
  std::vector<std::string> parts;
  for (const auto& target : check.targets) {
    int replies = ping_target(check, target, context, outcome.evidence);
    parts.push_back(fmt::format("{}: {}/{} replies", target, replies, check.count));
    if (replies == 0) outcome.succeeded = false;
  }
  outcome.summary = fmt::format("{}", fmt::join(parts, ", "));
  return outcome;
}

}  // namespace nstopo::checks
