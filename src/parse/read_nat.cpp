// A namespace's `nat:`: `out: true` (its traffic to the outside masqueraded behind the host)
// and `ports:` ("HOSTPORT:ADDRESS:PORT[/tcp|udp]", an IPv6 address in brackets). Which
// addresses a forward may name is checked by the resolver (resolve_nat.cpp).
#include <charconv>

#include <fmt/format.h>

#include "parse/reader.h"

namespace nstopo::parse {

namespace {

constexpr const char* kPortForm = "write e.g. '8080:10.0.0.11:4000/tcp' (host port, lab address, "
                                  "port; /udp for UDP, an IPv6 address in brackets)";

std::optional<uint16_t> port_number(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535)
    return std::nullopt;
  return static_cast<uint16_t>(value);
}

// "8080:10.0.0.11:4000/tcp" -> a PortForward, or what is wrong with it.
std::expected<model::PortForward, std::string> parse_port_forward(std::string_view text) {
  model::PortForward forward;
  std::string_view rest = text;
  if (auto slash = rest.rfind('/'); slash != std::string_view::npos) {
    auto protocol = rest.substr(slash + 1);
    if (protocol == "tcp") forward.protocol = model::PortProtocol::tcp;
    else if (protocol == "udp") forward.protocol = model::PortProtocol::udp;
    else return std::unexpected(fmt::format("unknown protocol '{}' (tcp or udp)", protocol));
    rest = rest.substr(0, slash);
  }
  auto first = rest.find(':');
  auto last = rest.rfind(':');
  if (first == std::string_view::npos || first == last)
    return std::unexpected(std::string("expected HOSTPORT:ADDRESS:PORT"));
  auto host_port = port_number(rest.substr(0, first));
  if (!host_port)
    return std::unexpected(fmt::format("host port '{}' is not a number from 1 to 65535",
                                       rest.substr(0, first)));
  auto to_port = port_number(rest.substr(last + 1));
  if (!to_port)
    return std::unexpected(fmt::format("port '{}' is not a number from 1 to 65535", rest.substr(last + 1)));
  auto address = rest.substr(first + 1, last - first - 1);
  bool bracketed = address.size() >= 2 && address.front() == '[' && address.back() == ']';
  if (bracketed) address = address.substr(1, address.size() - 2);
  auto parsed = model::IpAddress::parse(address);
  if (!parsed) return std::unexpected(fmt::format("'{}' is not an IP address", address));
  if (parsed->family == model::Family::inet6 && !bracketed)
    return std::unexpected(fmt::format("write the IPv6 address in brackets: '[{}]'", address));
  forward.host_port = *host_port;
  forward.to = *parsed;
  forward.to_port = *to_port;
  return forward;
}

}  // namespace

void read_nat(const Entry& entry, NamespaceDecl& ns, Reporter& reporter) {
  auto label = namespace_label(ns);
  Fields fields(entry, reporter, {"out", "ports"}, "'nat'", "in 'nat' of " + label);
  if (!fields.is_map()) return;
  NatDecl nat{.where = entry.key_at};
  if (auto* field = fields.get("out")) {
    if (auto out = read_bool(*field, reporter)) nat.nat.out = *out;
    nat.out_where = field->value_at;
  }
  if (auto* field = fields.get("ports")) {
    if (auto items = list_items(*field, reporter, "'ports'")) {
      for (const auto& item : *items) {
        auto text = read_text(item, reporter);
        if (!text) continue;
        auto forward = parse_port_forward(*text);
        if (!forward) {
          reporter.error(item.value_at,
                         fmt::format("invalid port forward '{}' in {}: {}", *text, label, forward.error()),
                         kPortForm);
          continue;
        }
        forward->line = item.value_at.line;
        nat.nat.ports.push_back(*forward);
        nat.port_where.push_back(item.value_at);
      }
    }
  }
  ns.nat = std::move(nat);
}

}  // namespace nstopo::parse
