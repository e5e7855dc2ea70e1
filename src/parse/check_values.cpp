#include "parse/check_values.h"

#include <fmt/format.h>

#include "parse/addresses.h"
#include "parse/values.h"

namespace nstopo::parse {

std::expected<model::IpAddress, Problem> parse_check_address(std::string_view text,
                                                             std::string_view what) {
  auto address = model::IpAddress::parse(text);
  if (!address) {
    auto slash = text.find('/');
    if (slash != std::string_view::npos && model::IpAddress::parse(text.substr(0, slash)))
      return std::unexpected(
          Problem{fmt::format("{} '{}' must be an address without a prefix length", what, text),
                  fmt::format("write '{}'", text.substr(0, slash))});
    return std::unexpected(Problem{
        fmt::format("invalid address '{}' in {}: expected an IPv4 or IPv6 address", text, what),
        {}});
  }
  if (auto reason = unusable_unicast_reason(*address); !reason.empty())
    return std::unexpected(Problem{fmt::format("{} '{}' is {}", what, text, reason), {}});
  if (address->is_link_local())
    return std::unexpected(Problem{
        fmt::format("{} '{}' is link-local, which cannot be reached without naming an interface",
                    what, text),
        "give a global or ULA address"});
  return *address;
}

bool is_node_name(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  if (!std::isalpha(static_cast<unsigned char>(text.front()))) return false;
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

std::expected<HttpUrl, Problem> parse_http_url(std::string_view text) {
  constexpr std::string_view kScheme = "http://";
  const std::string example = "e.g. http://10.0.0.11:4000/ or http://[fd00::1]:8080/path";
  if (!text.starts_with(kScheme)) {
    std::string hint = text.starts_with("https://")
                           ? "checks speak plain HTTP only; use a tcp check for a TLS port"
                           : example;
    return std::unexpected(
        Problem{fmt::format("url '{}' must start with http://", text), std::move(hint)});
  }
  std::string_view rest = text.substr(kScheme.size());
  size_t path_at = rest.find('/');
  std::string_view authority = rest.substr(0, path_at);
  HttpUrl url;
  if (path_at != std::string_view::npos) url.path = std::string(rest.substr(path_at));
  std::string_view host = authority, port;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return std::unexpected(Problem{fmt::format("url '{}' has no ']' after its IPv6 address", text),
                                     example});
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':'))
        return std::unexpected(
            Problem{fmt::format("url '{}': expected ':PORT' after ']'", text), example});
      port = after.substr(1);
    }
  } else if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.find(':') != std::string_view::npos)
      return std::unexpected(Problem{
          fmt::format("url '{}': an IPv6 address in a URL goes in brackets", text), example});
  }
  auto address = model::IpAddress::parse(host);
  if (!address && !is_node_name(host))
    return std::unexpected(Problem{
        fmt::format("url '{}' must name its host by address or by a node of the lab ('{}' is "
                    "neither)",
                    text, host),
        example});
  if (address) {
    if (auto reason = unusable_unicast_reason(*address); !reason.empty())
      return std::unexpected(Problem{fmt::format("url '{}': host {} is {}", text, host, reason), {}});
    url.host = *address;
  } else {
    url.host_name = std::string(host);
  }
  if (!port.empty() || authority.ends_with(':')) {
    auto number = parse_integer(port);
    if (!number.value || *number.value < 1 || *number.value > 65535)
      return std::unexpected(
          Problem{fmt::format("url '{}': port '{}' is not a number in 1-65535", text, port), {}});
    url.port = static_cast<uint16_t>(*number.value);
  }
  for (char c : url.path)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
      return std::unexpected(Problem{
          fmt::format("url '{}': its path holds a space or control character; write it as %XX",
                      text),
          {}});
  return url;
}

}  // namespace nstopo::parse
