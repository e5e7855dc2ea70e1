// nstopo plan / apply / destroy: thin wrappers that build a ReconcileRequest.
#include <algorithm>
#include <cstdio>

#include "cli/cmd_check.h"
#include "cli/exit_codes.h"
#include "cli/machine_selection.h"
#include "cli/reconcile.h"
#include "cli/render.h"
#include "cli/topology_file.h"
#include "parse/load.h"
#include "parse/names.h"
#include "state/state_store.h"

namespace nstopo::cli {

int run_plan(const GlobalOptions& global, const PlanArgs& args) {
  ExitCode failed;
  auto topology = load_share_or_report(args.file, args.machine, args.output, "plan", failed);
  if (!topology) return exit_code(failed);
  return reconcile(global,
                   {.mode = apply::Mode::plan,
                    .desired = std::move(*topology),
                    .file = args.file,
                    .options = {.adopt = args.adopt},
                    .no_wait = args.no_wait},
                   {.format = args.output, .detailed_exitcode = args.detailed_exitcode});
}

int run_apply(const GlobalOptions& global, const ApplyArgs& args) {
  ExitCode failed;
  auto topology = load_share_or_report(args.file, args.machine, args.output, "apply", failed);
  if (!topology) return exit_code(failed);
  // apply --check: the checks need the topology after the reconcile has taken it.
  std::optional<model::Topology> for_checks;
  if (args.check && !args.dry_run) for_checks = *topology;
  int code = reconcile(global,
                   {.mode = apply::Mode::apply,
                    .desired = std::move(*topology),
                    .file = args.file,
                    .options = {.adopt = args.adopt},
                    .dry_run = args.dry_run,
                    .no_wait = args.no_wait,
                    .force = args.force},
                   {.format = args.output});
  if (code != exit_code(ExitCode::ok) || !for_checks || for_checks->checks.empty()) return code;
  return run_checks_of(global, *for_checks, CheckArgs{.file = args.file},
                       args.output == OutputFormat::json ? stderr : stdout);
}

int run_destroy(const GlobalOptions& global, const DestroyArgs& args) {
  if (args.file.empty() && args.name.empty()) {
    print_usage_error("destroy", "name the lab: a topology FILE or --name LAB", args.output);
    return exit_code(ExitCode::usage);
  }
  std::string lab = args.name;
  if (lab.empty()) {
    // Only the lab's name is needed from the file: what it owns comes from its records and
    // the kernel's ownership marks, so an edited file, even one broken further down, still
    // destroys everything. The name is read alone; when it cannot be, the full check says why.
    if (auto name = parse::read_lab_name(args.file)) {
      lab = *name;
    } else {
      auto topology = load_topology_or_report(args.file, args.output, "destroy");
      if (!topology) {
        std::fprintf(stderr, "nstopo: hint: `nstopo destroy --name LAB` works without the file\n");
        return exit_code(ExitCode::error);
      }
      lab = topology->name;
    }
  } else if (auto problem = parse::lab_name_problem(lab)) {
    print_usage_error("destroy", fmt::format("--name {}: {}", lab, problem->message), args.output);
    return exit_code(ExitCode::usage);
  }
  // A destroy removes what the lab made on this machine, from its records and marks: --host
  // changes nothing of that, but a machine the file does not declare is a mistake worth a word.
  if (!args.machine.empty() && !args.file.empty()) {
    auto loaded = parse::load_topology_file(args.file);
    if (loaded.ok())
      if (auto share = machine_share(std::move(*loaded.topology), args.machine, args.output, "destroy");
          !share)
        return exit_code(share.error());
  }
  // Read before the lock is taken: taking it makes the lab's directory.
  std::optional<std::vector<std::string>> known_labs;
  if (!args.name.empty()) {
    auto labs = state::StateStore(global.state_dir).labs();
    if (std::find(labs.begin(), labs.end(), lab) == labs.end()) known_labs = std::move(labs);
  }
  return reconcile(global,
                   {.mode = apply::Mode::destroy,
                    .desired = plan::empty_topology(lab),
                    .file = args.file,
                    .dry_run = args.dry_run,
                    .no_wait = args.no_wait,
                    .unrecorded_lab_known_labs = std::move(known_labs)},
                   {.format = args.output});
}

}  // namespace nstopo::cli
