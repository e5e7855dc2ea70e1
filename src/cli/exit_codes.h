#pragma once
// The one enum of exit codes (also in `nstopo --help` and the README).
// `plan --detailed-exitcode` follows Terraform: 0 no changes, 1 error, 2 changes pending.
#include <signal.h>

#include "model/error.h"
#include "model/interruption.h"

namespace nstopo::cli {

enum class ExitCode : int {
  ok = 0,               // done; for plan --detailed-exitcode: no changes
  error = 1,            // invalid file, kernel refusal, failed service, failed verification
  changes_pending = 2,  // plan --detailed-exitcode: the lab differs from the file
  conflict = 3,         // a declared object exists but is not the lab's; nothing was changed
  permission = 4,       // not root (CAP_NET_ADMIN and CAP_SYS_ADMIN are needed)
  busy = 5,             // --no-wait and another nstopo holds the lab's lock
  usage = 64,           // bad command line (EX_USAGE)
  // plan/apply/destroy stopped by a signal, this run's changes undone (cli/interrupt_handlers.h):
  // 128 + the signal, as a shell reports a command killed by it.
  interrupted_sigint = 128 + SIGINT,    // 130
  interrupted_sigterm = 128 + SIGTERM,  // 143
};

inline constexpr const char* kExitCodeHelp =
    "Exit codes: 0 success (plan/status --detailed-exitcode: no changes), 1 error, 2 changes "
    "pending (plan/status --detailed-exitcode), 3 conflict with objects nstopo did not create, 4 "
    "permission denied (needs root), 5 lab locked by another nstopo (--no-wait), 64 usage error, "
    "130/143 stopped by SIGINT/SIGTERM (apply first undoes the run's changes; a second signal "
    "stops at once).";

inline int exit_code(ExitCode code) { return static_cast<int>(code); }

inline ExitCode exit_code_for(const Error& error) {
  switch (error.kind) {
    case ErrorKind::usage: return ExitCode::usage;
    case ErrorKind::conflict: return ExitCode::conflict;
    case ErrorKind::permission: return ExitCode::permission;
    case ErrorKind::busy: return ExitCode::busy;
    case ErrorKind::interrupted:
      return model::interruption_signal() == SIGTERM ? ExitCode::interrupted_sigterm
                                                     : ExitCode::interrupted_sigint;
    default: return ExitCode::error;
  }
}

}  // namespace nstopo::cli
