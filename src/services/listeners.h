#pragma once
// Whose is the listener a tcp readiness probe reached? A probe that passes for whoever holds
// the port would call a service ready while another process answers in its place, so the
// listening socket must be open in the service's own process tree. The kernel's tables
// (/proc/PID/net/tcp, tcp6: those of PID's network namespace) give the listening sockets
// with their inodes; a process holds one when an fd of it links to "socket:[INODE]".
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/ip.h"

namespace nstopo::services {

struct TcpListener {
  model::IpAddress address;  // the unspecified address for a wildcard bind
  uint16_t port = 0;
  uint64_t inode = 0;
};

// The sockets in state LISTEN (0A) of a /proc/net/tcp (family inet) or tcp6 (inet6) table;
// other states, the header and lines that do not parse are skipped. Pure.
std::vector<TcpListener> parse_tcp_listeners(std::string_view table, model::Family family);

// The inodes of the listeners a connect to `target`:`port` reaches, as the kernel picks
// (inet_lhash2_lookup: the exact address first, then the wildcard; an AF_INET socket scores
// above an IPv6 one): for IPv4, those bound to `target`, else to its IPv4-mapped IPv6 form,
// else to 0.0.0.0, else to :: (a dual-stack socket; whether one is v6only the tables do not
// say, but the connect was accepted by someone); for IPv6, `target`, else ::. Pure.
std::vector<uint64_t> listeners_reached(const std::vector<TcpListener>& listeners,
                                        const model::IpAddress& target, uint16_t port);

// "socket:[12345]" -> 12345; nullopt for any other fd link. Pure.
std::optional<uint64_t> socket_inode(std::string_view fd_link);

// A listener on a port and the process holding it, for the message of a probe that failed.
struct PortHolder {
  model::IpAddress address;
  int pid = 0;           // 0: no process nstopo can see holds it
  std::string name;      // its command name
  bool in_tree = false;  // the service's own
  auto operator<=>(const PortHolder&) const = default;
};

// "tcp port 4000 is listened on at 0.0.0.0 by pid 812 (python3), not the service's; at
// 127.0.0.1 by pid 901 (python3), the service's", or "nothing listens on tcp port 4000 in
// the service's namespace". Pure.
std::string describe_port_holders(uint16_t port, const std::vector<PortHolder>& holders);

// The listeners on `port` in the network namespace of process `root`, each with a process
// that holds it (one in `root`'s tree when there is one).
std::vector<PortHolder> port_holders(int root, uint16_t port);

// True when a listener that a connect to `target`:`port` reaches, in the network namespace
// of process `root`, is open in `root` or a process below it.
bool listener_owned_by_tree(int root, const model::IpAddress& target, uint16_t port);

}  // namespace nstopo::services
