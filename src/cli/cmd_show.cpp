// nstopo show NS... | --all: live namespaces written as a topology file (plan/show_topology.h
// decides what is shown, parse/write_topology.h writes the YAML).
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/render.h"
#include "kernel/netlink_kernel.h"
#include "kernel/netns/netns.h"
#include "parse/names.h"
#include "parse/write_topology.h"
#include "plan/show_topology.h"
#include "state/state_store.h"

namespace nstopo::cli {

namespace {

constexpr const char* kNotShown =
    "Not shown: MAC addresses, sysctls, services, kernel-made addresses and routes.";

std::vector<std::string> all_namespaces(const std::string& netns_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(netns_dir, ec)) {
    auto name = entry.path().filename().string();
    if (kernel::namespace_exists(netns_dir, name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

nlohmann::ordered_json namespace_json(const model::Namespace& ns) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  if (!ns.interfaces.empty()) {
    auto& interfaces = j["interfaces"] = nlohmann::ordered_json::object();
    for (const auto& [name, itf] : ns.interfaces) {
      nlohmann::ordered_json i = nlohmann::ordered_json::object();
      if (itf.kind == model::LinkKind::bridge) i["kind"] = "bridge";
      if (!itf.addresses.empty()) {
        i["addresses"] = nlohmann::ordered_json::array();
        for (const auto& a : itf.addresses) i["addresses"].push_back(a.to_string());
      }
      if (itf.mtu) i["mtu"] = *itf.mtu;
      if (itf.master) i["master"] = *itf.master;
      if (!itf.up) i["up"] = false;
      interfaces[name] = i;
    }
  }
  if (!ns.routes.empty()) {
    auto& routes = j["routes"] = nlohmann::ordered_json::array();
    for (const auto& r : ns.routes) {
      nlohmann::ordered_json route{{"to", r.to.is_default() && (r.to.family() == model::Family::inet || r.via)
                                              ? std::string("default")
                                              : r.to.to_string()}};
      if (r.via) route["via"] = r.via->to_string();
      if (r.dev) route["dev"] = *r.dev;
      if (r.metric) route["metric"] = *r.metric;
      routes.push_back(route);
    }
  }
  return j;
}

// The same file as the YAML, in JSON (the parser reads JSON too: it is YAML).
nlohmann::ordered_json topology_json(const model::Topology& t) {
  nlohmann::ordered_json j{{"version", t.version}, {"name", t.name}};
  if (!t.host.interfaces.empty()) j["host"] = namespace_json(t.host);
  if (!t.namespaces.empty()) {
    auto& namespaces = j["namespaces"] = nlohmann::ordered_json::object();
    for (const auto& [name, ns] : t.namespaces) namespaces[name] = namespace_json(ns);
  }
  if (!t.links.empty()) {
    auto& links = j["links"] = nlohmann::ordered_json::array();
    for (const auto& l : t.links)
      links.push_back({{"endpoints", nlohmann::ordered_json::array({l.a.to_string(), l.b.to_string()})}});
  }
  return j;
}

int usage(const std::string& message, OutputFormat format) {
  print_usage_error("show", message, format);
  return exit_code(ExitCode::usage);
}

}  // namespace

int run_show(const GlobalOptions& global, const ShowArgs& args) {
  // -o yaml is the topology file itself, not a document: its errors are text only.
  auto errors_as = args.output == "json" ? OutputFormat::json : OutputFormat::text;
  if (args.all == !args.namespaces.empty())
    return usage("name the namespaces to show, or --all (not both)", errors_as);
  std::string lab = args.name.empty() ? "show" : args.name;
  if (auto problem = parse::lab_name_problem(lab))
    return usage(fmt::format("--name {}: {}", lab, problem->message), errors_as);
  std::vector<std::string> names = args.all ? all_namespaces(global.netns_dir) : args.namespaces;
  for (const auto& name : names)
    if (!kernel::valid_namespace_name(name) || !kernel::namespace_exists(global.netns_dir, name)) {
      print_error("show",
                  {ErrorKind::invalid_input,
                   fmt::format("no such namespace {} (in {})", name, global.netns_dir), name},
                  errors_as);
      return exit_code(ExitCode::error);
    }

  // Read-only: no lab is opened, locked or recorded.
  state::StateStore store(global.state_dir);
  state::LabState state;
  state.lab = lab;
  auto kernel = kernel::NetlinkKernel::open({.netns_dir = global.netns_dir}, store, state);
  if (!kernel) {
    print_error("show", kernel.error(), errors_as);
    return exit_code(exit_code_for(kernel.error()));
  }
  model::ObserveRequest request{.lab = lab};
  request.namespaces.insert(names.begin(), names.end());
  auto observed = (*kernel)->observe(request);
  if (!observed) {
    print_error("show", observed.error(), errors_as);
    return exit_code(exit_code_for(observed.error()));
  }
  auto shown = plan::topology_from_observed(*observed, lab);

  if (args.output == "json") {
    nlohmann::ordered_json document{{"schema_version", kOutputSchemaVersion}, {"command", "show"}};
    document["topology"] = topology_json(shown.topology);
    auto skipped = nlohmann::ordered_json::array();
    for (const auto& s : shown.skipped)
      skipped.push_back({{"kind", model::to_string(s.key.kind)},
                         {"namespace", s.key.ns},
                         {"name", s.key.name},
                         {"why", s.why}});
    document["skipped"] = skipped;
    document["not_shown"] = kNotShown;
    std::fputs((document.dump(2) + "\n").c_str(), stdout);
    return exit_code(ExitCode::ok);
  }
  std::vector<std::string> comments{
      fmt::format("Written by `nstopo show` from the live state of {} namespace{}.", names.size(),
                  names.size() == 1 ? "" : "s"),
      kNotShown};
  for (const auto& s : shown.skipped) comments.push_back("Left out: " + s.text());
  std::fputs(parse::write_topology_yaml(shown.topology, comments).c_str(), stdout);
  return exit_code(ExitCode::ok);
}

}  // namespace nstopo::cli
