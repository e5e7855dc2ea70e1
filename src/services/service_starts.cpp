// Starting a run of services side by side: a pool of at most ServiceOptions::parallel_starts
// threads, each taking the next StartService of the run and carrying it out whole with
// ServiceManager::start (addresses settled, intent recorded, supervisor started, pid
// recorded, readiness waited for; a failure stopped and un-recorded), while run_plan collects
// the outcomes in plan order. Each start is the same steps as one on its own, and each
// readiness timeout counts from that service's own start, not from the run's.
//
// The record stays right at every moment: each start changes only its own key, and every
// change is saved whole under one mutex (record_and_save), so a kill at any point leaves, for
// every service in flight, the same record (an intent with its token, or a pid) that one start
// killed at that step would: the next run adopts or undoes each.
//
// Once a start has failed, or a first SIGINT/SIGTERM came, the starts not yet begun are not
// begun: run_plan undoes the run anyway, as it does when one start of a sequence fails. Those
// taken later than a failed one always come later in the plan, so the failure run_plan reports
// (the first in plan order) is a real one, never a "not started".
#include <algorithm>
#include <utility>

#include "model/interruption.h"
#include "services/start_pool.h"

namespace nstopo::services {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

ServiceManager::StartPool::StartPool(ServiceManager& manager,
                                     std::span<const model::Action> actions, unsigned workers)
    : manager_(manager), outcomes_(actions.size()) {
  for (const auto& action : actions) starts_.push_back(&std::get<model::StartService>(action.op));
  if (workers <= 1 || starts_.size() <= 1) {
    work();
    return;
  }
  workers = std::min<unsigned>(workers, static_cast<unsigned>(starts_.size()));
  for (unsigned i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
}

model::ActionOutcome ServiceManager::StartPool::collect(size_t k) {
  std::unique_lock lock(mutex_);
  finished_.wait(lock, [&] { return outcomes_.at(k).has_value(); });
  return std::move(*std::exchange(outcomes_[k], std::nullopt));
}

void ServiceManager::StartPool::work() {
  for (size_t i = next_++; i < starts_.size(); i = next_++) {
    const model::StartService& start = *starts_[i];
    const std::string label = fmt::format("{}/{}", start.ns, start.service.name);
    auto begin = Clock::now();
    Result<void> result = begin_one(start, label);
    std::lock_guard lock(mutex_);
    if (!result && !failed_) failed_ = label;
    outcomes_[i] = model::ActionOutcome{std::move(result), Clock::now() - begin};
    finished_.notify_all();
  }
}

Result<void> ServiceManager::StartPool::begin_one(const model::StartService& start,
                                                  const std::string& label) {
  if (model::interrupted())
    return fail(ErrorKind::interrupted,
                fmt::format("interrupted by {} before service {} was started",
                            model::signal_name(model::interruption_signal()), label),
                label);
  std::optional<std::string> failed;
  {
    std::lock_guard lock(mutex_);
    failed = failed_;
  }
  if (failed)
    return fail(ErrorKind::service,
                fmt::format("service {} not started: service {} failed to start", label, *failed),
                label);
  return manager_.start(start);
}

ServiceManager::~ServiceManager() = default;

void ServiceManager::start_independent(std::span<const model::Action> actions) {
  start_pool_.reset();  // the last run's: every outcome collected
  started_.clear();
  if (model::all_of_kind<model::StopService>(actions)) {
    started_ = stop_all(actions);
  } else if (model::all_of_kind<model::StartService>(actions)) {
    start_pool_ = std::make_unique<StartPool>(*this, actions, options_.parallel_starts);
  } else {
    for (const auto& action : actions) {
      auto begin = Clock::now();
      auto result = execute(action);
      started_.push_back({std::move(result), Clock::now() - begin});
    }
  }
}

model::ActionOutcome ServiceManager::collect_started(size_t k) {
  if (start_pool_) return start_pool_->collect(k);
  return std::move(started_.at(k));
}

}  // namespace nstopo::services
