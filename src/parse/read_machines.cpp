// One lab on several machines: the top-level `hosts:` map and a namespace's `on:`
// (model/machines.h). Cross-checks (an unknown machine, VNI clashes, MTUs that do not fit the
// underlay) are the resolver's (resolve_machines.cpp).
#include <fmt/format.h>

#include "parse/reader.h"

namespace nstopo::parse {
namespace {

constexpr std::string_view kMachineExample =
    "e.g. 'hosts: {m1: {address: 192.0.2.1}, m2: {address: 192.0.2.2}}'";

// A machine's name is how `on:` and `--host` name it, and may be its hostname: 1-63 of
// [A-Za-z0-9_.-] (a DNS label, and '.' for a full hostname), not starting with '-' or '.'.
std::optional<std::string> machine_name_problem(std::string_view name) {
  if (name == model::kHostNamespace)
    return "'host' names the host namespace of every machine, not a machine";
  if (name.empty() || name.size() > 63)
    return fmt::format("machine name '{}' must be 1-63 characters", name);
  if (name.front() == '-' || name.front() == '.')
    return fmt::format("machine name '{}' must not start with '{}'", name, name.front());
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return fmt::format("machine name '{}' may hold only letters, digits, '-', '_' and '.'", name);
  return std::nullopt;
}

void read_address(const Entry& entry, MachineDecl& decl, Reporter& reporter) {
  auto text = read_text(entry, reporter);
  if (!text) return;
  auto address = model::IpAddress::parse(*text);
  if (!address) {
    reporter.error(entry.value_at,
                   fmt::format("underlay address '{}' of machine '{}' is not an IP address", *text,
                               decl.machine.name),
                   "the machine's own address on the network between the machines, e.g. "
                   "192.0.2.1 or 2001:db8::1 (no prefix length)");
    return;
  }
  decl.machine.address = *address;
  decl.address_where = entry.value_at;
}

void read_machine(const Entry& entry, Declarations& declarations, Reporter& reporter) {
  MachineDecl decl{.machine = {.name = entry.key, .where = entry.key_at}};
  if (auto problem = machine_name_problem(entry.key)) {
    reporter.error(entry.key_at, *problem,
                   entry.key == model::kHostNamespace
                       ? "to write the lab's names into /etc/hosts, use 'names: {host: true}'"
                       : "");
    return;
  }
  if (entry.value->is_scalar()) {  // `m1: 192.0.2.1`
    read_address(entry, decl, reporter);
  } else {
    std::string label = fmt::format("machine '{}'", entry.key);
    Fields fields(entry, reporter, {"address", "port", "mtu", "interfaces"}, label, "in " + label);
    if (!fields.is_map()) return;
    if (auto* address = fields.require("address", "e.g. 'address: 192.0.2.1'"))
      read_address(*address, decl, reporter);
    if (auto* port = fields.get("port"))
      if (auto value = read_integer(*port, reporter, 1, 65535, "port"))
        decl.machine.vxlan_port = static_cast<uint16_t>(*value);
    if (auto* mtu = fields.get("mtu"))
      if (auto value = read_integer(*mtu, reporter, 1280, 65535, "mtu")) {
        decl.machine.mtu = static_cast<uint32_t>(*value);
        decl.mtu_where = mtu->value_at;
      }
    if (auto* interfaces = fields.get("interfaces")) {
      // Read as the host's, each marked as this machine's: one host namespace holds them all,
      // so that links name them as 'host:IF' and a name is declared once.
      NamespaceDecl own{.name = std::string(model::kHostNamespace),
                        .label = fmt::format("'hosts.{}'", entry.key)};
      read_interfaces(*interfaces, own, reporter);
      for (auto& iface : own.interfaces) {
        iface.machine = entry.key;
        if (const auto* first = declarations.host.find_interface(iface.name)) {
          reporter.error(iface.where,
                         fmt::format("host interface '{}' is declared twice (first at line {})",
                                     iface.name, first->where.line),
                         "a host interface belongs to every machine (under 'host') or to one "
                         "(under 'hosts.NAME.interfaces'); rename one");
          continue;
        }
        declarations.host.interface_index.emplace(iface.name, declarations.host.interfaces.size());
        declarations.host.interfaces.push_back(std::move(iface));
      }
    }
  }
  if (decl.address_where.line == 0) {  // no address read: reported
    declarations.refused_machines.insert(entry.key);
    return;
  }
  declarations.machines.push_back(std::move(decl));
}

}  // namespace

void read_machines(const Entry& entry, Declarations& declarations, Reporter& reporter) {
  auto duplicate = [](const std::string& name, int first_line) {
    return fmt::format("machine '{}' is declared twice (first at line {})", name, first_line);
  };
  if (!entry.value->is_map()) {
    reporter.error(entry.value_at,
                   fmt::format("'hosts' must be a map of machines ({}), not {}", kMachineExample,
                               describe(*entry.value)));
    return;
  }
  auto entries = map_entries(entry, reporter, "'hosts'", duplicate);
  if (!entries) return;
  for (const auto& machine : *entries) read_machine(machine, declarations, reporter);
}

void read_on(const Entry& entry, NamespaceDecl& ns, Reporter& reporter) {
  if (ns.is_host()) {
    reporter.error(entry.key_at, "'on' places a namespace; the host is on every machine",
                   "declare an interface of one machine's host under 'hosts.NAME.interfaces'");
    return;
  }
  auto machine = read_text(entry, reporter);
  if (!machine) return;
  ns.on = *machine;
  ns.on_where = entry.value_at;
}

}  // namespace nstopo::parse
