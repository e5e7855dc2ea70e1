// nstopo exec NS -- CMD... and nstopo logs LAB NS/SERVICE [-f].
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/render.h"
#include "cli/topology_file.h"
#include "kernel/state_store.h"
#include "parse/names.h"
#include "services/exec.h"
#include "services/logs.h"

namespace nstopo::cli {

int run_exec(const GlobalOptions& global, const ExecArgs& args) {
  auto code = services::exec_in_namespace(global.netns_dir, args.ns, args.command);
  if (!code) {
    print_error(code.error());
    return exit_code(exit_code_for(code.error()));
  }
  return *code;
}

int run_logs(const GlobalOptions& global, const LogsArgs& args) {
  // LAB may be the lab's name or its topology file.
  std::string lab = args.lab;
  if (std::filesystem::is_regular_file(lab)) {
    auto topology = load_topology_or_report(lab);
    if (!topology) return exit_code(ExitCode::error);
    lab = topology->name;
  } else if (parse::lab_name_problem(lab)) {
    print_error({ErrorKind::usage, fmt::format("'{}' is neither a topology file nor a lab name", lab)});
    return exit_code(ExitCode::usage);
  }
  auto slash = args.service.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == args.service.size() ||
      args.service.find('/', slash + 1) != std::string::npos) {
    print_error({ErrorKind::usage,
                 fmt::format("'{}' is not NAMESPACE/SERVICE (e.g. ns_rifky/web)", args.service)});
    return exit_code(ExitCode::usage);
  }
  std::string ns = args.service.substr(0, slash), service = args.service.substr(slash + 1);
  if (parse::namespace_name_problem(ns) || parse::service_name_problem(service)) {
    print_error({ErrorKind::usage, fmt::format("'{}' is not a valid NAMESPACE/SERVICE", args.service)});
    return exit_code(ExitCode::usage);
  }
  kernel::StateStore store(global.state_dir);
  auto path = store.log_path(lab, ns, service);
  if (!std::filesystem::exists(path)) {
    print_error({ErrorKind::usage, fmt::format("lab {} has no log for service {} (looked for {})",
                                               lab, args.service, path)});
    return exit_code(ExitCode::error);
  }
  auto printed = services::print_log(path, args.follow, stdout);
  if (!printed) {
    print_error(printed.error());
    return exit_code(exit_code_for(printed.error()));
  }
  return exit_code(ExitCode::ok);
}

}  // namespace nstopo::cli
