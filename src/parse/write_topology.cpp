#include "parse/write_topology.h"

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

namespace nstopo::parse {

namespace {

// "default" where the parser reads it back as the same route: IPv4, or a gateway that says
// the family; otherwise the prefix itself ("::/0").
std::string destination(const model::Route& route) {
  if (route.to.is_default() && (route.to.family() == model::Family::inet || route.via))
    return "default";
  return fmt::format("{}", route.to);
}

void write_interface(YAML::Emitter& out, const model::Interface& itf) {
  out << YAML::Key << itf.name << YAML::Value;
  out << YAML::Flow << YAML::BeginMap;
  if (itf.kind == model::LinkKind::bridge) out << YAML::Key << "kind" << YAML::Value << "bridge";
  if (!itf.addresses.empty()) {
    out << YAML::Key << "addresses" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& prefix : itf.addresses) out << fmt::format("{}", prefix);
    out << YAML::EndSeq;
  }
  if (itf.mtu) out << YAML::Key << "mtu" << YAML::Value << *itf.mtu;
  if (itf.mac) out << YAML::Key << "mac" << YAML::Value << fmt::format("{}", *itf.mac);
  if (itf.master) out << YAML::Key << "master" << YAML::Value << *itf.master;
  if (!itf.up) out << YAML::Key << "up" << YAML::Value << false;
  out << YAML::EndMap;
}

void write_namespace(YAML::Emitter& out, const model::Namespace& ns) {
  if (ns.interfaces.empty() && ns.routes.empty()) {
    out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
    return;
  }
  out << YAML::BeginMap;
  if (!ns.interfaces.empty()) {
    out << YAML::Key << "interfaces" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, itf] : ns.interfaces) write_interface(out, itf);
    out << YAML::EndMap;
  }
  if (!ns.routes.empty()) {
    out << YAML::Key << "routes" << YAML::Value << YAML::BeginSeq;
    for (const auto& route : ns.routes) {
      out << YAML::Flow << YAML::BeginMap;
      out << YAML::Key << "to" << YAML::Value << destination(route);
      if (route.via) out << YAML::Key << "via" << YAML::Value << fmt::format("{}", *route.via);
      if (route.dev) out << YAML::Key << "dev" << YAML::Value << *route.dev;
      if (route.metric) out << YAML::Key << "metric" << YAML::Value << *route.metric;
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

}  // namespace

std::string write_topology_yaml(const model::Topology& topology,
                                const std::vector<std::string>& comments) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "version" << YAML::Value << topology.version;
  out << YAML::Key << "name" << YAML::Value << topology.name;
  if (!topology.host.interfaces.empty() || !topology.host.routes.empty()) {
    out << YAML::Key << "host" << YAML::Value;
    write_namespace(out, topology.host);
  }
  if (!topology.namespaces.empty()) {
    out << YAML::Key << "namespaces" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, ns] : topology.namespaces) {
      out << YAML::Key << name << YAML::Value;
      write_namespace(out, ns);
    }
    out << YAML::EndMap;
  }
  if (!topology.links.empty()) {
    out << YAML::Key << "links" << YAML::Value << YAML::BeginSeq;
    for (const auto& link : topology.links) {
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "endpoints" << YAML::Value << YAML::Flow
          << YAML::BeginSeq << link.a.to_string() << link.b.to_string() << YAML::EndSeq;
      if (link.mtu) out << YAML::Key << "mtu" << YAML::Value << *link.mtu;
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  std::string text;
  for (const auto& comment : comments) text += "# " + comment + "\n";
  return text + out.c_str() + "\n";
}

}  // namespace nstopo::parse
