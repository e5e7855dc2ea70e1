// nstopo exec NS -- CMD... and nstopo logs LAB NS/SERVICE [-f].
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/namespace_access.h"
#include "cli/namespace_selection.h"
#include "cli/render.h"
#include "cli/topology_file.h"
#include "model/topology.h"
#include "parse/names.h"
#include "services/exec.h"
#include "services/logs.h"
#include "state/state_store.h"

namespace nstopo::cli {

int run_exec(const GlobalOptions& global, const ExecArgs& args) {
  // Several namespaces: --all FILE, or a glob. One name runs exactly as `ip netns exec` does.
  if (!args.all_file.empty() || is_namespace_glob(args.ns)) return run_exec_many(global, args);
  if (args.ns.empty() || args.command.empty()) {
    print_error({ErrorKind::usage, "nstopo exec needs a namespace (or --all FILE) and a command "
                                   "after -- (nstopo exec NS -- CMD...)"});
    return exit_code(ExitCode::usage);
  }
  if (auto problem = namespace_entry_problem(args.ns, "nstopo exec")) {
    print_error(*problem);
    return exit_code(exit_code_for(*problem));
  }
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
  state::StateStore store(global.state_dir);
  auto path = store.log_path(lab, ns, service);
  std::error_code ec;
  bool exists = std::filesystem::exists(path, ec);
  if (ec) {
    // The state directory is root's (mode 0700): the usual reason is not being root.
    bool denied = ec == std::errc::permission_denied || ec == std::errc::operation_not_permitted;
    Error error{denied ? ErrorKind::permission : ErrorKind::internal,
                fmt::format("cannot read the log of service {} of lab {} ({})", args.service,
                            lab, path),
                path, ec.value()};
    if (denied) error.notes.push_back("the lab's records are root's: run it with sudo");
    print_error(error);
    return exit_code(denied ? ExitCode::permission : ExitCode::error);
  }
  if (!exists) {
    print_error({ErrorKind::usage, fmt::format("lab {} has no log for service {} (looked for {})",
                                               lab, args.service, path)});
    return exit_code(ExitCode::error);
  }
  auto printed = services::print_log(path, args.follow, stdout);
  if (!printed) {
    Error error = printed.error();
    if (error.error_number == EACCES || error.error_number == EPERM) {
      error.kind = ErrorKind::permission;
      error.notes.push_back("the lab's records are root's: run it with sudo");
    }
    print_error(error);
    return exit_code(exit_code_for(error));
  }
  return exit_code(ExitCode::ok);
}

}  // namespace nstopo::cli
