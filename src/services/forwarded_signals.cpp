#include "services/forwarded_signals.h"

#include <signal.h>

#include <atomic>
#include <iterator>

namespace nstopo::services {

namespace {

// The children being waited for; 0 in a free slot. Read by the signal handler.
std::atomic<pid_t> children[ForwardedSignals::kMaxChildren];
std::atomic<int> stop_signal{0};

// A signal sent to nstopo (kill, a supervisor, `timeout`) goes on to the commands. One the
// terminal sent (Ctrl-C, Ctrl-\, a hang-up: si_code SI_KERNEL) went to the whole foreground
// process group, the commands included: it is not sent a second time.
void forward(int signal, siginfo_t* info, void*) {
  stop_signal.store(signal);
  if (info && info->si_code == SI_KERNEL) return;
  for (auto& slot : children)
    if (pid_t child = slot.load(); child > 0) ::kill(child, signal);
}

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

sigset_t forwarded_set() {
  sigset_t set;
  ::sigemptyset(&set);
  for (int sig : kForwarded) ::sigaddset(&set, sig);
  return set;
}

}  // namespace

ForwardedSignals::ForwardedSignals() {
  static_assert(std::size(kForwarded) == std::size(decltype(previous_){}));
  stop_signal.store(0);
  struct sigaction action {};
  action.sa_sigaction = forward;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  ::sigemptyset(&action.sa_mask);
  sigset_t held = forwarded_set();
  ::sigprocmask(SIG_BLOCK, &held, &previous_mask_);
  for (size_t i = 0; i < std::size(kForwarded); ++i)
    ::sigaction(kForwarded[i], &action, &previous_[i]);
}

void ForwardedSignals::hold() {
  sigset_t held = forwarded_set();
  ::sigprocmask(SIG_BLOCK, &held, nullptr);
}

bool ForwardedSignals::add(pid_t child) {
  bool added = false;
  for (auto& slot : children) {
    pid_t free = 0;
    if (slot.compare_exchange_strong(free, child)) {
      added = true;
      break;
    }
  }
  release();
  return added;
}

void ForwardedSignals::release() { ::sigprocmask(SIG_SETMASK, &previous_mask_, nullptr); }

void ForwardedSignals::remove(pid_t child) {
  for (auto& slot : children) {
    pid_t expected = child;
    slot.compare_exchange_strong(expected, 0);
  }
}

int ForwardedSignals::stop_requested() { return stop_signal.load(); }

ForwardedSignals::~ForwardedSignals() {
  hold();
  for (auto& slot : children) slot.store(0);
  for (size_t i = 0; i < std::size(kForwarded); ++i)
    ::sigaction(kForwarded[i], &previous_[i], nullptr);
  ::sigprocmask(SIG_SETMASK, &previous_mask_, nullptr);
}

}  // namespace nstopo::services
