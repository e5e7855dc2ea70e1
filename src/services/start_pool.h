#pragma once
// The pool of a run of starts side by side (ServiceManager::start_independent; how and why:
// service_starts.cpp). Its own header so that every file defining a ServiceManager member that
// owns one sees it whole.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "services/service_manager.h"

namespace nstopo::services {

class ServiceManager::StartPool {
 public:
  // With one worker (or one start) the starts run here, on the caller's thread, before the
  // constructor returns; otherwise on `workers` threads while the caller collects.
  StartPool(ServiceManager& manager, std::span<const model::Action> actions, unsigned workers);

  // Waits until the k-th start has ended, and gives its outcome.
  model::ActionOutcome collect(size_t k);

 private:
  void work();
  // The start itself, unless a signal came or another start failed: then it is not begun.
  Result<void> begin_one(const model::StartService& start, const std::string& label);

  ServiceManager& manager_;
  std::vector<const model::StartService*> starts_;
  std::atomic<size_t> next_{0};  // the next start to take
  std::mutex mutex_;             // guards outcomes_ and failed_
  std::condition_variable finished_;
  std::vector<std::optional<model::ActionOutcome>> outcomes_;  // empty: running, or collected
  std::optional<std::string> failed_;  // the label of the first start that failed
  std::vector<std::jthread> workers_;  // last: joined before the rest goes
};

}  // namespace nstopo::services
