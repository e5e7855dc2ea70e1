#include "parse/declarations.h"

#include <fmt/format.h>

namespace nstopo::parse {

InterfaceDecl* NamespaceDecl::find_interface(std::string_view ifname) {
  auto it = interface_index.find(ifname);
  return it == interface_index.end() ? nullptr : &interfaces[it->second];
}

const InterfaceDecl* NamespaceDecl::find_interface(std::string_view ifname) const {
  auto it = interface_index.find(ifname);
  return it == interface_index.end() ? nullptr : &interfaces[it->second];
}

const NamespaceDecl* Declarations::find_namespace(std::string_view ns) const {
  if (ns == model::kHostNamespace) return &host;
  auto it = namespace_index.find(ns);
  return it == namespace_index.end() ? nullptr : &namespaces[it->second];
}

std::string namespace_label(const NamespaceDecl& ns) {
  if (!ns.label.empty()) return ns.label;
  return ns.is_host() ? std::string("'host'") : fmt::format("namespace '{}'", ns.name);
}

}  // namespace nstopo::parse
