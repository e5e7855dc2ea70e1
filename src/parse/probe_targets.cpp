#include "parse/probe_targets.h"

#include <algorithm>

#include <fmt/format.h>

namespace nstopo::parse {
namespace {

bool is_loopback(const model::IpAddress& address) {
  if (address.family == model::Family::inet) return address.bytes[0] == 127;
  return address == *model::IpAddress::parse("::1");
}

std::vector<model::IpAddress> declared_addresses(const NamespaceDecl& ns) {
  std::vector<model::IpAddress> addresses;
  for (const auto& iface : ns.interfaces)
    for (const auto& decl : iface.addresses) {
      const model::IpAddress& address = decl.prefix.address;
      if (address.is_link_local()) continue;
      if (std::find(addresses.begin(), addresses.end(), address) == addresses.end())
        addresses.push_back(address);
    }
  return addresses;
}

std::string listed(const std::vector<model::IpAddress>& addresses) {
  std::string text;
  for (const auto& address : addresses) text += (text.empty() ? "" : ", ") + address.to_string();
  return text;
}

}  // namespace

void resolve_probe_targets(const NamespaceDecl& ns, std::map<std::string, model::Service>& services,
                           Reporter& reporter) {
  const auto declared = declared_addresses(ns);
  for (auto& [name, service] : services) {
    model::ReadyProbe& probe = service.ready;
    if (probe.kind != model::ReadyProbe::Kind::tcp) continue;
    if (!probe.address) {
      probe.targets = declared;
      continue;
    }
    const model::IpAddress& address = *probe.address;
    bool own = ns.is_host() || is_loopback(address) ||
               std::find(declared.begin(), declared.end(), address) != declared.end();
    if (!own) {
      reporter.error(probe.address_where,
                     fmt::format("ready address {} of service '{}' of {} is not an address of "
                                 "that namespace",
                                 address.to_string(), name, namespace_label(ns)),
                     declared.empty()
                         ? std::string("it declares no address: give a loopback address, or "
                                       "add the address to one of its interfaces")
                         : fmt::format("its addresses: {}; or a loopback address", listed(declared)));
      continue;
    }
    probe.targets = {address};
  }
}

}  // namespace nstopo::parse
