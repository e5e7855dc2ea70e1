// The whole pipeline (apply::reconcile) with fakes: the fake kernel observes and executes in
// memory, a fake lab store holds the records and the lock, and a recording reporter keeps
// every event. Each case checks the events and the fake's final state.
#include <doctest/doctest.h>
#include <signal.h>

#include <map>
#include <set>

#include "apply/reconcile.h"
#include "apply/status.h"
#include "model/interruption.h"
#include "parse/load.h"
#include "plan/planner.h"
#include "support/fake_kernel.h"
#include "support/test_labs.h"

using namespace nstopo;

namespace {

constexpr const char* kSeed = R"(version: 1
name: seed
host:
  interfaces:
    veth_rifky:
      addresses: [10.0.0.10/24]
namespaces:
  ns_rifky:
    interfaces:
      veth_ns_rifky:
        addresses: [10.0.0.11/24]
    routes:
      - {to: default, via: 10.0.0.10}
    services:
      web:
        command: [python3, -m, http.server, "4000"]
  ns_other: {}
links:
  - endpoints: [host:veth_rifky, ns_rifky:veth_ns_rifky]
)";

model::Topology seed() { return testing::topology_from(kSeed); }
using testing::empty_host;

// One lab's records and lock, as the state store keeps them.
struct FakeRecords {
  bool exists = false;  // the lab's directory
  bool locked = false;  // by this process
  std::set<std::string> namespaces;
  std::optional<std::string> topology_file;
  int forgets = 0;
};

// The real executor records the namespaces it is about to create before the first change
// (Executor::prepare); this one does the same into the fake records, then runs the fake
// kernel. `lose` names an action it says it did but did not (for verify to catch).
class RecordingExecutor final : public model::Executor {
 public:
  RecordingExecutor(testing::FakeKernel& kernel, FakeRecords& records, std::string lose)
      : kernel_(kernel), records_(records), lose_(std::move(lose)) {}
  Result<void> prepare(const model::Plan& plan) override {
    records_.exists = true;
    for (const auto& action : plan.actions)
      if (const auto* create = std::get_if<model::CreateNamespace>(&action.op))
        records_.namespaces.insert(create->ns);
    return {};
  }
  Result<void> execute(const model::Action& action) override {
    if (!lose_.empty() && action.describe() == lose_) return {};
    auto result = kernel_.execute(action);
    if (result)
      if (const auto* deleted = std::get_if<model::DeleteNamespace>(&action.op))
        records_.namespaces.erase(deleted->ns);
    return result;
  }

 private:
  testing::FakeKernel& kernel_;
  FakeRecords& records_;
  std::string lose_;
};

// The fake kernel's observer; with `signal`, a SIGINT/SIGTERM "arrives" while it observes.
class SignallingObserver final : public model::Observer {
 public:
  SignallingObserver(testing::FakeKernel& kernel, int signal) : kernel_(kernel), signal_(signal) {}
  Result<model::ObservedState> observe(const model::ObserveRequest& request) override {
    if (signal_ != 0) model::note_interruption(signal_);
    return kernel_.observe(request);
  }

 private:
  testing::FakeKernel& kernel_;
  int signal_;
};

class FakeLab final : public apply::Lab {
 public:
  FakeLab(testing::FakeKernel& kernel, FakeRecords& records, const std::string& lose, bool lock,
          std::vector<std::string>& probes, int signal)
      : observer_(kernel, signal), records_(records), executor_(kernel, records, lose), lock_(lock),
        probes_(probes) {
    if (lock_) records_.locked = true;
  }
  ~FakeLab() override {
    if (lock_) records_.locked = false;
  }
  apply::ServiceLive probe_service(const model::Namespace& ns, const model::Service& service,
                                   const model::ObservedService& observed) override {
    probes_.push_back(fmt::format("{}/{} pid {}", ns.name, service.name, observed.pid));
    return {.uptime = std::chrono::seconds(5), .ready = true};
  }
  model::Observer& observer() override { return observer_; }
  model::Executor& executor() override { return executor_; }
  const std::set<std::string>& recorded_namespaces() const override { return records_.namespaces; }
  void record_plan(const plan::PlanResult& result,
                   const std::optional<std::string>& topology_file) override {
    records_.namespaces.insert(result.adopted_namespaces.begin(), result.adopted_namespaces.end());
    for (auto& ns : result.forgotten_namespaces) records_.namespaces.erase(ns);
    if (topology_file) records_.topology_file = topology_file;
  }
  Result<void> forget() override {
    ++records_.forgets;
    records_ = FakeRecords{.locked = records_.locked, .forgets = records_.forgets};
    return {};
  }

 private:
  SignallingObserver observer_;
  FakeRecords& records_;
  RecordingExecutor executor_;
  bool lock_;
  std::vector<std::string>& probes_;
};

class FakeLabStore final : public apply::LabStore {
 public:
  explicit FakeLabStore(testing::FakeKernel& kernel) : kernel_(kernel) {}
  Result<std::unique_ptr<apply::Lab>> open(const std::string& lab, bool no_wait) override {
    opened.push_back(lab);
    if (held_by_another && no_wait)
      return fail(ErrorKind::busy, "lab " + lab + " is locked by another nstopo", lab);
    return std::make_unique<FakeLab>(kernel_, records[lab], lose, /*lock=*/true, probes, signal_on_observe);
  }
  Result<std::unique_ptr<apply::Lab>> open_unlocked(const std::string& lab) override {
    opened.push_back(lab + " (unlocked)");
    return std::make_unique<FakeLab>(kernel_, records[lab], lose, /*lock=*/false, probes, signal_on_observe);
  }

  std::map<std::string, FakeRecords> records;
  std::vector<std::string> opened;
  std::vector<std::string> probes;  // probe_service calls
  bool held_by_another = false;
  std::string lose;
  int signal_on_observe = 0;

 private:
  testing::FakeKernel& kernel_;
};

struct RecordingReporter final : apply::Reporter {
  std::vector<std::string> events;
  std::optional<apply::RunSummary> summary;
  void begin(const apply::RunInfo& run) override {
    events.push_back(fmt::format("begin {} {} {}", apply::verb(run.mode), run.lab, run.file));
  }
  void plan_ready(const model::Plan& plan) override {
    events.push_back(fmt::format("plan {}", plan.actions.size()));
  }
  void conflicts(const std::vector<plan::Conflict>& conflicts) override {
    for (auto& c : conflicts) events.push_back("conflict " + c.object);
  }
  void planned(const model::Plan& plan) override {
    events.push_back(fmt::format("planned {}", plan.actions.size()));
  }
  void unchanged(std::chrono::nanoseconds) override { events.push_back("unchanged"); }
  void executing(const model::Plan& plan) override {
    events.push_back(fmt::format("executing {}", plan.actions.size()));
  }
  void action_done(const model::Action& a, std::chrono::nanoseconds) override {
    events.push_back("done " + a.describe());
  }
  void action_failed(const model::Action& a, const Error&) override {
    events.push_back("failed " + a.describe());
  }
  void undo_done(const model::Action& a, const Result<void>& r) override {
    events.push_back(std::string(r ? "undone " : "undo failed ") + a.describe());
  }
  void verified(int checks) override { events.push_back(fmt::format("verified {}", checks)); }
  void applied(const apply::RunSummary& s) override {
    summary = s;
    events.push_back(fmt::format("applied {}/{}/{}", s.created, s.changed, s.deleted));
  }
  void failed(const Error& error) override {
    events.push_back(fmt::format("error {}: {}", to_string(error.kind), error.message));
  }

  void status_begin() override { events.push_back("status"); }
  void status_object(const apply::StatusObject& o) override {
    events.push_back(fmt::format("object {} {} {}{}", o.entry.kind, o.entry.object,
                                 plan::to_string(o.entry.state),
                                 o.live ? fmt::format(" running ready={}", o.live->ready) : ""));
  }
  void status_summary(const plan::StatusTotals& t) override {
    events.push_back(fmt::format("summary {}/{}/{}/{}", t.present, t.missing, t.drifted, t.conflict));
  }

  size_t count_prefix(std::string_view prefix) const {
    size_t n = 0;
    for (auto& e : events) n += e.starts_with(prefix);
    return n;
  }
};

apply::ReconcileRequest apply_seed() {
  return {.mode = apply::Mode::apply, .desired = seed(), .file = "seed.yaml"};
}

apply::ReconcileRequest destroy_seed() {
  return {.mode = apply::Mode::destroy, .desired = plan::empty_topology("seed")};
}

// Verify without real sleeps: it checks once, then gives up.
apply::VerifyOptions no_wait_verify() { return {.pauses = {}, .sleep = [](auto) {}}; }

size_t plan_size_from_empty() {
  testing::FakeKernel kernel(empty_host());
  auto desired = seed();
  return plan::plan(desired, *kernel.observe(plan::observe_request(desired, {}))).plan.actions.size();
}

Error refused() {
  return Error{ErrorKind::kernel, "failed to add address 10.0.0.11/24 to ns_rifky:veth_ns_rifky",
               "ns_rifky:veth_ns_rifky", 17 /*EEXIST*/, "Address already assigned"};
}

}  // namespace

TEST_CASE("reconcile: apply from empty creates everything, records it and verifies") {
  testing::FakeKernel kernel(empty_host());
  FakeLabStore labs(kernel);
  RecordingReporter reporter;
  auto outcome = apply::reconcile(apply_seed(), labs, reporter);
  REQUIRE(outcome.has_value());
  CHECK_FALSE(outcome->changes_pending);

  auto n = plan_size_from_empty();
  REQUIRE(n >= 6);
  REQUIRE(reporter.events.size() == 3 + n + 2);
  CHECK(reporter.events[0] == "begin apply seed seed.yaml");
  CHECK(reporter.events[1] == fmt::format("plan {}", n));
  CHECK(reporter.events[2] == fmt::format("executing {}", n));
  CHECK(reporter.count_prefix("done ") == n);
  CHECK(reporter.events[3] == "done namespace ns_other");
  CHECK(reporter.events[3 + n] == "verified 1");
  CHECK(reporter.events.back() == fmt::format("applied {}/0/0", n));
  REQUIRE(reporter.summary);
  CHECK(reporter.summary->verify_checks == 1);

  // The fake kernel holds the lab; its records name the namespaces and the file.
  CHECK(kernel.calls() == static_cast<int>(n));
  CHECK(kernel.state().namespaces.at("ns_rifky").exists);
  CHECK(kernel.state().namespaces.at("ns_other").exists);
  CHECK(kernel.state().host.links.size() == 2);
  auto& records = labs.records.at("seed");
  CHECK(records.namespaces == std::set<std::string>{"ns_other", "ns_rifky"});
  CHECK(records.topology_file == "seed.yaml");
  CHECK_FALSE(records.locked);  // the lock goes with the run
  CHECK(labs.opened == std::vector<std::string>{"seed"});
}

TEST_CASE("reconcile: a second apply converges: no changes, no kernel call") {
  testing::FakeKernel kernel(empty_host());
  FakeLabStore labs(kernel);
  RecordingReporter first;
  REQUIRE(apply::reconcile(apply_seed(), labs, first).has_value());
  int calls = kernel.calls();
  auto state = kernel.state();

  RecordingReporter second;
  auto outcome = apply::reconcile(apply_seed(), labs, second);
  REQUIRE(outcome.has_value());
  CHECK(second.events ==
        std::vector<std::string>{"begin apply seed seed.yaml", "plan 0", "unchanged"});
  CHECK(kernel.calls() == calls);
  CHECK(kernel.state().namespaces.size() == state.namespaces.size());
  CHECK(labs.records.at("seed").forgets == 0);  // apply keeps the records
}

TEST_CASE("reconcile: plan and --dry-run report the plan and change nothing") {
  testing::FakeKernel kernel(empty_host());
  FakeLabStore labs(kernel);
  auto n = plan_size_from_empty();
  for (auto mode : {apply::Mode::plan, apply::Mode::apply}) {
    CAPTURE(apply::verb(mode));
    RecordingReporter reporter;
    auto request = apply_seed();
    request.mode = mode;
    request.dry_run = mode == apply::Mode::apply;
    auto outcome = apply::reconcile(request, labs, reporter);
    REQUIRE(outcome.has_value());
    CHECK(outcome->changes_pending);
    CHECK(reporter.events == std::vector<std::string>{
                                 fmt::format("begin {} seed seed.yaml", apply::verb(mode)),
                                 fmt::format("plan {}", n), fmt::format("planned {}", n)});
  }
  CHECK(kernel.calls() == 0);
  CHECK(kernel.state().namespaces.empty());
  CHECK_FALSE(labs.records.at("seed").topology_file);
}

TEST_CASE("reconcile: a conflict stops before any change") {
  auto host = empty_host();
  host.host.links.push_back({.name = "veth_rifky", .ifindex = 7, .up = true});  // not the lab's
  testing::FakeKernel kernel(host);
  FakeLabStore labs(kernel);
  RecordingReporter reporter;
  auto outcome = apply::reconcile(apply_seed(), labs, reporter);
  REQUIRE_FALSE(outcome.has_value());
  CHECK(outcome.error().kind == ErrorKind::conflict);
  CHECK(outcome.error().message.find("nothing was changed") != std::string::npos);
  REQUIRE(reporter.events.size() == 3);
  CHECK(reporter.events[0] == "begin apply seed seed.yaml");
  CHECK(reporter.events[1].starts_with("conflict "));
  CHECK(reporter.events[1].find("veth_rifky") != std::string::npos);
  CHECK(reporter.events[2].starts_with("error conflict: lab seed: 1 declared object exists"));
  CHECK(kernel.calls() == 0);
  CHECK(kernel.state().namespaces.empty());
  CHECK(kernel.state().host.links.size() == 2);
  CHECK_FALSE(labs.records.at("seed").topology_file);
}

TEST_CASE("reconcile: a failed action undoes the run's changes, newest first, and stops") {
  auto n = plan_size_from_empty();
  const int fail_step = 5;
  REQUIRE(n > static_cast<size_t>(fail_step));
  testing::FakeKernel kernel(empty_host());
  kernel.fail_at(fail_step, refused());
  FakeLabStore labs(kernel);
  RecordingReporter reporter;
  auto outcome = apply::reconcile(apply_seed(), labs, reporter);
  REQUIRE_FALSE(outcome.has_value());
  CHECK(outcome.error().kind == ErrorKind::kernel);
  CHECK(outcome.error().describe().find("undid 4 earlier changes") != std::string::npos);

  CHECK(reporter.count_prefix("done ") == fail_step - 1);
  CHECK(reporter.count_prefix("failed ") == 1);
  CHECK(reporter.count_prefix("undone ") == fail_step - 1);
  CHECK(reporter.count_prefix("verified") == 0);
  CHECK(reporter.count_prefix("applied") == 0);
  // The undo follows the failure, newest first: the first undone is the last done.
  auto failed_at = std::find_if(reporter.events.begin(), reporter.events.end(),
                                [](auto& e) { return e.starts_with("failed "); });
  REQUIRE(failed_at != reporter.events.end());
  auto last_done = *(failed_at - 1);
  REQUIRE(last_done.starts_with("done "));
  CHECK((failed_at + 1)->starts_with("undone "));
  CHECK(reporter.events.back().starts_with("error kernel: failed to add address"));

  // Back where it started.
  CHECK(kernel.calls() == fail_step + (fail_step - 1));
  CHECK(kernel.state().namespaces.empty());
  CHECK(kernel.state().host.links.size() == 1);
  CHECK_FALSE(labs.records.at("seed").locked);
}

TEST_CASE("reconcile: a change that did not land fails verification") {
  testing::FakeKernel kernel(empty_host());
  FakeLabStore labs(kernel);
  labs.lose = "namespace ns_other";  // reported done, never made
  RecordingReporter reporter;
  auto request = apply_seed();
  request.verify = no_wait_verify();
  auto outcome = apply::reconcile(request, labs, reporter);
  REQUIRE_FALSE(outcome.has_value());
  CHECK(outcome.error().kind == ErrorKind::verify_failed);
  CHECK(reporter.count_prefix("verified") == 0);
  CHECK(reporter.count_prefix("applied") == 0);
  CHECK(reporter.events.back().starts_with("error verify"));
  CHECK_FALSE(kernel.state().namespaces.contains("ns_other"));
}

TEST_CASE("reconcile: a signal while observing stops before the plan: nothing is changed") {
  testing::FakeKernel kernel(empty_host());
  FakeLabStore labs(kernel);
  labs.signal_on_observe = SIGTERM;
  RecordingReporter reporter;
  auto outcome = apply::reconcile(apply_seed(), labs, reporter);
  model::clear_interruption();
  REQUIRE_FALSE(outcome.has_value());
  CHECK(outcome.error().kind == ErrorKind::interrupted);
  CHECK(reporter.events ==
        std::vector<std::string>{"begin apply seed seed.yaml",
                                 "error interrupted: interrupted by SIGTERM before any change: "
                                 "nothing was changed"});
  CHECK(kernel.calls() == 0);
  CHECK(kernel.state().namespaces.empty());
}

TEST_CASE("reconcile: a lab locked by another nstopo, with --no-wait, is not even observed") {
  testing::FakeKernel kernel(empty_host());
  FakeLabStore labs(kernel);
  labs.held_by_another = true;
  RecordingReporter reporter;
  auto request = apply_seed();
  request.no_wait = true;
  auto outcome = apply::reconcile(request, labs, reporter);
  REQUIRE_FALSE(outcome.has_value());
  CHECK(outcome.error().kind == ErrorKind::busy);
  CHECK(reporter.events == std::vector<std::string>{
                               "begin apply seed seed.yaml",
                               "error busy: lab seed is locked by another nstopo"});
  CHECK(kernel.calls() == 0);
  CHECK_FALSE(labs.records.contains("seed"));
}

TEST_CASE("reconcile: destroy by name deletes what the lab owns and forgets its records") {
  testing::FakeKernel kernel(empty_host());
  FakeLabStore labs(kernel);
  RecordingReporter applied;
  REQUIRE(apply::reconcile(apply_seed(), labs, applied).has_value());
  REQUIRE(kernel.state().namespaces.size() == 2);

  RecordingReporter reporter;
  auto outcome = apply::reconcile(destroy_seed(), labs, reporter);
  REQUIRE(outcome.has_value());
  REQUIRE(reporter.events.size() >= 5);
  CHECK(reporter.events[0] == "begin destroy seed ");
  CHECK(reporter.events[2].starts_with("executing "));
  CHECK(reporter.count_prefix("done ") >= 2);
  CHECK(reporter.events[reporter.events.size() - 2] == "verified 1");
  CHECK(reporter.events.back().starts_with("applied 0/"));
  REQUIRE(reporter.summary);
  CHECK(reporter.summary->deleted >= 2);

  // Nothing of the lab is left, nor its records.
  for (auto& [name, ns] : kernel.state().namespaces) CHECK_FALSE(ns.exists);
  CHECK(kernel.state().owned_namespaces.empty());
  CHECK(kernel.state().host.links.size() == 1);
  CHECK(labs.records.at("seed").forgets == 1);
  CHECK_FALSE(labs.records.at("seed").exists);
  CHECK(labs.records.at("seed").namespaces.empty());

  // Again: nothing to destroy, and the records are forgotten again (the lock's directory).
  RecordingReporter again;
  REQUIRE(apply::reconcile(destroy_seed(), labs, again).has_value());
  CHECK(again.events == std::vector<std::string>{"begin destroy seed ", "plan 0", "unchanged"});
  CHECK(labs.records.at("seed").forgets == 2);
}

TEST_CASE("reconcile: destroy --name of a lab nobody recorded is a typo: the known labs") {
  testing::FakeKernel kernel(empty_host());
  FakeLabStore labs(kernel);
  RecordingReporter reporter;
  auto request = destroy_seed();
  request.desired = plan::empty_topology("sede");
  request.unrecorded_lab_known_labs = std::vector<std::string>{"seed", "web"};
  auto outcome = apply::reconcile(request, labs, reporter);
  REQUIRE_FALSE(outcome.has_value());
  CHECK(outcome.error().kind == ErrorKind::invalid_input);
  CHECK(reporter.events.back() == "error invalid input: no such lab sede; known labs: seed, web");
  CHECK(labs.records.at("sede").forgets == 1);
  CHECK(kernel.calls() == 0);
}

TEST_CASE("status: every declared object's live state; a running service is probed, unlocked") {
  testing::FakeKernel kernel(empty_host());
  FakeLabStore labs(kernel);
  auto request = apply::StatusRequest{.desired = seed(), .file = "seed.yaml"};

  // Before the apply: everything is missing and nothing is probed.
  RecordingReporter before;
  auto missing = apply::status(request, labs, before);
  REQUIRE(missing.has_value());
  CHECK(missing->present == 0);
  CHECK(missing->missing > 0);
  CHECK(before.events.front() == "begin status seed seed.yaml");
  CHECK(before.events[1] == "status");
  CHECK(before.events.back() == fmt::format("summary 0/{}/0/0", missing->missing));
  CHECK(before.count_prefix("object ") == static_cast<size_t>(missing->missing));
  CHECK(before.count_prefix("object service ns_rifky/web missing") == 1);
  CHECK(labs.probes.empty());

  RecordingReporter applied;
  REQUIRE(apply::reconcile(apply_seed(), labs, applied).has_value());
  int calls = kernel.calls();

  RecordingReporter after;
  auto present = apply::status(request, labs, after);
  REQUIRE(present.has_value());
  CHECK(present->present == missing->missing);
  CHECK(present->missing + present->drifted + present->conflict == 0);
  CHECK(after.count_prefix("object service ns_rifky/web present running ready=true") == 1);
  CHECK(after.events.back() == fmt::format("summary {}/0/0/0", present->present));
  REQUIRE(labs.probes.size() == 1);
  CHECK(labs.probes[0].starts_with("ns_rifky/web pid "));
  CHECK(kernel.calls() == calls);  // read-only
  CHECK(labs.opened.back() == "seed (unlocked)");
}

TEST_CASE("status: a lab that cannot be opened is reported as the error") {
  testing::FakeKernel kernel(empty_host());
  struct Refusing final : apply::LabStore {
    Result<std::unique_ptr<apply::Lab>> open(const std::string&, bool) override {
      return fail(ErrorKind::internal, "unused");
    }
    Result<std::unique_ptr<apply::Lab>> open_unlocked(const std::string& lab) override {
      return fail(ErrorKind::permission, "nstopo needs root", lab);
    }
  } labs;
  RecordingReporter reporter;
  auto totals = apply::status({.desired = seed(), .file = "seed.yaml"}, labs, reporter);
  REQUIRE_FALSE(totals.has_value());
  CHECK(totals.error().kind == ErrorKind::permission);
  CHECK(reporter.events == std::vector<std::string>{"begin status seed seed.yaml",
                                                    "error permission: nstopo needs root"});
}

// Preflight (plan/preflight.h) in the pipeline: warnings stop apply unless --force, errors
// stop plan and apply; either way before the first change.
namespace {

struct FindingsReporter final : apply::Reporter {
  std::vector<plan::Finding> seen;
  std::vector<std::string> events;
  void findings(const std::vector<plan::Finding>& findings) override {
    seen = findings;
    events.push_back("findings");
  }
  void planned(const model::Plan&) override { events.push_back("planned"); }
  void applied(const apply::RunSummary&) override { events.push_back("applied"); }
  void failed(const Error& error) override {
    events.push_back(fmt::format("error {}: {}", to_string(error.kind), error.message));
  }
};

// The host holds 10.0.0.11, which seed declares on ns_rifky:veth_ns_rifky, on eth9.
model::ObservedState host_with_foreign_address() {
  auto s = empty_host();
  s.host.links.push_back({.name = "eth9", .ifindex = 9, .kind = "veth", .up = true});
  s.host.addresses.push_back({.dev = "eth9", .prefix = *model::Prefix::parse("10.0.0.11/24")});
  return s;
}

}  // namespace

TEST_CASE("reconcile: an address a foreign host interface holds: plan warns, apply refuses, --force applies") {
  {
    testing::FakeKernel kernel(host_with_foreign_address());
    FakeLabStore labs(kernel);
    FindingsReporter reporter;
    auto request = apply_seed();
    request.mode = apply::Mode::plan;
    REQUIRE(apply::reconcile(request, labs, reporter).has_value());
    CHECK(reporter.events == std::vector<std::string>{"findings", "planned"});
    REQUIRE(reporter.seen.size() == 1);
    CHECK(reporter.seen[0].severity == plan::Finding::Severity::warning);
    CHECK(reporter.seen[0].message.find("eth9") != std::string::npos);
  }
  {
    testing::FakeKernel kernel(host_with_foreign_address());
    FakeLabStore labs(kernel);
    FindingsReporter reporter;
    auto outcome = apply::reconcile(apply_seed(), labs, reporter);
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().kind == ErrorKind::conflict);
    CHECK(reporter.events ==
          std::vector<std::string>{"findings", "error conflict: lab seed: 1 warning above; nothing "
                                               "was changed (apply --force applies anyway)"});
    CHECK(kernel.calls() == 0);
    CHECK_FALSE(labs.records["seed"].exists);  // not even prepared
  }
  {
    testing::FakeKernel kernel(host_with_foreign_address());
    FakeLabStore labs(kernel);
    FindingsReporter reporter;
    auto request = apply_seed();
    request.verify = no_wait_verify();
    request.force = true;
    REQUIRE(apply::reconcile(request, labs, reporter).has_value());
    CHECK(reporter.events == std::vector<std::string>{"findings", "applied"});
    CHECK(kernel.calls() > 0);
  }
}

TEST_CASE("reconcile: a service command not found stops plan and apply before any change, even with --force") {
  for (auto mode : {apply::Mode::plan, apply::Mode::apply}) {
    auto start = empty_host();
    start.commands[{"python3", std::nullopt}] = {model::CommandFound::State::missing, "", "/usr/bin"};
    testing::FakeKernel kernel(start);
    FakeLabStore labs(kernel);
    FindingsReporter reporter;
    auto request = apply_seed();
    request.mode = mode;
    request.force = true;
    auto outcome = apply::reconcile(request, labs, reporter);
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().kind == ErrorKind::invalid_input);
    REQUIRE(reporter.seen.size() == 1);
    CHECK(reporter.seen[0].message.find("service ns_rifky/web: command 'python3'") != std::string::npos);
    CHECK(reporter.events.back() ==
          "error invalid input: lab seed: 1 problem found before any change; nothing was changed");
    CHECK(kernel.calls() == 0);
  }
}
