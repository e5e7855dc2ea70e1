#include "parse/addresses.h"

#include <charconv>

#include <fmt/format.h>

namespace nstopo::parse {
namespace {

bool is_multicast(const model::IpAddress& address) {
  if (address.family == model::Family::inet) return (address.bytes[0] & 0xf0) == 0xe0;
  return address.bytes[0] == 0xff;
}

bool is_limited_broadcast(const model::IpAddress& address) {
  return address.family == model::Family::inet && address.bytes[0] == 255 &&
         address.bytes[1] == 255 && address.bytes[2] == 255 && address.bytes[3] == 255;
}

// Why "ADDR/LEN" did not parse: a bad address, or a length too long for its family.
Problem prefix_problem(std::string_view what, std::string_view text, std::string_view example) {
  auto slash = text.find('/');
  if (slash != std::string_view::npos) {
    if (auto address = model::IpAddress::parse(text.substr(0, slash))) {
      auto length_text = text.substr(slash + 1);
      unsigned length = 0;
      auto [end, ec] =
          std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
      if (ec == std::errc{} && end == length_text.data() + length_text.size() &&
          !length_text.empty())
        return Problem{
            fmt::format("{} '{}' has prefix length {}, but {} allows at most {}", what, text,
                        length, family_name(address->family), address->byte_length() * 8),
            {}};
      return Problem{
          fmt::format("{} '{}' has an invalid prefix length '{}'", what, text, length_text), {}};
    }
  }
  return Problem{fmt::format("invalid {} '{}': expected an IPv4 or IPv6 {}", what, text, example),
                 {}};
}

}  // namespace

std::string_view family_name(model::Family family) {
  return family == model::Family::inet ? "IPv4" : "IPv6";
}

std::string unusable_unicast_reason(const model::IpAddress& address) {
  if (address.is_unspecified()) return "the unspecified address";
  if (is_multicast(address)) return "a multicast address";
  if (is_limited_broadcast(address)) return "the broadcast address";
  return {};
}

std::expected<model::Prefix, Problem> parse_interface_address(std::string_view text) {
  auto prefix = model::Prefix::parse(text, /*require_length=*/true);
  if (!prefix) {
    if (model::IpAddress::parse(text))
      return std::unexpected(
          Problem{fmt::format("address '{}' has no prefix length", text),
                  fmt::format("write it with the length of its subnet, e.g. '{}/{}'", text,
                              text.find(':') == std::string_view::npos ? 24 : 64)});
    return std::unexpected(prefix_problem("address", text,
                                          "address with a prefix length, "
                                          "e.g. '10.0.0.1/24'"));
  }
  if (prefix->length == 0)
    return std::unexpected(Problem{
        fmt::format("address '{}' has prefix length 0, which is meaningless on an interface", text),
        {}});
  if (auto reason = unusable_unicast_reason(prefix->address); !reason.empty())
    return std::unexpected(Problem{
        fmt::format("address '{}' is {}; an interface address must be unicast", text, reason), {}});
  return *prefix;
}

std::expected<Destination, Problem> parse_destination(std::string_view text) {
  if (text == "default") return Destination{.is_default = true, .prefix = {}};
  auto prefix = model::Prefix::parse(text, /*require_length=*/true);
  if (!prefix) {
    if (model::IpAddress::parse(text))
      return std::unexpected(Problem{
          fmt::format("route destination '{}' has no prefix length", text),
          fmt::format("write '{}/{}' for a single host, or a network such as '10.1.0.0/24', or "
                      "'default'",
                      text, text.find(':') == std::string_view::npos ? 32 : 128)});
    return std::unexpected(
        prefix_problem("route destination", text, "prefix such as '10.1.0.0/24', or 'default'"));
  }
  if (prefix->network() != *prefix)
    return std::unexpected(
        Problem{fmt::format("route destination '{}' has host bits set", text),
                fmt::format("did you mean '{}'?", prefix->network().to_string())});
  return Destination{.is_default = false, .prefix = *prefix};
}

std::expected<model::IpAddress, Problem> parse_gateway(std::string_view text) {
  auto address = model::IpAddress::parse(text);
  if (!address) {
    if (text.find('/') != std::string_view::npos &&
        model::IpAddress::parse(text.substr(0, text.find('/'))))
      return std::unexpected(
          Problem{fmt::format("gateway '{}' must be an address without a prefix length", text),
                  fmt::format("write '{}'", text.substr(0, text.find('/')))});
    return std::unexpected(
        Problem{fmt::format("invalid gateway '{}': expected an IPv4 or IPv6 address", text), {}});
  }
  if (auto reason = unusable_unicast_reason(*address); !reason.empty())
    return std::unexpected(Problem{fmt::format("gateway '{}' is {}", text, reason), {}});
  return *address;
}

std::expected<model::IpAddress, Problem> parse_probe_address(std::string_view text,
                                                             std::string_view owner) {
  auto address = model::IpAddress::parse(text);
  if (!address) {
    if (text.find('/') != std::string_view::npos &&
        model::IpAddress::parse(text.substr(0, text.find('/'))))
      return std::unexpected(
          Problem{fmt::format("ready address '{}' of {} must be an address without a prefix "
                              "length",
                              text, owner),
                  fmt::format("write '{}'", text.substr(0, text.find('/')))});
    return std::unexpected(Problem{
        fmt::format("invalid ready address '{}' of {}: expected an IPv4 or IPv6 address", text,
                    owner),
        {}});
  }
  if (auto reason = unusable_unicast_reason(*address); !reason.empty())
    return std::unexpected(Problem{
        fmt::format("ready address '{}' of {} is {}; the probe connects to one address the "
                    "service listens on",
                    text, owner, reason),
        "leave 'address' out to try every address of the namespace"});
  if (address->is_link_local())
    return std::unexpected(Problem{
        fmt::format("ready address '{}' of {} is link-local, which a connect cannot reach "
                    "without naming an interface",
                    text, owner),
        "give a global or loopback address, or leave 'address' out"});
  return *address;
}

}  // namespace nstopo::parse
