#pragma once
// The one live line a long apply shows on a terminal: done/total, the action under way and
// the time so far, redrawn ten times a second so that a wait (a service's readiness) is seen
// as it happens. Every other line printed meanwhile goes through `print_above`.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace nstopo::cli {

class ProgressLine {
 public:
  explicit ProgressLine(std::FILE* out = stdout) : out_(out) {}
  ~ProgressLine() { stop(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void start(std::string verb, size_t total);
  void begin_action(std::string description);
  void action_done();
  // Clears the line, prints `text` (which ends with a newline), and draws the line again.
  void print_above(const std::string& text);
  // Clears the line for good (idempotent).
  void stop();

  // The text of the line, without terminal codes (for tests).
  std::string render(std::chrono::steady_clock::duration elapsed) const;

 private:
  void redraw_locked();
  void loop();

  std::FILE* out_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
  bool running_ = false;
  std::string verb_;
  size_t total_ = 0, done_ = 0;
  std::string current_;
  std::chrono::steady_clock::time_point started_{};
  std::chrono::steady_clock::time_point action_started_{};
};

}  // namespace nstopo::cli
