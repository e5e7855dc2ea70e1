#include "cli/interrupt_handlers.h"

#include <unistd.h>

#include <cstring>

#include "model/interruption.h"

namespace nstopo::cli {

namespace {

// Only async-signal-safe calls here: an atomic exchange, write(2), _exit(2).
void say(const char* text) {
  ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

void on_interrupt(int signal) {
  const bool term = signal == SIGTERM;
  if (model::note_interruption(signal) == 0) {
    say(term ? "nstopo: SIGTERM: stopping after the current step (a second SIGTERM stops at once)\n"
             : "nstopo: SIGINT: stopping after the current step (a second Ctrl-C stops at once)\n");
    return;
  }
  say(term ? "nstopo: second SIGTERM: stopped at once; the next apply or destroy repairs what "
             "this run left half-done\n"
           : "nstopo: second SIGINT: stopped at once; the next apply or destroy repairs what "
             "this run left half-done\n");
  ::_exit(128 + signal);
}

void install(int signal, struct sigaction& previous) {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  action.sa_flags = SA_RESTART;
  ::sigemptyset(&action.sa_mask);
  // Both signals are held off while the handler runs: a SIGINT and a SIGTERM arriving at
  // once are still one first and one second signal.
  ::sigaddset(&action.sa_mask, SIGINT);
  ::sigaddset(&action.sa_mask, SIGTERM);
  ::sigaction(signal, nullptr, &previous);
  if (previous.sa_handler == SIG_IGN) return;
  ::sigaction(signal, &action, nullptr);
}

}  // namespace

InterruptHandlers::InterruptHandlers() {
  install(SIGINT, previous_int_);
  install(SIGTERM, previous_term_);
}

InterruptHandlers::~InterruptHandlers() {
  ::sigaction(SIGINT, &previous_int_, nullptr);
  ::sigaction(SIGTERM, &previous_term_, nullptr);
}

}  // namespace nstopo::cli
