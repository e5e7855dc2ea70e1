#include "model/interruption.h"

#include <signal.h>

#include <atomic>

#include <fmt/format.h>

namespace nstopo::model {

namespace {
std::atomic<int> noted{0};
std::atomic<int> shields{0};  // UndoShields alive
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free atomic");
}  // namespace

int interruption_signal() { return noted.load(std::memory_order_relaxed); }

bool interrupted() { return interruption_signal() != 0 && shields.load() == 0; }

UndoShield::UndoShield() { ++shields; }
UndoShield::~UndoShield() { --shields; }

int note_interruption(int signal) { return noted.exchange(signal, std::memory_order_relaxed); }

void clear_interruption() { noted.store(0, std::memory_order_relaxed); }

std::string signal_name(int signal) {
  switch (signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGQUIT: return "SIGQUIT";
  }
  return fmt::format("signal {}", signal);
}

}  // namespace nstopo::model
