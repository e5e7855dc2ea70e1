// Names that resolve: the top-level `names:` (or `hosts:` in its older spelling) and a
// namespace's `dns:` (model/name_files.h).
#include <fmt/format.h>

#include "parse/reader.h"
#include "parse/values.h"

namespace nstopo::parse {

namespace {

// A search domain: what resolv.conf takes on its `search` line (no white space, no '#').
bool is_search_domain(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'))
      return false;
  return true;
}

}  // namespace

bool is_names_section(const Entry& hosts) {
  if (hosts.is_null()) return true;
  if (!hosts.value->is_map()) return false;  // read_machines says what it should be
  // `host:` or a key with a true/false value (a misspelt `host`, reported as such): names.
  // A machine has an address.
  const auto& items = hosts.value->items;
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    const YamlNode& value = items[i + 1];
    bool boolean = value.is_scalar() && value.plain && parse_bool(value.text).has_value();
    if (items[i].text != "host" && !boolean) return false;
  }
  return true;
}

void read_hosts_names(const Entry& entry, Declarations& declarations, Reporter& reporter,
                      std::string_view section) {
  if (declarations.hosts.declared) {
    reporter.error(entry.key_at, fmt::format("names are declared twice (first at line {})",
                                             declarations.hosts.where.line),
                   "keep 'names:'; `hosts: {host: ...}` is its older spelling");
    return;
  }
  declarations.hosts.declared = true;
  declarations.hosts.where = entry.key_at;
  if (entry.is_null()) return;  // `names:` alone: the namespaces' files only
  std::string label = fmt::format("'{}'", section);
  Fields fields(entry, reporter, {"host"}, label, "in " + label);
  if (auto* host = fields.get("host"))
    if (auto value = read_bool(*host, reporter)) declarations.hosts.host = *value;
}

void read_dns(const Entry& entry, NamespaceDecl& ns, Reporter& reporter) {
  auto label = namespace_label(ns);
  if (ns.is_host()) {
    reporter.error(entry.key_at, "'dns' is for namespaces; the host's resolv.conf is its own",
                   "remove 'dns' from 'host'");
    return;
  }
  Fields fields(entry, reporter, {"nameservers", "search"}, "'dns' of " + label,
                "in 'dns' of " + label);
  if (!fields.is_map()) return;
  model::Dns dns{.where = entry.key_at};
  bool refused = false;  // an entry was reported: "declares none" would be a second message
  if (auto* servers = fields.get("nameservers"))
    if (auto items = list_items(*servers, reporter, "'nameservers'"))
      for (const auto& item : *items) {
        auto text = read_text(item, reporter);
        if (!text) {
          refused = true;
          continue;
        }
        auto address = model::IpAddress::parse(*text);
        if (!address) {
          reporter.error(item.value_at,
                         fmt::format("nameserver '{}' is not an IP address", *text),
                         "e.g. 10.0.0.53 or fd00::53");
          refused = true;
          continue;
        }
        dns.nameservers.push_back(*address);
      }
  if (auto* search = fields.get("search"))
    if (auto items = list_items(*search, reporter, "'search'"))
      for (const auto& item : *items) {
        auto text = read_text(item, reporter);
        if (!text) {
          refused = true;
          continue;
        }
        if (!is_search_domain(*text)) {
          reporter.error(item.value_at, fmt::format("search domain '{}' is not a domain name", *text),
                         "letters, digits, '-', '_' and '.', e.g. lab.example");
          refused = true;
          continue;
        }
        dns.search.push_back(*text);
      }
  // resolv.conf takes at most 3 nameservers (glibc's MAXNS) and 6 search domains before
  // glibc 2.26; more would be ignored without a word.
  if (dns.nameservers.size() > 3)
    reporter.error(entry.value_at,
                   fmt::format("'dns' of {} has {} nameservers; the resolver reads 3 at most",
                               label, dns.nameservers.size()));
  if (dns.nameservers.empty() && dns.search.empty() && !refused)
    reporter.error(entry.value_at, fmt::format("'dns' of {} declares no nameserver and no search "
                                               "domain", label),
                   "add e.g. 'nameservers: [10.0.0.53]', or remove 'dns'");
  ns.dns = std::move(dns);
}

}  // namespace nstopo::parse
