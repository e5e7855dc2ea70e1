#pragma once
// The value syntax of checks: the address a check aims at and an http URL. Pure.
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "model/ip.h"
#include "parse/names.h"

namespace nstopo::parse {

// An address a check sends to or asks about, without a prefix length: unicast, and not
// link-local (reaching one needs an interface to say which link). `what` names the field in
// the message ("'to' of a ping check").
std::expected<model::IpAddress, Problem> parse_check_address(std::string_view text,
                                                             std::string_view what);

// "http://10.0.0.11:4000/index.html", "http://[fd00::1]/": the host is an address literal
// (checks resolve no names), the port defaults to 80, the path to "/".
struct HttpUrl {
  model::IpAddress host;
  uint16_t port = 80;
  std::string path = "/";
};
std::expected<HttpUrl, Problem> parse_http_url(std::string_view text);

}  // namespace nstopo::parse
