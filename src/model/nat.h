#pragma once
// NAT declared on a namespace: its traffic to the outside masqueraded behind the host
// (`nat: {out: true}`), and ports of the host forwarded to its addresses (`ports:`). The lab's
// rules live in one nftables table of the host, `inet nstopo-LAB`, marked as the lab's by its
// comment (plan/nat_ruleset.h renders it; kernel/nft/ reads and replaces it).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/ip.h"

namespace nstopo::model {

enum class PortProtocol : uint8_t { tcp, udp };
std::string_view to_string(PortProtocol protocol);  // "tcp", "udp"

// "8080:10.0.0.11:4000/tcp": connections to port 8080 of the host go to 10.0.0.11:4000.
struct PortForward {
  uint16_t host_port = 0;
  IpAddress to;
  uint16_t to_port = 0;
  PortProtocol protocol = PortProtocol::tcp;
  int line = 0;  // where it is declared (for messages)
  // "8080/tcp -> 10.0.0.11:4000", as plans and messages show it.
  std::string to_string() const;
  auto operator<=>(const PortForward&) const = default;
};

struct Nat {
  bool out = false;                // masquerade the namespace's traffic leaving the host
  std::vector<PortForward> ports;  // file order
  auto operator<=>(const Nat&) const = default;
};

// The lab's table: "nstopo-LAB" in family inet, and the comment that marks it as the lab's.
std::string nat_table_name(std::string_view lab);
std::string nat_table_mark(std::string_view lab);  // "nstopo lab LAB"

}  // namespace nstopo::model
