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
// (or a node's name, which resolve_checks.cpp turns into its address), the port defaults to 80, the path to "/".
struct HttpUrl {
  model::IpAddress host;
  std::string host_name;  // the host as a node's name (resolve_checks.cpp gives its address)
  uint16_t port = 80;
  std::string path = "/";
};
std::expected<HttpUrl, Problem> parse_http_url(std::string_view text);
// A word that can be a node's name in a check ("ns_b", "host"): a letter, then letters,
// digits, '_' and '-'. Whether the node exists is the resolver's question.
bool is_node_name(std::string_view text);

}  // namespace nstopo::parse
