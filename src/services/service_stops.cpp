// Stopping services: which process a record may name (provably_ours), and SIGTERM then
// SIGKILL to many process groups at once, each with its own grace period.
#include <signal.h>
#include <unistd.h>

#include <algorithm>

#include "services/service_manager.h"

namespace nstopo::services {

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kKillWait{2'000};  // after SIGKILL, for the kernel to finish the job
// A supervisor SIGKILLs what is left at the end of the grace period itself: nstopo steps in
// only if it has not ended a moment after that.
constexpr milliseconds kSupervisorMargin{1'000};

}  // namespace

ServiceManager::StopTarget ServiceManager::target_of(const state::ServiceRecord& record) const {
  return StopTarget{fmt::format("{}/{}", record.ns, record.name), record.ns, record.pid,
                    record.start_time, record.netns_inode,
                    record.stop_grace.value_or(model::Service{}.stop_grace), !record.token.empty()};
}

bool ServiceManager::provably_ours(const StopTarget& target) const {
  if (target.pid <= 1 || target.pid == ::getpid() || target.pid == ::getppid()) return false;
  auto live = spawner_.netns_inode_of(target.pid);
  if (!live) return true;  // gone (or a zombie): only its group, checked member by member
  uint64_t expected = target.netns_inode;
  if (expected == 0) expected = spawner_.namespace_inode(options_.netns_dir, target.ns).value_or(0);
  return expected != 0 && *live == expected;
}

std::vector<model::ActionOutcome> ServiceManager::stop_all(std::span<const model::Action> actions) {
  auto begin = Clock::now();
  // Each action's target: the process the plan saw, or (pid 0, the undo of a start)
  // whatever the record holds now. Nothing to stop: no target.
  std::vector<std::optional<StopTarget>> targets;
  std::vector<StopTarget> to_stop;
  for (const auto& action : actions) {
    const auto& stop = std::get<model::StopService>(action.op);
    auto it = state_.services.find(state::LabState::service_key(stop.ns, stop.name));
    StopTarget target{fmt::format("{}/{}", stop.ns, stop.name), stop.ns, stop.pid,
                      stop.start_time, 0, stop.grace};
    if (it != state_.services.end()) {
      if (target.pid == 0) {
        target.pid = it->second.pid;
        target.start_time = it->second.start_time;
      }
      if (it->second.pid == target.pid) {
        target.netns_inode = it->second.netns_inode;
        target.supervised = !it->second.token.empty();
      }
    }
    targets.push_back(target.pid == 0 ? std::nullopt : std::optional(target));
    if (target.pid != 0) to_stop.push_back(target);
  }
  auto results = terminate_all(to_stop);

  std::vector<model::ActionOutcome> outcomes;
  bool changed = false;
  size_t next_result = 0;
  for (const auto& target : targets) {
    Result<void> result;
    if (target) {
      result = std::move(results[next_result++]);
      auto it = state_.services.find(target->label);
      if (result && it != state_.services.end() && it->second.pid == target->pid &&
          it->second.start_time == target->start_time) {
        state_.services.erase(it);
        changed = true;
      }
    }
    outcomes.push_back({std::move(result), Clock::now() - begin});
  }
  if (changed)
    if (auto saved = save(); !saved)
      for (auto& outcome : outcomes)
        if (outcome.result) outcome.result = std::unexpected(saved.error());
  return outcomes;
}

std::vector<Result<void>> ServiceManager::terminate_all(const std::vector<StopTarget>& targets) {
  enum class Phase { done, terminating, killing };
  struct Stopping {
    Phase phase = Phase::done;
    Clock::time_point deadline;
    Result<void> result;
  };
  std::vector<Stopping> stopping(targets.size());

  auto signal = [&](size_t i, int sig, milliseconds wait) {
    auto& s = stopping[i];
    const auto& t = targets[i];
    Result<void> sent;
    if (!t.supervised) {
      sent = spawner_.signal_group(t.pid, sig);
    } else if (sig == SIGTERM) {
      sent = spawner_.signal_process(t.pid, sig);  // the supervisor passes it on to all
    } else {
      spawner_.kill_tree(t.pid);  // before the group: its members would be adopted by init
      sent = spawner_.signal_group(t.pid, sig);
    }
    if (!sent) {
      s.result = std::unexpected(sent.error());
      s.phase = Phase::done;
      return;
    }
    s.phase = sig == SIGTERM ? Phase::terminating : Phase::killing;
    s.deadline = spawner_.now() + wait + (t.supervised && sig == SIGTERM ? kSupervisorMargin : milliseconds(0));
  };

  // SIGTERM to every group that is provably the lab's and still has a live member. A pid
  // that now belongs to another process means ours is long gone, and so is its group.
  for (size_t i = 0; i < targets.size(); ++i) {
    const auto& t = targets[i];
    if (!provably_ours(t) || spawner_.status(t.pid, t.start_time).state == ProcessStatus::State::reused)
      continue;
    if (spawner_.group_alive(t.pid, t.start_time)) signal(i, SIGTERM, t.grace);
  }

  milliseconds pause{10};
  auto busy = [&] {
    return std::ranges::any_of(stopping, [](const Stopping& s) { return s.phase != Phase::done; });
  };
  while (busy()) {
    for (size_t i = 0; i < targets.size(); ++i) {
      auto& s = stopping[i];
      if (s.phase == Phase::done) continue;
      if (!spawner_.group_alive(targets[i].pid, targets[i].start_time)) {
        s.phase = Phase::done;
      } else if (spawner_.now() >= s.deadline) {
        if (s.phase == Phase::terminating) {
          signal(i, SIGKILL, kKillWait);
        } else {
          s.phase = Phase::done;
          s.result = fail(ErrorKind::service,
                          fmt::format("processes of service {} (process group {}) survived SIGKILL",
                                      targets[i].label, targets[i].pid),
                          targets[i].label);
        }
      }
    }
    if (!busy()) break;
    spawner_.sleep_for(pause);
    pause = std::min(pause * 2, milliseconds(100));
  }

  std::vector<Result<void>> results;
  for (size_t i = 0; i < targets.size(); ++i) {
    if (targets[i].pid > 1) spawner_.release(targets[i].pid);
    results.push_back(std::move(stopping[i].result));
  }
  return results;
}

}  // namespace nstopo::services
