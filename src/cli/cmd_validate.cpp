// nstopo validate FILE...: every problem of every file, compiler-style; no root needed.
#include <cstdio>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "parse/load.h"

namespace nstopo::cli {

namespace {

std::string summary(const model::Topology& t) {
  size_t links = t.links.size(), addresses = 0, routes = 0, services = 0;
  auto count = [&](const model::Namespace& ns) {
    for (auto& [name, itf] : ns.interfaces) addresses += itf.addresses.size();
    routes += ns.routes.size();
    services += ns.services.size();
  };
  count(t.host);
  for (auto& [name, ns] : t.namespaces) count(ns);
  auto plural = [](size_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : word.ends_with("s") ? "es" : "s");
  };
  return fmt::format("lab {}: {}, {}, {}, {}, {}", t.name, plural(t.namespaces.size(), "namespace"),
                     plural(links, "link"), plural(addresses, "address"), plural(routes, "route"),
                     plural(services, "service"));
}

}  // namespace

int run_validate(const GlobalOptions&, const ValidateArgs& args) {
  bool all_valid = true;
  for (auto& file : args.files) {
    auto loaded = parse::load_topology_file(file);
    if (loaded.ok()) {
      std::printf("%s: ok (%s)\n", file.c_str(), summary(*loaded.topology).c_str());
      continue;
    }
    all_valid = false;
    for (auto& d : loaded.diagnostics) std::fputs(parse::format_diagnostic(d).c_str(), stderr);
    std::fprintf(stderr, "%s: %zu error%s\n", file.c_str(), loaded.diagnostics.size(),
                 loaded.diagnostics.size() == 1 ? "" : "s");
  }
  return exit_code(all_valid ? ExitCode::ok : ExitCode::error);
}

}  // namespace nstopo::cli
