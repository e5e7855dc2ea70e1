// A run of starts side by side (services/service_starts.cpp): the pool overlaps them, never
// more than its bound at once, keeps the record right while they run, and after a failure or
// a signal begins no more.
#include <doctest/doctest.h>

#include <mutex>
#include <thread>

#include "fake_spawner.h"
#include "model/interruption.h"
#include "services/service_manager.h"
#include "temp_dir.h"

namespace nstopo::services {
namespace {

using std::chrono::milliseconds;
using testing::FakeSpawner;
using testing::TempDir;

// The fake spawner behind a mutex, on the real clock (the pool's threads really wait), with
// a readiness probe a test decides per service: `ready(label, pid)` is asked at each attempt.
class SharedSpawner final : public Spawner {
 public:
  FakeSpawner fake;
  std::function<bool(const std::string& label, int pid)> ready = [](const std::string&, int) {
    return true;
  };
  std::function<void(const ProcessSpec&, const SupervisedStart&)> before_start;
  int starting = 0;       // started, not ready yet
  int most_starting = 0;  // the most ever started and not ready at once
  std::vector<std::string> started_labels;

  Result<StartedProcess> start(const ProcessSpec& spec, const SupervisedStart& how,
                               int log_fd) override {
    std::lock_guard lock(mutex_);
    if (before_start) before_start(spec, how);
    auto started = fake.start(spec, how, log_fd);
    if (started) {
      most_starting = std::max(most_starting, ++starting);
      started_labels.push_back(spec.label);
    }
    return started;
  }
  bool probe_once(const ProcessSpec& spec, const model::ReadyProbe&, int owner,
                  milliseconds) override {
    std::lock_guard lock(mutex_);
    if (!ready(spec.label, owner)) return false;
    --starting;
    return true;
  }
  ProcessStatus status(int pid, uint64_t start_time) override {
    std::lock_guard lock(mutex_);
    return fake.status(pid, start_time);
  }
  bool group_alive(int pgid, uint64_t start_time) override {
    std::lock_guard lock(mutex_);
    return fake.group_alive(pgid, start_time);
  }
  Result<void> signal_group(int pgid, int signal) override {
    std::lock_guard lock(mutex_);
    return fake.signal_group(pgid, signal);
  }
  Result<void> signal_process(int pid, int signal) override {
    std::lock_guard lock(mutex_);
    return fake.signal_process(pid, signal);
  }
  void kill_tree(int pid) override {
    std::lock_guard lock(mutex_);
    fake.kill_tree(pid);
  }
  std::optional<StartedProcess> find_supervisor(const std::string& token) override {
    std::lock_guard lock(mutex_);
    return fake.find_supervisor(token);
  }
  std::optional<uint64_t> netns_inode_of(int pid) override {
    std::lock_guard lock(mutex_);
    return fake.netns_inode_of(pid);
  }
  std::optional<uint64_t> namespace_inode(const std::string& dir, const std::string& ns) override {
    std::lock_guard lock(mutex_);
    return fake.namespace_inode(dir, ns);
  }
  std::vector<ProcStat> scan_processes() override {
    std::lock_guard lock(mutex_);
    return fake.scan_processes();
  }
  std::string command_line(int pid) override {
    std::lock_guard lock(mutex_);
    return fake.command_line(pid);
  }
  void release(int pid) override {
    std::lock_guard lock(mutex_);
    fake.release(pid);
  }
  std::string explain_unready(const ProcessSpec&, const model::ReadyProbe&, int) override {
    return {};
  }
  Result<std::vector<std::string>> tentative_addresses(const std::string&,
                                                       const std::string&) override {
    return std::vector<std::string>{};
  }
  std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::now(); }
  void sleep_for(milliseconds duration) override { std::this_thread::sleep_for(duration); }

  // Ends a started process as if it had exited with `code`.
  void exit_process(int pid, int code) {
    auto& p = fake.processes.at(pid);
    p.state = ProcessStatus::State::exited;
    p.group_alive = false;
    p.wait_status = code << 8;
  }

 private:
  std::mutex mutex_;
};

model::Service service_named(std::string name) {
  model::Service s;
  s.name = std::move(name);
  s.command = {"sleep", "infinity"};
  s.ready.kind = model::ReadyProbe::Kind::tcp;
  s.ready.port = 4000;
  s.ready.timeout = milliseconds(3'000);
  s.stop_grace = milliseconds(200);
  return s;
}

// One service in each of namespaces ns_0 .. ns_{n-1}.
std::vector<model::Action> starts(size_t n, const std::string& name = "svc") {
  std::vector<model::Action> actions;
  for (size_t i = 0; i < n; ++i)
    actions.push_back({model::StartService{fmt::format("ns_{}", i), service_named(name)},
                       model::Reason::missing()});
  return actions;
}

struct Fixture {
  explicit Fixture(unsigned parallel_starts)
      : manager(ServiceOptions{.netns_dir = "/run/netns",
                               .lab = "lab1",
                               .on_ready =
                                   [this](const std::string& ns, const std::string&, int,
                                          milliseconds) { ready.push_back(ns); },
                               .parallel_starts = parallel_starts},
                store, state, spawner) {}
  TempDir dir;
  state::StateStore store{dir.path()};
  state::LabState state{.lab = "lab1"};
  SharedSpawner spawner;
  std::vector<std::string> ready;  // on_ready, one call at a time
  ServiceManager manager;

  std::vector<model::ActionOutcome> run(const std::vector<model::Action>& actions) {
    manager.start_independent(actions);
    std::vector<model::ActionOutcome> outcomes;
    for (size_t k = 0; k < actions.size(); ++k) outcomes.push_back(manager.collect_started(k));
    return outcomes;
  }
  state::LabState saved() const { return store.load("lab1").value(); }
};

TEST_CASE("a run of starts overlaps, never more than parallel_starts at once") {
  Fixture f(4);
  // No service is ready until four are starting at once: one at a time, the first would wait
  // for the others until its timeout, and fail.
  bool four_at_once = false;
  f.spawner.ready = [&](const std::string&, int) {
    four_at_once = four_at_once || f.spawner.starting >= 4;
    return four_at_once;
  };
  // Every start's intent is saved, with its token, before its supervisor is started, even
  // with others changing the record at the same time.
  std::vector<std::string> unrecorded_intents;
  f.spawner.before_start = [&](const ProcessSpec& spec, const SupervisedStart& how) {
    auto saved = f.store.load("lab1");
    if (!saved || !saved->services.contains(spec.label) ||
        saved->services.at(spec.label).token != how.token || saved->services.at(spec.label).pid != 0)
      unrecorded_intents.push_back(spec.label);
  };
  auto actions = starts(12);
  auto begin = std::chrono::steady_clock::now();
  auto outcomes = f.run(actions);

  for (size_t k = 0; k < outcomes.size(); ++k) {
    INFO("start ", k);
    CHECK(outcomes[k].result);
  }
  CHECK(f.spawner.most_starting == 4);
  CHECK(unrecorded_intents.empty());
  CHECK(f.spawner.started_labels.size() == 12);
  CHECK(f.ready.size() == 12);
  auto saved = f.saved();
  REQUIRE(saved.services.size() == 12);
  for (const auto& [key, record] : saved.services) {
    INFO(key);
    CHECK(record.pid != 0);
    CHECK(f.state.services.at(key).pid == record.pid);
  }
  CHECK(std::chrono::steady_clock::now() - begin < milliseconds(3'000));
}

TEST_CASE("parallel_starts 1 starts one after the other") {
  Fixture f(1);
  auto outcomes = f.run(starts(5));
  for (const auto& outcome : outcomes) CHECK(outcome.result);
  CHECK(f.spawner.most_starting == 1);
  CHECK(f.saved().services.size() == 5);
}

TEST_CASE("a failed start among many: only it is stopped and un-recorded, with its status and log") {
  for (unsigned parallel : {1U, 4U}) {
    CAPTURE(parallel);
    Fixture f(parallel);
    auto actions = starts(12);
    std::get<model::StartService>(actions[5].op).service.name = "bad";
    // ns_5/bad exits with status 3 at its first probe; the others are ready at once.
    f.spawner.ready = [&](const std::string& label, int pid) {
      if (label != "ns_5/bad") return true;
      f.spawner.exit_process(pid, 3);
      return false;
    };
    auto outcomes = f.run(actions);

    REQUIRE_FALSE(outcomes[5].result);
    const Error& error = outcomes[5].result.error();
    CHECK(error.kind == ErrorKind::service);
    CHECK(error.message.find("ns_5/bad") != std::string::npos);
    CHECK(error.message.find("3") != std::string::npos);  // its exit status
    REQUIRE_FALSE(error.notes.empty());
    CHECK(error.notes.back().find("log") != std::string::npos);  // its log tail, or that it is empty
    for (size_t k = 0; k < 5; ++k) CHECK(outcomes[k].result);  // begun before it failed

    // Those begun went on and are recorded (run_plan undoes them); those not begun were
    // never started, and say why.
    auto saved = f.saved();
    CHECK_FALSE(saved.services.contains("ns_5/bad"));
    size_t not_begun = 0;
    for (size_t k = 6; k < outcomes.size(); ++k) {
      std::string key = fmt::format("ns_{}/svc", k);
      if (outcomes[k].result) {
        CHECK(saved.services.contains(key));
        continue;
      }
      ++not_begun;
      CHECK(outcomes[k].result.error().message.find("not started") != std::string::npos);
      CHECK_FALSE(saved.services.contains(key));
      CHECK(std::ranges::find(f.spawner.started_labels, key) == f.spawner.started_labels.end());
    }
    if (parallel == 1) CHECK(not_begun == 6);
    CHECK(not_begun + saved.services.size() == 11);
  }
}

TEST_CASE("a signal before the run begins no start of it") {
  Fixture f(4);
  model::note_interruption(SIGINT);
  auto outcomes = f.run(starts(6));
  model::clear_interruption();
  for (const auto& outcome : outcomes) {
    REQUIRE_FALSE(outcome.result);
    CHECK(outcome.result.error().kind == ErrorKind::interrupted);
  }
  CHECK(f.spawner.started_labels.empty());
  CHECK(f.saved().services.empty());
}

}  // namespace
}  // namespace nstopo::services
