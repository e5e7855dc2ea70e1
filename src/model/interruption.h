#pragma once
// Whether a SIGINT or SIGTERM asked this run to stop (ARCHITECTURE.md, "Interruption").
// The CLI installs the handler (cli/interrupt_handlers.h); every layer only reads the flag:
// run_plan at each action boundary, verify between its checks, the lock wait and the service
// layer's waits between their polls. Pure: one atomic, no system call.
#include <string>

namespace nstopo::model {

// The signal that asked the run to stop, 0 while none has.
int interruption_signal();
// True once a signal asked the run to stop, except while an UndoShield lives.
bool interrupted();

// While one lives, interrupted() is false: an undo runs to its end, its own waits included
// (a service it starts again is waited for). A second signal still ends nstopo at once.
class UndoShield {
 public:
  UndoShield();
  UndoShield(const UndoShield&) = delete;
  UndoShield& operator=(const UndoShield&) = delete;
  ~UndoShield();
};

// Called from the signal handler (async-signal-safe: one atomic exchange). Returns the signal
// noted before, 0 for the first one.
int note_interruption(int signal);

// Forgets the interruption (for tests, which "receive" signals by calling note_interruption).
void clear_interruption();

// "SIGINT", "SIGTERM", "signal N".
std::string signal_name(int signal);

}  // namespace nstopo::model
