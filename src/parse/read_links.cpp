// Links: each one a veth pair between two NAMESPACE:INTERFACE endpoints (or, between two
// machines, a VXLAN tunnel: model/machines.h).
#include <fmt/format.h>

#include "model/machines.h"
#include "parse/reader.h"

namespace nstopo::parse {
namespace {

constexpr std::string_view kEndpointExample = "e.g. 'ns1:eth0' or 'host:veth0'";

std::optional<EndpointDecl> read_endpoint(const Entry& item, Declarations& declarations,
                                          Reporter& reporter) {
  if (!item.value->is_scalar()) {
    reporter.error(item.value_at,
                   fmt::format("a link endpoint must be NAMESPACE:INTERFACE ({}), not {}",
                               kEndpointExample, describe(*item.value)));
    declarations.some_endpoint_unreadable = true;
    return std::nullopt;
  }
  const std::string& text = item.value->text;
  auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    reporter.error(item.value_at, fmt::format("link endpoint '{}' must be NAMESPACE:INTERFACE ({})",
                                              text, kEndpointExample));
    declarations.some_endpoint_unreadable = true;
    return std::nullopt;
  }
  return EndpointDecl{model::Endpoint{text.substr(0, colon), text.substr(colon + 1)},
                      item.value_at};
}

void read_link(const Entry& item, Declarations& declarations, Reporter& reporter) {
  Fields fields(item, reporter, {"endpoints", "mtu", "rate", "delay", "jitter", "loss", "duplicate",
                                       "corrupt", "reorder", "limit", "vni"},
                "a link", "in a link");
  if (!fields.is_map()) {
    declarations.some_endpoint_unreadable = true;
    return;
  }
  LinkDecl link{.where = item.value_at};
  if (auto* field = fields.get("mtu")) {
    if (auto mtu = read_integer(*field, reporter, 68, 65535, "mtu")) {
      link.mtu = static_cast<uint32_t>(*mtu);
      link.mtu_where = field->value_at;
    }
  }
  if (auto* field = fields.get("vni")) {
    if (auto vni = read_integer(*field, reporter, 1, model::kMaxVni, "vni")) {
      link.vni = static_cast<uint32_t>(*vni);
      link.vni_where = field->value_at;
    }
  }
  link.impairment = read_impairment(fields, reporter);
  const Entry* endpoints = fields.require("endpoints", "e.g. endpoints: [host:veth0, ns1:eth0]");
  if (!endpoints) {
    declarations.some_endpoint_unreadable = true;
    return;
  }
  auto items = list_items(*endpoints, reporter, "'endpoints'");
  if (!items) {
    declarations.some_endpoint_unreadable = true;
    return;
  }
  std::vector<EndpointDecl> ends;
  for (const auto& end_item : *items)
    if (auto end = read_endpoint(end_item, declarations, reporter)) ends.push_back(*end);
  if (items->size() != 2) {
    reporter.error(endpoints->value_at,
                   fmt::format("a link has exactly two endpoints, not {}", items->size()));
    // Its ends still count as named by a link: "no link names it" would be a second message
    // for the same mistake.
    for (auto& end : ends) declarations.stray_endpoints.push_back(std::move(end));
    return;
  }
  if (ends.size() != 2) {
    for (auto& end : ends) declarations.stray_endpoints.push_back(std::move(end));
    return;
  }
  link.a = ends[0];
  link.b = ends[1];
  declarations.links.push_back(std::move(link));
}

}  // namespace

void read_links(const Entry& entry, Declarations& declarations, Reporter& reporter) {
  auto items = list_items(entry, reporter, "'links'");
  if (!items) {
    declarations.some_endpoint_unreadable = true;
    return;
  }
  declarations.links.reserve(items->size());
  for (const auto& item : *items) read_link(item, declarations, reporter);
}

}  // namespace nstopo::parse
