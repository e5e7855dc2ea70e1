#pragma once
// The address syntax of topology files, with a message for each way it can be wrong. Pure.
#include <expected>
#include <string>
#include <string_view>

#include "model/ip.h"
#include "parse/names.h"

namespace nstopo::parse {

// An interface address, "10.0.0.11/24" or "fd00::1/64": a unicast address with a prefix
// length of at least 1.
std::expected<model::Prefix, Problem> parse_interface_address(std::string_view text);

// A route destination: "default" or a network prefix without host bits.
struct Destination {
  bool is_default = false;
  model::Prefix prefix;  // unset for "default"
};
std::expected<Destination, Problem> parse_destination(std::string_view text);

// A gateway: a unicast address without a prefix length.
std::expected<model::IpAddress, Problem> parse_gateway(std::string_view text);

// The address a tcp readiness probe connects to (`ready: {tcp: PORT, address: ADDR}`): a
// unicast address without a prefix length, not link-local (a connect to one needs an
// interface to say which link). `owner` names the service for the message.
std::expected<model::IpAddress, Problem> parse_probe_address(std::string_view text,
                                                             std::string_view owner);

// "a multicast address" and the like when `address` cannot belong to one host; "" when it can.
std::string unusable_unicast_reason(const model::IpAddress& address);

std::string_view family_name(model::Family family);  // "IPv4" / "IPv6"

}  // namespace nstopo::parse
