// nstopo status FILE: every declared object with its live state; services with PID, uptime
// and readiness. Read-only: it does not take the lab's lock. The work is apply::status.
#include "apply/status.h"
#include "cli/exit_codes.h"
#include "cli/lab_session.h"
#include "cli/machine_selection.h"
#include "cli/report.h"
#include "cli/topology_file.h"

namespace nstopo::cli {

int run_status(const GlobalOptions& global, const StatusArgs& args) {
  ExitCode failed;
  auto topology = load_share_or_report(args.file, args.machine, args.output, "status", failed);
  if (!topology) return exit_code(failed);
  SessionStore labs(global);
  auto reporter = make_reporter(args.output, global);
  auto totals = apply::status({.desired = std::move(*topology), .file = args.file}, labs, *reporter);
  if (!totals) return exit_code(exit_code_for(totals.error()));
  if (!args.detailed_exitcode) return exit_code(ExitCode::ok);
  if (totals->conflict > 0) return exit_code(ExitCode::conflict);
  if (totals->missing > 0 || totals->drifted > 0) return exit_code(ExitCode::changes_pending);
  return exit_code(ExitCode::ok);
}

}  // namespace nstopo::cli
