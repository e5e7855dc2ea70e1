#pragma once
// While `nstopo exec` (or shell, capture) waits for the commands it started: SIGINT, SIGTERM,
// SIGHUP and SIGQUIT sent to nstopo go on to them. The ones the terminal sends (Ctrl-C, a
// hang-up) reached the whole foreground process group, the commands included, and are not
// sent a second time. Either way nstopo notes that a signal came (stop_requested), so that
// a run over several namespaces starts no more of them.
#include <sys/types.h>

#include <csignal>
#include <cstddef>

namespace nstopo::services {

class ForwardedSignals {
 public:
  // At most this many children at once (the multi-namespace exec bounds its own degree below it).
  static constexpr size_t kMaxChildren = 64;

  // Installs the handler; the signals are held off (blocked) until the first add().
  ForwardedSignals();
  ForwardedSignals(const ForwardedSignals&) = delete;
  ForwardedSignals& operator=(const ForwardedSignals&) = delete;
  ~ForwardedSignals();  // puts the previous handlers and mask back

  // Holds the signals off while a child is being started, so that none sent meanwhile is lost.
  void hold();
  // From now on signals go to `child` too (the ones held off meanwhile at once). False when
  // kMaxChildren run already.
  bool add(pid_t child);
  // Lets the signals held off by hold() through, when no child was started after all.
  void release();
  // `child` was reaped: it must not be signalled again (its pid may be reused).
  void remove(pid_t child);
  // A forwarded signal came, and which (0: none).
  static int stop_requested();

 private:
  struct sigaction previous_[4] {};
  sigset_t previous_mask_{};
};

}  // namespace nstopo::services
