#pragma once
// YAML document -> Declarations. The reader reports every problem that concerns one place in
// the file: unknown and duplicate keys, wrong types, missing required keys, malformed or
// out-of-range values, refused names. References between objects (link ends, masters, route
// gateways and devices, duplicate addresses) are the resolver's (resolve.h).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parse/declarations.h"
#include "parse/reporter.h"
#include "parse/yaml_fields.h"

namespace nstopo::parse {

// The root must be a non-null node.
Declarations read_declarations(const YamlNode& root, Reporter& reporter);

// The parts, one file each.
void read_namespace_body(const Entry& body, NamespaceDecl& ns, Reporter& reporter);
void read_interfaces(const Entry& entry, NamespaceDecl& ns, Reporter& reporter);
void read_routes(const Entry& entry, NamespaceDecl& ns, Reporter& reporter);
void read_sysctls(const Entry& entry, NamespaceDecl& ns, Reporter& reporter);
void read_services(const Entry& entry, NamespaceDecl& ns, Reporter& reporter);
void read_nat(const Entry& entry, NamespaceDecl& ns, Reporter& reporter);
// `defaults: interface:` (expand.h), checked as the settings of one interface.
void read_interface_defaults(const Entry& entry, Reporter& reporter);
void read_links(const Entry& entry, Declarations& declarations, Reporter& reporter);
void read_checks(const Entry& entry, Declarations& declarations, Reporter& reporter);
// read_names.cpp: the top-level `hosts:` and a namespace's `dns:`.
// `names:` (`section`), or `hosts:` in its older spelling as names (`hosts:` alone, or a map
// whose only key is `host`: is_names_section).
void read_hosts_names(const Entry& entry, Declarations& declarations, Reporter& reporter,
                      std::string_view section);
bool is_names_section(const Entry& hosts);
// read_machines.cpp: `hosts:` as the map of machines, and a namespace's `on:`.
void read_machines(const Entry& entry, Declarations& declarations, Reporter& reporter);
void read_on(const Entry& entry, NamespaceDecl& ns, Reporter& reporter);
void read_dns(const Entry& entry, NamespaceDecl& ns, Reporter& reporter);

// The impairment keys of an interface's or a link's settings (read_impairment.cpp): rate,
// delay, jitter, loss, duplicate, corrupt, reorder, limit. Their Fields must know them.
ImpairmentDecl read_impairment(const Fields& fields, Reporter& reporter);

// Values more than one part reads (read_service.cpp): an argv list (`owner` names its
// object in messages) and a duration ("500ms", "10s").
std::optional<std::vector<std::string>> read_argv(const Entry& entry, std::string_view owner,
                                                  Reporter& reporter);
std::optional<std::chrono::milliseconds> read_duration(const Entry& entry, Reporter& reporter);

}  // namespace nstopo::parse
