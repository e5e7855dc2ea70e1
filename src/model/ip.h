#pragma once
// IP addresses, prefixes and MAC addresses as plain values (parsing is pure: inet_pton only).
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace nstopo::model {

enum class Family : uint8_t { inet = 4, inet6 = 6 };

struct IpAddress {
  Family family = Family::inet;
  std::array<uint8_t, 16> bytes{};  // network order; IPv4 uses the first 4

  static std::optional<IpAddress> parse(std::string_view text);
  std::string to_string() const;
  int byte_length() const { return family == Family::inet ? 4 : 16; }
  int af() const;  // AF_INET / AF_INET6
  bool is_link_local() const;  // fe80::/10 or 169.254/16
  bool is_unspecified() const;
  auto operator<=>(const IpAddress&) const = default;
};

// An address with a prefix length: "10.0.0.11/24". Host bits are kept (it is an interface address).
struct Prefix {
  IpAddress address;
  uint8_t length = 0;

  // Accepts "ADDR/LEN"; with require_length=false a bare address means a host prefix (/32, /128).
  static std::optional<Prefix> parse(std::string_view text, bool require_length = true);
  static Prefix default_route(Family family) { return Prefix{IpAddress{family, {}}, 0}; }
  std::string to_string() const;
  Family family() const { return address.family; }
  // True when `other` lies inside this prefix's network.
  bool contains(const IpAddress& other) const;
  // The same prefix with host bits cleared (what the kernel stores for a route).
  Prefix network() const;
  bool is_default() const { return length == 0; }
  bool overlaps(const Prefix& other) const;
  auto operator<=>(const Prefix&) const = default;
};

struct MacAddress {
  std::array<uint8_t, 6> bytes{};
  static std::optional<MacAddress> parse(std::string_view text);  // "aa:bb:cc:dd:ee:ff"
  std::string to_string() const;
  bool is_multicast() const { return (bytes[0] & 1) != 0; }
  bool is_zero() const;
  auto operator<=>(const MacAddress&) const = default;
};

}  // namespace nstopo::model

template <>
struct fmt::formatter<nstopo::model::IpAddress> : fmt::formatter<std::string> {
  auto format(const nstopo::model::IpAddress& a, format_context& ctx) const {
    return fmt::formatter<std::string>::format(a.to_string(), ctx);
  }
};
template <>
struct fmt::formatter<nstopo::model::Prefix> : fmt::formatter<std::string> {
  auto format(const nstopo::model::Prefix& p, format_context& ctx) const {
    return fmt::formatter<std::string>::format(p.to_string(), ctx);
  }
};
template <>
struct fmt::formatter<nstopo::model::MacAddress> : fmt::formatter<std::string> {
  auto format(const nstopo::model::MacAddress& m, format_context& ctx) const {
    return fmt::formatter<std::string>::format(m.to_string(), ctx);
  }
};
