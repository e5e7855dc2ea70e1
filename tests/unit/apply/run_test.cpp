// The apply engine with the fake kernel: order of execution, stop at the first failure,
// undo in reverse, verification with bounded retry.
#include <doctest/doctest.h>

#include "apply/routing_executor.h"
#include "apply/run.h"
#include "apply/verify.h"
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
        addresses: [10.0.0.11/24, 10.0.1.11/24]
    routes:
      - {to: default, via: 10.0.0.10}
    services:
      web:
        command: [python3, -m, http.server, "4000"]
links:
  - endpoints: [host:veth_rifky, ns_rifky:veth_ns_rifky]
)";

model::Topology seed() { return testing::topology_from(kSeed); }
using testing::empty_host;

struct RecordingProgress final : apply::Progress {
  std::vector<std::string> events;
  void action_done(const model::Action& a, std::chrono::nanoseconds) override {
    events.push_back("done " + a.describe());
  }
  void action_failed(const model::Action& a, const Error&) override {
    events.push_back("failed " + a.describe());
  }
  void undo_done(const model::Action& a, const Result<void>& r) override {
    events.push_back(std::string(r ? "undone " : "undo failed ") + a.describe());
  }
};

// Records the groups run_plan starts; the base class carries each out whole, failures
// included, as the kernel's executor does (it makes a group of namespaces side by side).
class GroupRecordingExecutor final : public model::Executor {
 public:
  explicit GroupRecordingExecutor(testing::FakeKernel& kernel) : kernel_(kernel) {}
  Result<void> execute(const model::Action& action) override { return kernel_.execute(action); }
  void start_independent(std::span<const model::Action> actions) override {
    group_sizes.push_back(actions.size());
    Executor::start_independent(actions);
  }
  std::vector<size_t> group_sizes;

 private:
  testing::FakeKernel& kernel_;
};

constexpr const char* kThreeNamespaces = R"(version: 1
name: trio
namespaces:
  a: {}
  b: {}
  c: {}
)";

constexpr const char* kTwoSpokes = R"(version: 1
name: spokes
host:
  interfaces:
    ha: {}
    hb: {}
namespaces:
  a:
    interfaces:
      eth0: {addresses: [10.1.0.2/24]}
  b:
    interfaces:
      eth0: {addresses: [10.2.0.2/24]}
links:
  - endpoints: [host:ha, a:eth0]
  - endpoints: [host:hb, b:eth0]
)";

Error refused_address() {
  return Error{ErrorKind::kernel, "failed to add address 10.0.1.11/24 to ns_rifky:veth_ns_rifky",
               "ns_rifky:veth_ns_rifky", 17 /*EEXIST*/, "Address already assigned"};
}

}  // namespace

TEST_CASE("a plan runs in order and reaches the desired state") {
  auto desired = seed();
  testing::FakeKernel kernel(empty_host());
  auto planned = plan::plan(desired, *kernel.observe(plan::observe_request(desired, {})));
  RecordingProgress progress;
  auto ran = apply::run_plan(planned.plan, kernel, progress);
  REQUIRE(ran.has_value());
  CHECK(ran->durations.size() == planned.plan.actions.size());
  CHECK(kernel.calls() == static_cast<int>(planned.plan.actions.size()));
  CHECK(progress.events.front() == "done namespace ns_rifky");
  CHECK(progress.events.back() == "done service ns_rifky/web");
  auto verified = apply::verify(desired, kernel, plan::observe_request(desired, {"ns_rifky"}));
  REQUIRE(verified.has_value());
  CHECK(verified->checks == 1);
}

TEST_CASE("a failure at step N undoes steps 1..N-1 in reverse and leaves the state as before") {
  auto desired = seed();
  auto before = empty_host();
  auto planned = plan::plan(desired, *testing::FakeKernel(before).observe(plan::observe_request(desired, {})));
  const auto& actions = planned.plan.actions;
  REQUIRE(actions.size() >= 6);
  // Fail at every step in turn: each time the fake ends where it started.
  for (int fail_step = 1; fail_step <= static_cast<int>(actions.size()); ++fail_step) {
    CAPTURE(fail_step);
    testing::FakeKernel kernel(before);
    kernel.fail_at(fail_step, refused_address());
    RecordingProgress progress;
    auto ran = apply::run_plan(planned.plan, kernel, progress);
    REQUIRE_FALSE(ran.has_value());
    CHECK(ran.error().kind == ErrorKind::kernel);
    CHECK(ran.error().error_number == 17);
    CHECK(ran.error().kernel_message == "Address already assigned");
    // The undo of N-1 changes runs after the N executed calls.
    CHECK(kernel.calls() == fail_step + (fail_step - 1));
    CHECK(progress.events[static_cast<size_t>(fail_step - 1)] ==
          "failed " + actions[static_cast<size_t>(fail_step - 1)].describe());
    // After the failed call, the inverses of the executed actions, newest first.
    for (int i = 0; i < fail_step - 1; ++i) {
      auto undo = model::inverse(actions[static_cast<size_t>(fail_step - 2 - i)]);
      REQUIRE(undo.has_value());
      CHECK(kernel.log()[static_cast<size_t>(fail_step + i)] ==
            fmt::format("{} {}", static_cast<char>(undo->change()), undo->describe()));
    }
    if (fail_step == 1)
      CHECK(ran.error().describe().find("nothing was changed") != std::string::npos);
    else
      CHECK(ran.error().describe().find(fmt::format("undid {} earlier change", fail_step - 1)) !=
            std::string::npos);
    // Observed state is back to the start: planning again gives the original plan.
    CHECK(plan::plan(desired, *kernel.observe(plan::observe_request(desired, {}))).plan.actions.size() ==
          actions.size());
    CHECK(kernel.state().namespaces.empty());
    CHECK(kernel.state().services.empty());
    CHECK(kernel.state().host.links.size() == 1);
  }
}

// The plan that builds `yaml` from an empty host.
model::Plan plan_from_empty(const char* yaml) {
  auto loaded = parse::load_topology_text(yaml, "test.yaml");
  REQUIRE(loaded.ok());
  auto before = empty_host();
  before.lab = loaded.topology->name;
  auto observed = testing::FakeKernel(before).observe(plan::observe_request(*loaded.topology, {}));
  return plan::plan(*loaded.topology, *observed).plan;
}

// A plan run through a fake kernel whose `fail_at`-th call (0: none) fails to make namespace b.
struct RecordedRun {
  Result<apply::RunReport> result;
  std::vector<std::string> events;
  std::vector<size_t> group_sizes;
  model::ObservedState after;
};

RecordedRun run_recorded(const model::Plan& plan, const std::string& lab, int fail_at = 0) {
  auto before = empty_host();
  before.lab = lab;
  testing::FakeKernel kernel(before);
  if (fail_at > 0)
    kernel.fail_at(fail_at, Error{ErrorKind::kernel, "failed to create namespace b", "b",
                                  12 /*ENOMEM*/, "Cannot allocate memory"});
  GroupRecordingExecutor executor(kernel);
  RecordingProgress progress;
  auto result = apply::run_plan(plan, executor, progress);
  return {std::move(result), progress.events, executor.group_sizes, kernel.state()};
}

TEST_CASE("namespace creations go to the executor as one group, and a failure inside it undoes "
          "every one that succeeded, after it as well as before") {
  auto plan = plan_from_empty(kThreeNamespaces);
  REQUIRE(plan.actions.size() == 3);

  SUBCASE("all succeed") {
    auto run = run_recorded(plan, "trio");
    REQUIRE(run.result.has_value());
    CHECK(run.group_sizes == std::vector<size_t>{3});
    CHECK(run.events ==
          std::vector<std::string>{"done namespace a", "done namespace b", "done namespace c"});
    CHECK(run.after.namespaces.size() == 3);
  }
  SUBCASE("the middle one fails") {
    auto run = run_recorded(plan, "trio", 2);
    REQUIRE_FALSE(run.result.has_value());
    CHECK(run.result.error().message == "failed to create namespace b");
    CHECK(run.result.error().describe().find("undid 2 earlier changes") != std::string::npos);
    // a and c were made (c after the failure, in the same group): both are undone, newest first.
    CHECK(run.events == std::vector<std::string>{"done namespace a", "done namespace c",
                                                 "failed namespace b", "undone namespace c",
                                                 "undone namespace a"});
    CHECK(run.after.namespaces.empty());
  }
}

TEST_CASE("a namespace of a started group is collected right before the first action in it, "
          "so links are made in one while the next is being made") {
  auto plan = plan_from_empty(kTwoSpokes);
  REQUIRE(plan.actions.size() == 6);  // 2 namespaces, 2 veths, 2 addresses

  SUBCASE("in order of need") {
    auto run = run_recorded(plan, "spokes");
    REQUIRE(run.result.has_value());
    CHECK(run.group_sizes == std::vector<size_t>{2});
    CHECK(run.events == std::vector<std::string>{
                            "done namespace a", "done veth host:ha <-> a:eth0, up",
                            "done namespace b", "done veth host:hb <-> b:eth0, up",
                            "done address 10.1.0.2/24 on a:eth0",
                            "done address 10.2.0.2/24 on b:eth0"});
  }
  SUBCASE("a namespace that failed is found when it is needed, and everything is undone") {
    auto run = run_recorded(plan, "spokes", 2);
    REQUIRE_FALSE(run.result.has_value());
    CHECK(run.result.error().message == "failed to create namespace b");
    CHECK(run.events == std::vector<std::string>{
                            "done namespace a", "done veth host:ha <-> a:eth0, up",
                            "failed namespace b", "undone veth host:ha <-> a:eth0",
                            "undone namespace a"});
    CHECK(run.after.namespaces.empty());
    CHECK(run.after.host.links.size() == 1);
  }
}

TEST_CASE("the error message carries the kernel's words and the errno name") {
  auto e = refused_address();
  CHECK(e.describe() ==
        "failed to add address 10.0.1.11/24 to ns_rifky:veth_ns_rifky: Address already assigned (EEXIST)");
}

TEST_CASE("verify retries a bounded number of times, then lists what still differs") {
  auto desired = seed();
  testing::FakeKernel kernel(empty_host());  // never converges: nothing is applied
  std::vector<std::chrono::milliseconds> slept;
  apply::VerifyOptions options;
  options.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
  auto verified = apply::verify(desired, kernel, plan::observe_request(desired, {}), options);
  REQUIRE_FALSE(verified.has_value());
  CHECK(verified.error().kind == ErrorKind::verify_failed);
  CHECK(slept.size() == options.pauses.size());
  CHECK(verified.error().describe().find("+ namespace ns_rifky  (missing)") != std::string::npos);
}

TEST_CASE("verify polls finely at first, then backs off, for about 3 s in all") {
  auto pauses = apply::default_pauses();
  REQUIRE(pauses.size() > 20);
  std::chrono::milliseconds total{0};
  int early_checks = 0;
  for (size_t i = 0; i < pauses.size(); ++i) {
    if (i > 0) CHECK(pauses[i] >= pauses[i - 1]);  // never shorter than the one before
    if (total < std::chrono::milliseconds(100)) ++early_checks;
    total += pauses[i];
  }
  CHECK(pauses.front() == std::chrono::milliseconds(5));
  CHECK(early_checks == 20);  // a check every 5 ms while a destroy usually settles
  CHECK(total == std::chrono::milliseconds(3000));
}

TEST_CASE("a converged lab makes no call at all") {
  auto desired = seed();
  testing::FakeKernel kernel(empty_host());
  auto first = plan::plan(desired, *kernel.observe(plan::observe_request(desired, {})));
  RecordingProgress progress;
  REQUIRE(apply::run_plan(first.plan, kernel, progress).has_value());
  int calls = kernel.calls();
  auto second = plan::plan(desired, *kernel.observe(plan::observe_request(desired, {"ns_rifky"})));
  CHECK(second.plan.empty());
  REQUIRE(apply::run_plan(second.plan, kernel, progress).has_value());
  CHECK(kernel.calls() == calls);
}

TEST_CASE("the routing executor sends service actions to the service layer only") {
  testing::FakeKernel network(empty_host()), services(empty_host());
  apply::RoutingExecutor routing(network, services);
  model::Service web;
  web.name = "web";
  web.command = {"true"};
  REQUIRE(routing.execute({model::StartService{"host", web}, model::Reason::differs("test")}).has_value());
  REQUIRE(routing.execute({model::CreateNamespace{"ns_x"}, model::Reason::differs("test")}).has_value());
  CHECK(network.log() == std::vector<std::string>{"+ namespace ns_x"});
  CHECK(services.log() == std::vector<std::string>{"+ service host/web"});
}
