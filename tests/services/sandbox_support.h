#pragma once
// Helpers for the service tests, which run whole inside tests/integration/sandbox.sh (fresh
// net + mount + pid namespaces, private tmpfs on /run). Outside it they refuse to start.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "services/proc.h"
#include "services/process_spawner.h"

// REQUIRE that a Result holds a value, printing its error otherwise.
#define REQUIRE_OK(result)                                   \
  do {                                                       \
    if (!(result)) FAIL((result).error().describe());        \
  } while (false)

namespace nstopo::services::testing {

inline constexpr const char* kNetnsDir = "/run/netns";
inline constexpr const char* kStateDir = "/run/nstopo";
inline constexpr const char* kPython = "/usr/bin/python3";

// Runs a command line through sh (tests may; product code never does). Returns its exit code.
inline int run(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// A namespace made with `ip netns add`, loopback up, deleted at scope end.
class TestNamespace {
 public:
  explicit TestNamespace(std::string name) : name_(std::move(name)) {
    run(fmt::format("ip netns del {} 2>/dev/null", name_));
    ok_ = run(fmt::format("ip netns add {} && ip -n {} link set lo up", name_, name_)) == 0;
  }
  TestNamespace(const TestNamespace&) = delete;
  TestNamespace& operator=(const TestNamespace&) = delete;
  ~TestNamespace() { run(fmt::format("ip netns del {}", name_)); }
  const std::string& name() const { return name_; }
  bool ok() const { return ok_; }

 private:
  std::string name_;
  bool ok_ = false;
};

// A process as the tests identify it: pid and start time.
struct ProcessId {
  int pid = 0;
  uint64_t start_time = 0;
  auto operator<=>(const ProcessId&) const = default;
};

inline bool alive(const ProcessId& p) {
  auto stat = read_proc_stat(p.pid);
  return stat && stat->start_time == p.start_time && !stat->ended();
}

// `pid` and all its live descendants, as /proc shows them now.
inline std::set<ProcessId> live_process_tree(int pid) {
  std::set<ProcessId> tree;
  for (const auto& p : process_tree(pid))
    if (!p.ended()) tree.insert({p.pid, p.start_time});
  return tree;
}

// The service's command: the child its supervisor (the recorded pid) started.
inline std::optional<int> command_of(int supervisor) {
  for (const auto& p : all_processes())
    if (p.ppid == supervisor) return p.pid;
  return std::nullopt;
}

// Waits up to `limit` for `done`; true when it became true.
template <typename F>
bool eventually(F done, std::chrono::milliseconds limit = std::chrono::milliseconds(5'000)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// The real spawner, remembering every process it started (to check afterwards that none is
// left) and what it saw at each start.
class RecordingSpawner final : public Spawner {
 public:
  std::vector<ProcessId> started;
  std::vector<std::vector<std::string>> tentative_at_start;

  Result<StartedProcess> start(const ProcessSpec& spec, const SupervisedStart& how,
                               int log_fd) override {
    auto tentative = real_.tentative_addresses(spec.netns_dir, spec.ns);
    tentative_at_start.push_back(tentative ? *tentative : std::vector<std::string>{"?"});
    auto process = real_.start(spec, how, log_fd);
    if (process) started.push_back({process->pid, process->start_time});
    return process;
  }
  ProcessStatus status(int pid, uint64_t start_time) override { return real_.status(pid, start_time); }
  bool group_alive(int pgid, uint64_t start_time) override { return real_.group_alive(pgid, start_time); }
  Result<void> signal_group(int pgid, int signal) override { return real_.signal_group(pgid, signal); }
  Result<void> signal_process(int pid, int signal) override { return real_.signal_process(pid, signal); }
  void kill_tree(int pid) override { real_.kill_tree(pid); }
  std::optional<StartedProcess> find_supervisor(const std::string& token) override {
    return real_.find_supervisor(token);
  }
  std::vector<ProcStat> scan_processes() override { return real_.scan_processes(); }
  std::string command_line(int pid) override { return real_.command_line(pid); }
  void release(int pid) override { real_.release(pid); }
  std::optional<uint64_t> netns_inode_of(int pid) override { return real_.netns_inode_of(pid); }
  std::optional<uint64_t> namespace_inode(const std::string& netns_dir,
                                          const std::string& ns) override {
    return real_.namespace_inode(netns_dir, ns);
  }
  bool probe_once(const ProcessSpec& service, const model::ReadyProbe& probe, int owner,
                  std::chrono::milliseconds attempt_timeout) override {
    return real_.probe_once(service, probe, owner, attempt_timeout);
  }
  std::string explain_unready(const ProcessSpec& service, const model::ReadyProbe& probe,
                              int owner) override {
    return real_.explain_unready(service, probe, owner);
  }
  Result<std::vector<std::string>> tentative_addresses(const std::string& netns_dir,
                                                       const std::string& ns) override {
    return real_.tentative_addresses(netns_dir, ns);
  }
  std::chrono::steady_clock::time_point now() override { return real_.now(); }
  void sleep_for(std::chrono::milliseconds duration) override { real_.sleep_for(duration); }

 private:
  ProcessSpawner real_;
};

}  // namespace nstopo::services::testing
