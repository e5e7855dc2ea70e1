#pragma once
// plan, apply and destroy from the command line: the real lab (SessionStore), the reporter
// for the output format, the signal handlers, and the exit code. The pipeline itself is
// apply::reconcile (ARCHITECTURE.md, "The pipeline").
#include "apply/reconcile.h"
#include "cli/commands.h"

namespace nstopo::cli {

struct ReconcileOutput {
  OutputFormat format = OutputFormat::text;
  bool detailed_exitcode = false;  // plan: 0 no changes, 2 changes pending
};

int reconcile(const GlobalOptions& global, apply::ReconcileRequest request,
              const ReconcileOutput& output);

}  // namespace nstopo::cli
