// The parts of a namespace (or host) that concern the network: interfaces, routes, sysctls.
#include <fmt/format.h>

#include "parse/addresses.h"
#include "parse/names.h"
#include "parse/reader.h"
#include "model/suggest.h"

namespace nstopo::parse {
namespace {

void read_kind(const Entry& entry, InterfaceDecl& iface, Reporter& reporter) {
  auto kind = read_text(entry, reporter);
  if (!kind) return;
  if (*kind == "veth") {
    iface.kind = model::LinkKind::veth;
  } else if (*kind == "bridge") {
    iface.kind = model::LinkKind::bridge;
  } else {
    constexpr std::string_view kinds[] = {"veth", "bridge"};
    reporter.error(entry.value_at,
                   fmt::format("unknown interface kind '{}'; nstopo creates 'veth' (from links) "
                               "and 'bridge'",
                               *kind),
                   model::did_you_mean(*kind, kinds));
  }
}

void read_addresses(const Entry& entry, NamespaceDecl& ns, InterfaceDecl& iface,
                    Reporter& reporter) {
  auto items = list_items(entry, reporter, "'addresses'");
  if (!items) {
    ns.some_address_refused = true;
    return;
  }
  for (const auto& item : *items) {
    if (!item.value->is_scalar()) {
      reporter.error(item.value_at,
                     fmt::format("an address must be a string such as '10.0.0.1/24', not {}",
                                 describe(*item.value)));
      ns.some_address_refused = true;
      continue;
    }
    auto prefix = parse_interface_address(item.value->text);
    if (!prefix) {
      reporter.error(item.value_at, prefix.error().message, prefix.error().hint);
      ns.some_address_refused = true;
      continue;
    }
    iface.addresses.push_back(AddressDecl{*prefix, item.value_at});
  }
}

void read_mac(const Entry& entry, InterfaceDecl& iface, Reporter& reporter) {
  auto text = read_text(entry, reporter);
  if (!text) return;
  auto mac = model::MacAddress::parse(*text);
  if (!mac) {
    reporter.error(entry.value_at,
                   fmt::format("invalid MAC address '{}': expected six hex pairs such as "
                               "'02:00:00:00:00:01'",
                               *text));
    return;
  }
  if (mac->is_multicast()) {
    reporter.error(entry.value_at,
                   fmt::format("MAC address '{}' is a multicast address; an interface needs a "
                               "unicast one (the first byte even)",
                               *text),
                   "locally administered unicast addresses start with 02, e.g. "
                   "'02:00:00:00:00:01'");
    return;
  }
  if (mac->is_zero()) {
    reporter.error(entry.value_at, fmt::format("MAC address '{}' is all zeros", *text));
    return;
  }
  iface.mac = *mac;
}

// `label`: how messages name it when it is not an interface of `ns` (the defaults).
InterfaceDecl read_interface(const Entry& entry, NamespaceDecl& ns, Reporter& reporter,
                             std::string label = {}) {
  InterfaceDecl iface{.name = entry.key, .where = entry.key_at};
  if (label.empty()) {
    if (auto problem = interface_name_problem(entry.key)) {
      reporter.error(entry.key_at, problem->message, problem->hint);
      iface.name_ok = false;
    }
    label = fmt::format("interface '{}:{}'", ns.name, entry.key);
  }
  Fields fields(entry, reporter, {"addresses", "mtu", "mac", "up", "kind", "master", "rate", "delay",
                                 "jitter", "loss", "duplicate", "corrupt", "reorder", "limit"},
                label,
                "in " + label);
  if (auto* field = fields.get("kind")) read_kind(*field, iface, reporter);
  if (auto* field = fields.get("addresses")) read_addresses(*field, ns, iface, reporter);
  if (auto* field = fields.get("mtu")) {
    if (auto mtu = read_integer(*field, reporter, 68, 65535, "mtu")) {
      iface.mtu = static_cast<uint32_t>(*mtu);
      iface.mtu_where = field->value_at;
    }
  }
  if (auto* field = fields.get("mac")) read_mac(*field, iface, reporter);
  if (auto* field = fields.get("up")) {
    if (auto up = read_bool(*field, reporter)) iface.up = *up;
  }
  if (auto* field = fields.get("master")) {
    if (auto master = read_text(*field, reporter)) {
      iface.master = *master;
      iface.master_where = field->value_at;
    }
  }
  iface.impairment = read_impairment(fields, reporter);
  return iface;
}

void read_route(const Entry& item, NamespaceDecl& ns, Reporter& reporter) {
  auto label = namespace_label(ns);
  Fields fields(item, reporter, {"to", "via", "dev", "metric"}, "a route",
                "in a route of " + label);
  if (!fields.is_map()) return;
  RouteDecl route;
  route.route.where = item.value_at;

  std::optional<Destination> destination;
  if (auto* field = fields.require("to", "write 'to: default' or a prefix such as '10.1.0.0/24'")) {
    if (auto text = read_text(*field, reporter)) {
      auto parsed = parse_destination(*text);
      if (parsed)
        destination = *parsed;
      else
        reporter.error(field->value_at, parsed.error().message, parsed.error().hint);
    }
  }
  if (!destination) route.complete = false;

  const Entry* via_field = fields.get("via");
  if (via_field) {
    route.via_where = via_field->value_at;
    if (auto text = read_text(*via_field, reporter)) {
      auto gateway = parse_gateway(*text);
      if (gateway)
        route.route.via = *gateway;
      else
        reporter.error(via_field->value_at, gateway.error().message, gateway.error().hint);
    }
    if (!route.route.via) route.complete = false;
  }
  const Entry* dev_field = fields.get("dev");
  if (dev_field) {
    route.dev_where = dev_field->value_at;
    if (auto dev = read_text(*dev_field, reporter))
      route.route.dev = *dev;
    else
      route.complete = false;
  }
  if (auto* field = fields.get("metric")) {
    if (auto metric = read_integer(*field, reporter, 0, 4294967295, "metric"))
      route.route.metric = static_cast<uint32_t>(*metric);
    else
      route.complete = false;
  }
  bool gateway_misspelt = fields.misspelt("via") || fields.misspelt("dev");
  if (fields.get("to") && !via_field && !dev_field && !gateway_misspelt) {
    reporter.error(item.value_at, fmt::format("a route needs 'via' (a gateway) or 'dev' (an "
                                              "interface) {}",
                                              "in " + label));
    route.complete = false;
  }

  if (destination) {
    if (destination->is_default) {
      auto family = route.route.via ? route.route.via->family : model::Family::inet;
      route.route.to = model::Prefix::default_route(family);
    } else {
      route.route.to = destination->prefix;
      if (route.route.via && route.route.via->family != destination->prefix.family()) {
        reporter.error(route.via_where, fmt::format("gateway {} is {} but the destination {} is {}",
                                                    route.route.via->to_string(),
                                                    family_name(route.route.via->family),
                                                    destination->prefix.to_string(),
                                                    family_name(destination->prefix.family())));
        route.complete = false;
      }
    }
  }
  ns.routes.push_back(std::move(route));
}

}  // namespace

void read_interfaces(const Entry& entry, NamespaceDecl& ns, Reporter& reporter) {
  auto label = namespace_label(ns);
  auto duplicate = [&label](const std::string& name, int first_line) {
    return fmt::format("interface '{}' is declared twice in {} (first at line {})", name, label,
                       first_line);
  };
  auto entries = map_entries(entry, reporter, "'interfaces'", duplicate);
  if (!entries) return;
  for (const auto& iface_entry : *entries) {
    ns.interface_index.emplace(iface_entry.key, ns.interfaces.size());
    ns.interfaces.push_back(read_interface(iface_entry, ns, reporter));
  }
}

void read_interface_defaults(const Entry& entry, Reporter& reporter) {
  NamespaceDecl scratch{.name = "defaults", .label = "'defaults.interface'"};
  read_interface(entry, scratch, reporter, "'defaults.interface'");
}

void read_routes(const Entry& entry, NamespaceDecl& ns, Reporter& reporter) {
  auto items = list_items(entry, reporter, "'routes'");
  if (!items) return;
  for (const auto& item : *items) read_route(item, ns, reporter);
}

void read_sysctls(const Entry& entry, NamespaceDecl& ns, Reporter& reporter) {
  auto label = namespace_label(ns);
  auto duplicate = [&label](const std::string& key, int first_line) {
    return fmt::format("sysctl '{}' is set twice in {} (first at line {})", key, label, first_line);
  };
  auto entries = map_entries(entry, reporter, "'sysctls'", duplicate);
  if (!entries) return;
  for (const auto& sysctl : *entries) {
    if (auto problem = sysctl_key_problem(sysctl.key)) {
      reporter.error(sysctl.key_at, problem->message, problem->hint);
      continue;
    }
    if (sysctl.is_null()) {
      reporter.error(sysctl.value_at, fmt::format("sysctl '{}' has no value", sysctl.key));
      continue;
    }
    if (!sysctl.value->is_scalar()) {
      reporter.error(sysctl.value_at, fmt::format("sysctl '{}' must have a single value, not {}",
                                                  sysctl.key, describe(*sysctl.value)));
      continue;
    }
    ns.sysctls.emplace(sysctl.key, sysctl.value->text);
  }
}

}  // namespace nstopo::parse
