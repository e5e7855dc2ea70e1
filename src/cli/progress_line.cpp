#include "cli/progress_line.h"

#include <fmt/core.h>

namespace nstopo::cli {

using Clock = std::chrono::steady_clock;

namespace {

std::string elapsed_text(Clock::duration d) {
  return fmt::format("{:.1f}s", std::chrono::duration<double>(d).count());
}

}  // namespace

void ProgressLine::start(std::string verb, size_t total) {
  std::lock_guard lock(mutex_);
  verb_ = std::move(verb);
  total_ = total;
  done_ = 0;
  started_ = action_started_ = Clock::now();
  if (running_) return;
  running_ = true;
  thread_ = std::thread([this] { loop(); });
}

void ProgressLine::begin_action(std::string description) {
  std::lock_guard lock(mutex_);
  current_ = std::move(description);
  action_started_ = Clock::now();
  redraw_locked();
}

void ProgressLine::action_done() {
  std::lock_guard lock(mutex_);
  ++done_;
  current_.clear();
}

void ProgressLine::print_above(const std::string& text) {
  std::lock_guard lock(mutex_);
  if (running_) std::fputs("\r\033[K", out_);
  std::fputs(text.c_str(), out_);
  if (running_) redraw_locked();
  std::fflush(out_);
}

void ProgressLine::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    running_ = false;
  }
  wake_.notify_all();
  thread_.join();
  std::fputs("\r\033[K", out_);
  std::fflush(out_);
}

std::string ProgressLine::render(Clock::duration elapsed) const {
  std::string line = fmt::format("{} [{}/{}] {}", verb_, done_, total_, elapsed_text(elapsed));
  if (!current_.empty()) {
    line += "  " + current_;
    auto on_this = Clock::now() - action_started_;
    // A wait shows itself: after a second on one action, its own time is shown too.
    if (on_this > std::chrono::seconds(1)) line += fmt::format(" (waiting, {})", elapsed_text(on_this));
  }
  return line;
}

void ProgressLine::redraw_locked() {
  if (!running_) return;
  std::string line = render(Clock::now() - started_);
  if (line.size() > 160) line = line.substr(0, 157) + "...";  // one line, even on a narrow terminal
  std::fputs(("\r\033[K" + line).c_str(), out_);
  std::fflush(out_);
}

void ProgressLine::loop() {
  std::unique_lock lock(mutex_);
  while (running_) {
    redraw_locked();
    wake_.wait_for(lock, std::chrono::milliseconds(100));
  }
}

}  // namespace nstopo::cli
