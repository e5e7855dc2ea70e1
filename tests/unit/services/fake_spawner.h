#pragma once
// A Spawner that never forks: it records what it is asked, plays processes from a table, and
// runs on a clock that only moves when someone sleeps (ninja's FakeCommandRunner).
#include <signal.h>
#include <unistd.h>

#include <functional>
#include <map>
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "services/spawner.h"

namespace nstopo::services::testing {

struct FakeProcess {
  uint64_t start_time = 0;
  ProcessStatus::State state = ProcessStatus::State::running;
  std::optional<int> wait_status;  // once exited
  bool group_alive = true;         // its process group still has live members
  bool ignores_sigterm = false;
  bool survives_sigkill = false;
  // A supervised service: its supervisor SIGKILLs the command `grace` after a SIGTERM it
  // ignores, and ends (unless the supervisor itself is wedged, e.g. stopped by SIGSTOP).
  std::optional<std::chrono::milliseconds> supervisor_grace;
  bool supervisor_wedged = false;
  std::optional<std::chrono::steady_clock::time_point> ends_at;
};

class FakeSpawner final : public Spawner {
 public:
  // What to do.
  std::optional<Error> start_error;  // the next start fails with it
  std::string output_on_start;       // written to the log at start, as if by the service
  int next_pid = 4242;
  uint64_t next_start_time = 777'000;
  std::map<int, FakeProcess> processes;
  std::function<bool(int attempt)> ready = [](int) { return true; };
  // How long each probe attempt runs (the clock moves by it); one given less time is killed
  // at its timeout and fails, as a real exec probe would.
  std::chrono::milliseconds probe_takes{0};
  std::vector<std::vector<std::string>> tentative;  // successive answers; the last one repeats
  // When set, called before each status() so a test can change a process mid-wait.
  std::function<void(int pid)> before_status;
  // When set, called at the start of each start(), before anything is forked.
  std::function<void(const SupervisedStart&)> before_start;

  // What was done.
  std::vector<ProcessSpec> started;
  std::vector<std::pair<int, int>> signals;  // (pgid, signal)
  std::vector<int> released;
  std::vector<std::chrono::milliseconds> sleeps;
  int probe_attempts = 0;
  std::vector<std::chrono::milliseconds> probe_timeouts;  // each attempt's timeout
  std::vector<int> probe_owners;                          // the owner each attempt was given
  int tentative_checks = 0;
  std::chrono::steady_clock::time_point clock{};

  std::chrono::milliseconds slept() const {
    std::chrono::milliseconds total{0};
    for (auto s : sleeps) total += s;
    return total;
  }

  // Supervisors by the token on their command line (find_supervisor).
  std::map<std::string, StartedProcess> supervisors;
  std::vector<SupervisedStart> supervised;  // what each start was given
  std::vector<int> killed_trees;

  Result<StartedProcess> start(const ProcessSpec& spec, const SupervisedStart& how,
                               int log_fd) override {
    if (before_start) before_start(how);
    if (start_error) return std::unexpected(*std::exchange(start_error, std::nullopt));
    started.push_back(spec);
    supervised.push_back(how);
    if (!output_on_start.empty()) {
      ssize_t written = ::write(log_fd, output_on_start.data(), output_on_start.size());
      (void)written;
    }
    int pid = next_pid++;
    processes[pid] = FakeProcess{next_start_time, ProcessStatus::State::running, {}, true};
    processes[pid].supervisor_grace = how.grace;
    supervisors[how.token] = StartedProcess{pid, next_start_time};
    return StartedProcess{pid, next_start_time++};
  }

  std::optional<StartedProcess> find_supervisor(const std::string& token) override {
    auto it = supervisors.find(token);
    if (it == supervisors.end()) return std::nullopt;
    return it->second;
  }

  ProcessStatus status(int pid, uint64_t start_time) override {
    if (before_status) before_status(pid);
    if (auto other = std::ranges::find(others, pid, &ProcStat::pid); other != others.end()) {
      if (other->start_time != start_time) return {ProcessStatus::State::reused, std::nullopt};
      return {other->ended() ? ProcessStatus::State::exited : ProcessStatus::State::running,
              std::nullopt};
    }
    settle(pid);
    auto it = processes.find(pid);
    if (it == processes.end()) return {ProcessStatus::State::exited, std::nullopt};
    if (it->second.start_time != start_time) return {ProcessStatus::State::reused, std::nullopt};
    return {it->second.state, it->second.wait_status};
  }

  bool group_alive(int pgid, uint64_t start_time) override {
    settle(pgid);
    auto it = processes.find(pgid);
    return it != processes.end() && it->second.start_time == start_time && it->second.group_alive;
  }

  // A supervisor passes a signal on to its whole tree: the same as one to the group here,
  // except that it kills a command deaf to SIGTERM itself when its grace period is over.
  Result<void> signal_process(int pid, int signal) override {
    if (auto other = std::ranges::find(others, pid, &ProcStat::pid); other != others.end()) {
      signals.emplace_back(pid, signal);
      if (signal == SIGKILL || !deaf.contains(pid)) other->state = 'Z';
      return {};
    }
    auto result = signal_group(pid, signal);
    auto it = processes.find(pid);
    if (it != processes.end() && signal == SIGTERM && it->second.group_alive &&
        it->second.supervisor_grace && !it->second.supervisor_wedged && !it->second.ends_at)
      it->second.ends_at = clock + *it->second.supervisor_grace;
    return result;
  }
  void kill_tree(int pid) override {
    killed_trees.push_back(pid);
    if (auto it = processes.find(pid); it != processes.end() && !it->second.survives_sigkill)
      end(it->second, SIGKILL);
  }

  Result<void> signal_group(int pgid, int signal) override {
    signals.emplace_back(pgid, signal);
    auto it = processes.find(pgid);
    if (it == processes.end()) return {};
    FakeProcess& p = it->second;
    bool dies = (signal == SIGTERM && !p.ignores_sigterm) || (signal == SIGKILL && !p.survives_sigkill);
    if (dies) end(p, signal);
    return {};
  }

  static void end(FakeProcess& p, int signal) {
    p.group_alive = false;
    p.state = ProcessStatus::State::exited;
    p.wait_status = signal;  // "killed by signal"
  }

  // A supervisor whose grace period is over has killed its command and ended (unless what
  // it killed survives SIGKILL: it waits for every process below it).
  void settle(int pid) {
    auto it = processes.find(pid);
    if (it != processes.end() && it->second.ends_at && clock >= *it->second.ends_at &&
        it->second.group_alive && !it->second.survives_sigkill)
      end(it->second, SIGTERM);
  }

  // Other processes of the machine, for scan_processes: in the lab's namespace unless
  // netns_inodes says otherwise, alive until signalled (SIGKILL always works on them, SIGTERM
  // unless they are in `deaf`). The table's own processes are listed too.
  std::vector<ProcStat> others;
  std::map<int, std::string> command_lines;
  std::set<int> deaf;
  std::vector<ProcStat> scan_processes() override {
    std::vector<ProcStat> all = others;
    for (const auto& [pid, p] : processes)
      all.push_back({pid, p.state == ProcessStatus::State::running ? 'S' : 'Z', 1, pid, pid, p.start_time});
    return all;
  }
  std::string command_line(int pid) override {
    auto it = command_lines.find(pid);
    return it == command_lines.end() ? "?" : it->second;
  }

  void release(int pid) override { released.push_back(pid); }

  // Every process runs in the namespace of inode 4026531999 unless the table says otherwise.
  static constexpr uint64_t kLabNamespaceInode = 4026531999;
  std::map<int, uint64_t> netns_inodes;  // pid -> inode, where it is not the lab's
  std::optional<uint64_t> netns_inode_of(int pid) override {
    if (auto it = netns_inodes.find(pid); it != netns_inodes.end()) return it->second;
    return kLabNamespaceInode;
  }
  std::optional<uint64_t> namespace_inode(const std::string&, const std::string&) override {
    return kLabNamespaceInode;
  }

  bool probe_once(const ProcessSpec&, const model::ReadyProbe& probe, int owner,
                  std::chrono::milliseconds attempt_timeout) override {
    if (probe.kind == model::ReadyProbe::Kind::none) return true;
    probe_timeouts.push_back(attempt_timeout);
    probe_owners.push_back(owner);
    if (probe_takes > attempt_timeout) {
      clock += attempt_timeout;
      ++probe_attempts;
      return false;
    }
    clock += probe_takes;
    return ready(probe_attempts++);
  }

  std::string unready_explanation;  // what explain_unready answers
  std::string explain_unready(const ProcessSpec&, const model::ReadyProbe&, int) override {
    return unready_explanation;
  }

  Result<std::vector<std::string>> tentative_addresses(const std::string&, const std::string&) override {
    ++tentative_checks;
    if (tentative.empty()) return std::vector<std::string>{};
    auto answer = tentative.front();
    if (tentative.size() > 1) tentative.erase(tentative.begin());
    return answer;
  }

  std::chrono::steady_clock::time_point now() override { return clock; }
  void sleep_for(std::chrono::milliseconds duration) override {
    sleeps.push_back(duration);
    clock += duration;
  }
};

}  // namespace nstopo::services::testing
