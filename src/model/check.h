#pragma once
// Checks a topology file declares (`checks:`): what a lab must (or must not) be able to do
// once applied. Pure values; src/checks runs them against the live lab.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/ip.h"

namespace nstopo::model {

// ping {from, to: ADDRESS | NS:IF, count}: every target answers `count` echo requests.
struct PingCheck {
  std::string from;
  std::string to_text;               // as written: "10.0.0.11" or "ns_rifky:veth_ns_rifky"
  std::vector<IpAddress> targets;    // the address, or every declared address of NS:IF
  int count = 1;
};

// tcp {from, to, port}: a connect is accepted.
struct TcpCheck {
  std::string from;
  IpAddress to;
  uint16_t port = 0;
};

// http {from, url, status, contains}: a GET answers with `status` and a body holding `contains`.
struct HttpCheck {
  std::string from;
  std::string url;   // http://HOST[:PORT]/PATH, HOST an address literal ([v6] in brackets)
                     // or a node's name
  IpAddress host;    // the address connected to (a node's: its first declared address)
  std::optional<std::string> host_name;  // the node named in the url: the Host header's
  uint16_t port = 80;
  std::string path = "/";
  int status = 200;
  std::optional<std::string> contains;
};

// exec {in, command, exit, stdout_contains}: the argv (no shell) ends with `exit`.
struct ExecCheck {
  std::string in;
  std::vector<std::string> command;
  int exit = 0;
  std::optional<std::string> stdout_contains;
};

// route {in, to, via | dev}: the kernel's route lookup for `to` says this gateway / device.
struct RouteCheck {
  std::string in;
  IpAddress to;
  std::optional<IpAddress> via;
  std::optional<std::string> dev;
};

using CheckProbe = std::variant<PingCheck, TcpCheck, HttpCheck, ExecCheck, RouteCheck>;

enum class CheckExpectation { succeed, fail };

struct Check {
  std::string name;  // given, or derived from the probe ("ping-host-10.0.0.11"); unique
  CheckProbe probe;
  CheckExpectation expect = CheckExpectation::succeed;
  std::chrono::milliseconds timeout{2'000};  // of one attempt
  int retries = 0;                           // attempts after the first that did not hold
  int line = 0;                              // where it is declared (1-based; 0: unknown)

  std::string_view kind() const;       // "ping", "tcp", "http", "exec", "route"
  const std::string& ns() const;       // where it runs: from / in ("host" is nstopo's own)
  std::string describe() const;        // "ping host -> 10.0.0.11 (expect fail)"
};

// The name a check gets when the file gives none, before it is made unique.
std::string derived_check_name(const CheckProbe& probe);

}  // namespace nstopo::model
