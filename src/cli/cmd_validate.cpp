// nstopo validate FILE...: every problem of every file, compiler-style; no root needed.
#include <cstdio>

#include "model/machines.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/render.h"
#include "cli/topology_file.h"
#include "parse/load.h"

namespace nstopo::cli {

namespace {

struct Counts {
  size_t namespaces = 0, links = 0, addresses = 0, routes = 0, services = 0;
};

Counts count(const model::Topology& t) {
  Counts c{.namespaces = t.namespaces.size(), .links = t.links.size()};
  auto add = [&](const model::Namespace& ns) {
    for (auto& [name, itf] : ns.interfaces) c.addresses += itf.addresses.size();
    c.routes += ns.routes.size();
    c.services += ns.services.size();
  };
  add(t.host);
  for (auto& [name, ns] : t.namespaces) add(ns);
  return c;
}

std::string summary(const model::Topology& t) {
  auto c = count(t);
  auto plural = [](size_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : word.ends_with("s") ? "es" : "s");
  };
  std::string text = fmt::format("lab {}: {}, {}, {}, {}, {}", t.name, plural(c.namespaces, "namespace"),
                                 plural(c.links, "link"), plural(c.addresses, "address"),
                                 plural(c.routes, "route"), plural(c.services, "service"));
  if (!t.machines.empty()) {
    size_t tunnels = model::tunnels(t).size();
    text += fmt::format(", on {} ({})", plural(t.machines.size(), "machine"),
                        plural(tunnels, "tunnel"));
  }
  return text;
}

nlohmann::json file_json(const std::string& file, const parse::LoadResult& loaded) {
  nlohmann::json j{{"file", file}, {"valid", loaded.ok()}};
  if (!loaded.ok()) {
    j["error"] = validation_error_json(file, loaded);
    return j;
  }
  auto c = count(*loaded.topology);
  j["lab"] = loaded.topology->name;
  j["counts"] = {{"namespaces", c.namespaces}, {"links", c.links}, {"addresses", c.addresses},
                 {"routes", c.routes}, {"services", c.services}};
  return j;
}

}  // namespace

int run_validate(const GlobalOptions& global, const ValidateArgs& args) {
  bool all_valid = true;
  auto doc = document("validate");
  doc["files"] = nlohmann::json::array();
  for (auto& file : args.files) {
    auto loaded = parse::load_topology_file(file);
    all_valid = all_valid && loaded.ok();
    if (is_document(args.output)) {
      doc["files"].push_back(file_json(file, loaded));
      continue;
    }
    if (loaded.ok()) {
      if (global.verbosity != Verbosity::quiet)
        std::printf("%s: ok (%s)\n", file.c_str(), summary(*loaded.topology).c_str());
      continue;
    }
    for (auto& d : loaded.diagnostics) std::fputs(parse::format_diagnostic(d).c_str(), stderr);
    std::fprintf(stderr, "%s: %zu error%s\n", file.c_str(), loaded.diagnostics.size(),
                 loaded.diagnostics.size() == 1 ? "" : "s");
  }
  if (is_document(args.output)) {
    doc["valid"] = all_valid;
    print_document(doc, args.output);
  }
  return exit_code(all_valid ? ExitCode::ok : ExitCode::error);
}

}  // namespace nstopo::cli
