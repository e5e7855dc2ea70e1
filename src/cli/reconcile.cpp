#include "cli/reconcile.h"

#include "cli/exit_codes.h"
#include "cli/interrupt_handlers.h"
#include "cli/lab_session.h"
#include "cli/report.h"

namespace nstopo::cli {

int reconcile(const GlobalOptions& global, apply::ReconcileRequest request,
              const ReconcileOutput& output) {
  InterruptHandlers handlers;  // a first SIGINT/SIGTERM stops at an action boundary, undone
  request.state_dir = global.state_dir;
  SessionStore labs(global);
  auto reporter = make_reporter(output.format, global);
  auto outcome = apply::reconcile(request, labs, *reporter);
  if (!outcome) return exit_code(exit_code_for(outcome.error()));
  return exit_code(output.detailed_exitcode && outcome->changes_pending ? ExitCode::changes_pending
                                                                        : ExitCode::ok);
}

}  // namespace nstopo::cli
