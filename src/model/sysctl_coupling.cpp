#include "model/sysctl_coupling.h"

#include <fmt/format.h>

namespace nstopo::model {

namespace {

// "net.ipv4.conf.eth0.rp_filter" -> {family "ipv4", table "conf", device "eth0", attribute
// "rp_filter"}. The device is everything between the table and the last dot.
struct KeyParts {
  std::string family, table, device, attribute;
};

std::string dotted(std::string_view key) {
  std::string out(key);
  if (key.starts_with("net/"))
    for (char& c : out) c = c == '/' ? '.' : c == '.' ? '/' : c;
  return out;
}

std::optional<KeyParts> parts_of(std::string_view raw) {
  std::string key = dotted(raw);
  for (std::string_view family : {"ipv4", "ipv6"})
    for (std::string_view table : {"conf", "neigh"}) {
      std::string prefix = fmt::format("net.{}.{}.", family, table);
      if (!key.starts_with(prefix)) continue;
      std::string_view rest(key);
      rest.remove_prefix(prefix.size());
      auto dot = rest.rfind('.');
      if (dot == std::string_view::npos || dot == 0 || dot + 1 == rest.size()) return std::nullopt;
      return KeyParts{std::string(family), std::string(table), std::string(rest.substr(0, dot)),
                      std::string(rest.substr(dot + 1))};
    }
  return std::nullopt;
}

bool is_ipv4_forwarding_switch(const std::string& canonical) {
  return canonical == "net.ipv4.ip_forward";
}

std::string trimmed(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t' || value.front() == '\n'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\n'))
    value.remove_suffix(1);
  return std::string(value);
}

}  // namespace

std::string sysctl_canonical(std::string_view key) {
  std::string out = dotted(key);
  if (out == "net.ipv4.conf.all.forwarding") return "net.ipv4.ip_forward";
  return out;
}

std::optional<std::string> sysctl_interface(std::string_view key) {
  auto parts = parts_of(key);
  if (!parts || parts->device == "all" || parts->device == "default") return std::nullopt;
  std::string name = parts->device;
  for (char& c : name) c = c == '/' ? '.' : c;
  return name;
}

std::optional<std::string> sysctl_with_device(std::string_view key, std::string_view device) {
  auto parts = parts_of(key);
  if (!parts) return std::nullopt;
  return fmt::format("net.{}.{}.{}.{}", parts->family, parts->table, device, parts->attribute);
}

int sysctl_write_order(std::string_view key) {
  std::string canonical = sysctl_canonical(key);
  if (is_ipv4_forwarding_switch(canonical) || canonical == "net.ipv6.conf.all.forwarding") return 0;
  auto parts = parts_of(canonical);
  if (parts && parts->table == "conf" && parts->device == "all") return 1;
  if (parts && parts->table == "conf" && parts->device == "default") return 2;
  return 3;
}

SysctlEffect sysctl_effect(std::string_view written_key, std::string_view value,
                           std::string_view other_key) {
  std::string written = sysctl_canonical(written_key), other = sysctl_canonical(other_key);
  if (written == other) return {};
  auto w = parts_of(written), o = parts_of(other);
  std::string v = trimmed(value);
  if (is_ipv4_forwarding_switch(written)) {
    if (is_ipv4_forwarding_switch(other)) return {};
    if (o && o->family == "ipv4" && o->table == "conf" && o->attribute == "forwarding")
      return {SysctlEffect::Kind::sets, v};
    if (other == "net.ipv4.conf.all.accept_redirects")
      return {SysctlEffect::Kind::sets, v == "0" ? "1" : "0"};
    return {};
  }
  if (!w || !o || w->table != "conf" || o->table != "conf" || w->family != o->family ||
      w->attribute != o->attribute)
    return {};
  if (w->family == "ipv6" && w->device == "all" &&
      (w->attribute == "forwarding" || w->attribute == "disable_ipv6"))
    return {SysctlEffect::Kind::sets, v};
  if (w->family == "ipv4" && w->device == "default" && o->device != "all" &&
      w->attribute != "forwarding")
    return {SysctlEffect::Kind::may_rewrite, {}};
  return {};
}

std::vector<std::string> sysctl_fanned_out(std::string_view key,
                                           const std::vector<std::string>& interfaces) {
  std::string canonical = sysctl_canonical(key);
  std::string family, attribute;
  std::vector<std::string> keys;
  if (is_ipv4_forwarding_switch(canonical)) {
    family = "ipv4", attribute = "forwarding";
    keys.push_back("net.ipv4.conf.all.accept_redirects");
  } else if (canonical == "net.ipv6.conf.all.forwarding" ||
             canonical == "net.ipv6.conf.all.disable_ipv6") {
    family = "ipv6", attribute = canonical.substr(canonical.rfind('.') + 1);
  } else {
    return keys;
  }
  keys.push_back(fmt::format("net.{}.conf.default.{}", family, attribute));
  for (const auto& name : interfaces) {
    std::string device = name;
    for (char& c : device) c = c == '.' ? '/' : c;
    keys.push_back(fmt::format("net.{}.conf.{}.{}", family, device, attribute));
  }
  return keys;
}

}  // namespace nstopo::model
