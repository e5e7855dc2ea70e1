#include "model/ip.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <charconv>

namespace nstopo::model {

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  std::string s(text);
  IpAddress a;
  if (s.find(':') == std::string::npos) {
    a.family = Family::inet;
    if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
    return std::nullopt;
  }
  a.family = Family::inet6;
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) return a;
  return std::nullopt;
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(af(), bytes.data(), buf, sizeof buf);
  return buf;
}

int IpAddress::af() const { return family == Family::inet ? AF_INET : AF_INET6; }

bool IpAddress::is_link_local() const {
  if (family == Family::inet) return bytes[0] == 169 && bytes[1] == 254;
  return bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80;
}

bool IpAddress::is_unspecified() const {
  for (int i = 0; i < byte_length(); ++i)
    if (bytes[i] != 0) return false;
  return true;
}

std::optional<Prefix> Prefix::parse(std::string_view text, bool require_length) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    if (require_length) return std::nullopt;
    auto a = IpAddress::parse(text);
    if (!a) return std::nullopt;
    return Prefix{*a, static_cast<uint8_t>(a->byte_length() * 8)};
  }
  auto a = IpAddress::parse(text.substr(0, slash));
  if (!a) return std::nullopt;
  auto len_text = text.substr(slash + 1);
  unsigned len = 0;
  auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (ec != std::errc{} || end != len_text.data() + len_text.size() || len_text.empty())
    return std::nullopt;
  if (len > static_cast<unsigned>(a->byte_length() * 8)) return std::nullopt;
  return Prefix{*a, static_cast<uint8_t>(len)};
}

std::string Prefix::to_string() const { return fmt::format("{}/{}", address.to_string(), length); }

static bool same_network(const IpAddress& a, const IpAddress& b, int length) {
  if (a.family != b.family) return false;
  int full = length / 8, rest = length % 8;
  for (int i = 0; i < full; ++i)
    if (a.bytes[i] != b.bytes[i]) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (b.bytes[full] & mask);
}

bool Prefix::contains(const IpAddress& other) const {
  return same_network(address, other, length);
}

bool Prefix::overlaps(const Prefix& other) const {
  return same_network(address, other.address, std::min(length, other.length));
}

Prefix Prefix::network() const {
  Prefix p = *this;
  for (int bit = length; bit < address.byte_length() * 8; ++bit)
    p.address.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  return p;
}

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
  if (text.size() != 17) return std::nullopt;
  MacAddress m;
  for (int i = 0; i < 6; ++i) {
    if (i > 0 && text[i * 3 - 1] != ':') return std::nullopt;
    auto part = text.substr(i * 3, 2);
    unsigned v = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + 2, v, 16);
    if (ec != std::errc{} || end != part.data() + 2) return std::nullopt;
    m.bytes[i] = static_cast<uint8_t>(v);
  }
  return m;
}

std::string MacAddress::to_string() const {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", bytes[0], bytes[1], bytes[2],
                     bytes[3], bytes[4], bytes[5]);
}

bool MacAddress::is_zero() const {
  for (auto b : bytes)
    if (b) return false;
  return true;
}

}  // namespace nstopo::model
