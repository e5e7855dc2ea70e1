#pragma once
// SIGINT and SIGTERM during plan, apply and destroy (ARCHITECTURE.md, "Interruption").
// The first one is only noted (model::note_interruption): run_plan stops at the next action
// boundary and undoes this run's changes as a failure would (destroy stops there and leaves
// the rest to the next destroy); the waits (the lab's lock,
// verify, a service's readiness) notice it at their next poll. The undo itself runs to its
// end. A second one ends nstopo at once, with one line saying so: what is left half-done is
// what a killed run leaves, and the next apply or destroy repairs it.
// Exit code either way: 128 + the signal (130 SIGINT, 143 SIGTERM), as a shell reports a
// command killed by it, so that scripts can tell an interruption from a failure.
#include <signal.h>

namespace nstopo::cli {

class InterruptHandlers {
 public:
  // Installs the handler for SIGINT and SIGTERM, with SA_RESTART (no system call of the
  // kernel layer sees EINTR). A signal ignored on entry (`nohup`, a background job of a
  // non-interactive shell) stays ignored.
  InterruptHandlers();
  InterruptHandlers(const InterruptHandlers&) = delete;
  InterruptHandlers& operator=(const InterruptHandlers&) = delete;
  // Puts the previous dispositions back.
  ~InterruptHandlers();

 private:
  struct sigaction previous_int_ {}, previous_term_ {};
};

}  // namespace nstopo::cli
