// Reading the kernel's tcp tables: which listener a probe's connect reached, and whose it is.
#include <doctest/doctest.h>

#include <bit>

#include "services/listeners.h"

namespace nstopo::services {
namespace {

model::IpAddress ip(std::string_view text) { return *model::IpAddress::parse(text); }

// Lines as a little-endian machine prints them (each address word is the hex of its native
// value: 0100007F is 127.0.0.1); the port is plain hex (0FA0 = 4000).
constexpr std::string_view kTcp =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
    "timeout inode\n"
    "   0: 00000000:0FA0 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        "
    "0 23456 1 0000000000000000 100 0 0 10 0\n"
    "   1: 0B00000A:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        "
    "0 23457 1 0000000000000000 100 0 0 10 0\n"
    "   2: 0100007F:0FA0 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        "
    "0 23458 1 0000000000000000 20 4 30 10 -1\n"
    "   3: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        "
    "0 23459 1 0000000000000000 100 0 0 10 0\n";

constexpr std::string_view kTcp6 =
    "  sl  local_address                         remote_address                        st "
    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000000000000:1388 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000     0        0 34567 1 0000000000000000 100 0 0 10 0\n"
    "   1: 000000FD000000000000000011000000:0FA0 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000     0        0 34568 1 0000000000000000 100 0 0 10 0\n"
    "   2: 0000000000000000FFFF00000C00000A:0FA0 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000     0        0 34569 1 0000000000000000 100 0 0 10 0\n"
    "   3: 00000000000000000000000001000000:0FA0 00000000000000000000000001000000:D431 06 "
    "00000000:00000000 03:00000F4F 00000000     0        0 0 3 0000000000000000\n";

}  // namespace

TEST_CASE("the LISTEN sockets of /proc/net/tcp and tcp6, wildcard and specific") {
  if constexpr (std::endian::native != std::endian::little) return;  // the samples are LE
  auto v4 = parse_tcp_listeners(kTcp, model::Family::inet);
  REQUIRE(v4.size() == 3);  // the established connection (01) is not a listener
  CHECK(v4[0].address == ip("0.0.0.0"));
  CHECK(v4[0].port == 4000);
  CHECK(v4[0].inode == 23456);
  CHECK(v4[1].address == ip("10.0.0.11"));
  CHECK(v4[1].port == 8080);
  CHECK(v4[1].inode == 23457);
  CHECK(v4[2].address == ip("127.0.0.1"));

  auto v6 = parse_tcp_listeners(kTcp6, model::Family::inet6);
  REQUIRE(v6.size() == 3);  // the TIME_WAIT entry (06, inode 0) is not
  CHECK(v6[0].address == ip("::"));
  CHECK(v6[0].port == 5000);
  CHECK(v6[0].inode == 34567);
  CHECK(v6[1].address == ip("fd00::11"));
  CHECK(v6[1].port == 4000);
  CHECK(v6[2].address == ip("::ffff:10.0.0.12"));
}

TEST_CASE("lines that do not parse are skipped, not misread") {
  CHECK(parse_tcp_listeners("", model::Family::inet).empty());
  CHECK(parse_tcp_listeners("   0: 0100007F:0FA0 00000000:0000 0A 00000000:00000000\n",
                            model::Family::inet)
            .empty());  // cut short
  CHECK(parse_tcp_listeners("   0: 0100007G:0FA0 00000000:0000 0A 00000000:00000000 "
                            "00:00000000 00000000 0 0 17 1\n",
                            model::Family::inet)
            .empty());  // not hex
  CHECK(parse_tcp_listeners("   0: 0100007F:0FA0 00000000:0000 0A 00000000:00000000 "
                            "00:00000000 00000000 0 0 17 1\n",
                            model::Family::inet6)
            .empty());  // an IPv4 address in the IPv6 table
}

TEST_CASE("a connect reaches the listener bound to its address, else a wildcard one") {
  std::vector<TcpListener> listeners = {
      {ip("0.0.0.0"), 4000, 1},   {ip("10.0.0.11"), 4000, 2}, {ip("::"), 4000, 3},
      {ip("fd00::11"), 4000, 4},  {ip("::ffff:10.0.0.12"), 4000, 5},
      {ip("10.0.0.11"), 8080, 6}, {ip("::"), 5000, 7},
  };
  // Bound to the address itself: that one alone (the kernel prefers it to a wildcard).
  CHECK(listeners_reached(listeners, ip("10.0.0.11"), 4000) == std::vector<uint64_t>{2});
  CHECK(listeners_reached(listeners, ip("fd00::11"), 4000) == std::vector<uint64_t>{4});
  // ... or to its IPv4-mapped form, in the IPv6 table.
  CHECK(listeners_reached(listeners, ip("10.0.0.12"), 4000) == std::vector<uint64_t>{5});
  // Otherwise the wildcards: 0.0.0.0 for IPv4 only, which wins over :: (an AF_INET socket
  // scores higher); :: for both (a dual-stack socket).
  CHECK(listeners_reached(listeners, ip("127.0.0.1"), 4000) == std::vector<uint64_t>{1});
  CHECK(listeners_reached(listeners, ip("fd00::99"), 4000) == std::vector<uint64_t>{3});
  CHECK(listeners_reached(listeners, ip("127.0.0.1"), 5000) == std::vector<uint64_t>{7});
  // An AF_INET socket on the address wins over an IPv6 one on its mapped form.
  listeners.push_back({ip("10.0.0.12"), 4000, 8});
  CHECK(listeners_reached(listeners, ip("10.0.0.12"), 4000) == std::vector<uint64_t>{8});
  // A listener on another address of the namespace is not reached.
  CHECK(listeners_reached(listeners, ip("10.0.0.12"), 8080).empty());
  CHECK(listeners_reached(listeners, ip("10.0.0.11"), 9).empty());
}

TEST_CASE("an fd holds a socket when its link is socket:[INODE]") {
  CHECK(socket_inode("socket:[23456]") == 23456u);
  CHECK_FALSE(socket_inode("socket:[]"));
  CHECK_FALSE(socket_inode("socket:[12x]"));
  CHECK_FALSE(socket_inode("pipe:[23456]"));
  CHECK_FALSE(socket_inode("/dev/null"));
  CHECK_FALSE(socket_inode("anon_inode:[signalfd]"));
}

TEST_CASE("who holds a port reads as one sentence") {
  CHECK(describe_port_holders(4000, {}) ==
        "nothing listens on tcp port 4000 in the service's namespace");
  CHECK(describe_port_holders(4000, {{ip("0.0.0.0"), 812, "nc", false},
                                     {ip("127.0.0.1"), 901, "python3", true},
                                     {ip("::"), 0, "", false}}) ==
        "tcp port 4000 is listened on at 0.0.0.0 by pid 812 (nc), not the service's; at "
        "127.0.0.1 by pid 901 (python3), the service's; at :: by a process nstopo cannot see");
}

TEST_CASE("nothing owns a listener without a process to own it") {
  CHECK_FALSE(listener_owned_by_tree(0, ip("127.0.0.1"), 4000));
  CHECK(port_holders(0, 4000).empty());
}

}  // namespace nstopo::services
