// The top level of a topology file: version, name, host, namespaces, links.
#include <fmt/format.h>

#include "parse/names.h"
#include "parse/reader.h"

namespace nstopo::parse {
namespace {

constexpr int kSupportedVersion = 1;

void read_version(const Entry& entry, Declarations& declarations, Reporter& reporter) {
  auto version = read_integer(entry, reporter, INT64_MIN, INT64_MAX, "version");
  if (!version) return;
  if (*version != kSupportedVersion) {
    reporter.error(entry.value_at,
                   fmt::format("unsupported version {}; this nstopo reads version {}", *version,
                               kSupportedVersion));
    return;
  }
  declarations.version = static_cast<int>(*version);
}

void read_name_entry(const Entry& entry, Declarations& declarations, Reporter& reporter) {
  auto name = read_text(entry, reporter);
  if (!name) return;
  if (auto problem = lab_name_problem(*name)) {
    reporter.error(entry.value_at, problem->message, problem->hint);
    return;
  }
  declarations.name = *name;
}

void read_namespaces(const Entry& entry, Declarations& declarations, Reporter& reporter) {
  auto duplicate = [](const std::string& name, int first_line) {
    return fmt::format("namespace '{}' is declared twice (first at line {})", name, first_line);
  };
  auto entries = map_entries(entry, reporter, "'namespaces'", duplicate);
  if (!entries) return;
  declarations.namespaces.reserve(entries->size());
  for (const auto& ns_entry : *entries) {
    if (auto problem = namespace_name_problem(ns_entry.key)) {
      reporter.error(ns_entry.key_at, problem->message, problem->hint);
      // 'host' here is a misplaced host block: reading it as a namespace would only add
      // confusing messages. Other refused names are still read, so that links naming them
      // do not also report an unknown namespace.
      if (ns_entry.key == model::kHostNamespace) continue;
    }
    NamespaceDecl ns{.name = ns_entry.key, .where = ns_entry.key_at};
    read_namespace_body(ns_entry, ns, reporter);
    declarations.namespace_index.emplace(ns.name, declarations.namespaces.size());
    declarations.namespaces.push_back(std::move(ns));
  }
}

}  // namespace

void read_namespace_body(const Entry& body, NamespaceDecl& ns, Reporter& reporter) {
  auto label = namespace_label(ns);
  Fields fields(body, reporter, {"interfaces", "routes", "sysctls", "services", "nat", "dns", "on"},
                label, "in " + label);
  if (auto* entry = fields.get("interfaces")) read_interfaces(*entry, ns, reporter);
  if (auto* entry = fields.get("routes")) read_routes(*entry, ns, reporter);
  if (auto* entry = fields.get("sysctls")) read_sysctls(*entry, ns, reporter);
  if (auto* entry = fields.get("services")) read_services(*entry, ns, reporter);
  if (auto* entry = fields.get("nat")) read_nat(*entry, ns, reporter);
  if (auto* entry = fields.get("dns")) read_dns(*entry, ns, reporter);
  if (auto* entry = fields.get("on")) read_on(*entry, ns, reporter);
}

Declarations read_declarations(const YamlNode& root, Reporter& reporter) {
  Declarations declarations;
  Entry document = Entry::item("", root, {1, 1});
  // `defaults` was read and merged into the namespaces when the templates were expanded.
  Fields top(document, reporter, {"version", "name", "defaults", "host", "namespaces", "links", "checks", "hosts", "names"},
             "a topology", "at the top level");
  if (!top.is_map()) return declarations;
  if (auto* entry = top.require("version", "add 'version: 1'"))
    read_version(*entry, declarations, reporter);
  if (auto* entry = top.require("name", "add e.g. 'name: mylab' (1-32 of a-z, 0-9, '_' and '-')"))
    read_name_entry(*entry, declarations, reporter);
  if (auto* entry = top.get("host")) {
    declarations.host.where = entry->key_at;
    read_namespace_body(*entry, declarations.host, reporter);
  }
  if (auto* entry = top.get("namespaces")) read_namespaces(*entry, declarations, reporter);
  if (auto* entry = top.get("links")) read_links(*entry, declarations, reporter);
  if (auto* entry = top.get("checks")) read_checks(*entry, declarations, reporter);
  if (auto* entry = top.get("names")) read_hosts_names(*entry, declarations, reporter, "names");
  if (auto* entry = top.get("hosts")) {
    if (is_names_section(*entry))
      read_hosts_names(*entry, declarations, reporter, "hosts");
    else
      read_machines(*entry, declarations, reporter);
  }
  return declarations;
}

}  // namespace nstopo::parse
