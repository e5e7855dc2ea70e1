#pragma once
// A service's supervisor: the process nstopo records as the service, the parent of its
// command and of everything the command leaves behind.
//
// Why: a service that daemonizes (forks, setsid, the parent exits) used to leave nstopo's
// reach: out of its process group, adopted by init, alive after destroy, and started once
// more on every apply because the recorded pid had exited. The supervisor is a child
// subreaper (PR_SET_CHILD_SUBREAPER), so every orphan below it becomes its child, and it
// lives for as long as any of them does: the service runs while its supervisor runs.
//
//  - Stop (SIGTERM, SIGINT, SIGHUP or SIGQUIT to the supervisor): SIGTERM to every
//    descendant, SIGKILL to those left after the grace period, then it exits.
//  - Its command's stdout and stderr come through a pipe and go to the service's log, which
//    the supervisor rotates (PATH -> PATH.1) whenever it would grow past max_log_bytes: a
//    chatty service never fills the disk (at most twice the bound, in two files).
//  - It exits with its command's own status (or dies of the same signal) once nothing of the
//    service is left, so nstopo reports "exited with status 3" as before.
//
// Startup: nstopo reads one line from the supervisor's stdout: "started" once the command
// runs, or the reason it could not be started (services/supervisor_args.h).
#include "services/supervisor_args.h"

namespace nstopo::services {

// The whole life of a supervisor process; returns its exit status (or does not return).
int supervise(const SupervisorArgs& args);

// main()'s entry point for "nstopo __supervise ...": 64 on a malformed line.
int supervisor_main(int argc, char** argv);

}  // namespace nstopo::services
