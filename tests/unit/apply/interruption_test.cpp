// A first SIGINT/SIGTERM during a run: run_plan stops at the next action boundary and undoes
// what this run changed, as a failure would; the undo itself is not cut short; verify stops
// waiting. The signal is "received" by calling model::note_interruption, as the handler does.
#include <doctest/doctest.h>

#include <signal.h>

#include "apply/run.h"
#include "apply/verify.h"
#include "model/interruption.h"
#include "parse/load.h"
#include "plan/planner.h"
#include "support/fake_kernel.h"

using namespace nstopo;

namespace {

constexpr const char* kLab = R"(version: 1
name: intr
host:
  interfaces:
    veth_h: {addresses: [10.3.0.1/24]}
namespaces:
  ns_a:
    interfaces:
      veth_a: {addresses: [10.3.0.2/24, 10.3.1.2/24]}
    routes:
      - {to: default, via: 10.3.0.1}
links:
  - endpoints: [host:veth_h, ns_a:veth_a]
)";

model::Topology lab() {
  auto loaded = parse::load_topology_text(kLab, "intr.yaml");
  REQUIRE(loaded.ok());
  return *loaded.topology;
}

model::ObservedState empty_host() {
  model::ObservedState s;
  s.lab = "intr";
  s.host = {.name = "host", .exists = true};
  s.host.links.push_back({.name = "lo", .ifindex = 1, .up = true});
  return s;
}

// The fake kernel, with a signal arriving while its `signal_at`-th call runs (1-based);
// every call after the signal is logged, so the test sees that the undo ran whole.
class SignalledExecutor final : public model::Executor {
 public:
  SignalledExecutor(testing::FakeKernel& kernel, int signal_at, int signal)
      : kernel_(kernel), signal_at_(signal_at), signal_(signal) {}
  Result<void> execute(const model::Action& action) override {
    ++calls;
    if (calls == signal_at_) model::note_interruption(signal_);
    return kernel_.execute(action);
  }

  int calls = 0;

 private:
  testing::FakeKernel& kernel_;
  int signal_at_;
  int signal_;
};

struct Events final : apply::Progress {
  std::vector<std::string> log;
  void action_done(const model::Action& a, std::chrono::nanoseconds) override { log.push_back("done " + a.describe()); }
  void action_failed(const model::Action& a, const Error&) override { log.push_back("failed " + a.describe()); }
  void undo_done(const model::Action& a, const Result<void>& r) override {
    log.push_back(std::string(r ? "undone " : "undo failed ") + a.describe());
  }
};

}  // namespace

TEST_CASE("a signal during action k stops before action k+1 and undoes actions 1..k") {
  auto desired = lab();
  auto planned = plan::plan(desired, *testing::FakeKernel(empty_host()).observe(plan::observe_request(desired, {})));
  const auto& actions = planned.plan.actions;
  REQUIRE(actions.size() >= 5);
  for (int k = 1; k <= static_cast<int>(actions.size()); ++k) {
    CAPTURE(k);
    model::clear_interruption();
    testing::FakeKernel kernel(empty_host());
    SignalledExecutor executor(kernel, k, SIGINT);
    Events events;
    auto ran = apply::run_plan(planned.plan, executor, events);
    REQUIRE_FALSE(ran.has_value());
    CHECK(ran.error().kind == ErrorKind::interrupted);
    // k actions done (the one running when the signal came is finished), then k undone:
    // the undo is not interrupted by the signal that caused it.
    CHECK(executor.calls == 2 * k);
    CHECK(events.log.size() == static_cast<size_t>(2 * k));
    for (auto& e : events.log) CHECK(e.rfind("failed ", 0) != 0);
    CHECK(ran.error().message ==
          fmt::format("interrupted by SIGINT: undid {} earlier change{}", k, k == 1 ? "" : "s"));
    if (k < static_cast<int>(actions.size()))
      CHECK(ran.error().describe().find("stopped before " + actions[static_cast<size_t>(k)].describe()) !=
            std::string::npos);
    // Back to nothing: the next plan is the whole plan again.
    CHECK(kernel.state().namespaces.empty());
    CHECK(kernel.state().host.links.size() == 1);
    CHECK(plan::plan(desired, *kernel.observe(plan::observe_request(desired, {}))).plan.actions.size() ==
          actions.size());
  }
  model::clear_interruption();
}

TEST_CASE("a signal before the first action changes nothing, and names SIGTERM") {
  auto desired = lab();
  auto planned = plan::plan(desired, *testing::FakeKernel(empty_host()).observe(plan::observe_request(desired, {})));
  model::clear_interruption();
  model::note_interruption(SIGTERM);
  testing::FakeKernel kernel(empty_host());
  Events events;
  auto ran = apply::run_plan(planned.plan, kernel, events);
  model::clear_interruption();
  REQUIRE_FALSE(ran.has_value());
  CHECK(ran.error().kind == ErrorKind::interrupted);
  CHECK(ran.error().message == "interrupted by SIGTERM: nothing was changed");
  CHECK(kernel.calls() == 0);
}

TEST_CASE("an action that notices the signal in a wait fails as interrupted; the run is undone") {
  auto desired = lab();
  auto planned = plan::plan(desired, *testing::FakeKernel(empty_host()).observe(plan::observe_request(desired, {})));
  model::clear_interruption();
  testing::FakeKernel kernel(empty_host());
  // The third call "waits", sees the signal, and gives up having changed nothing.
  class WaitingExecutor final : public model::Executor {
   public:
    explicit WaitingExecutor(testing::FakeKernel& k) : kernel_(k) {}
    Result<void> execute(const model::Action& action) override {
      if (++calls == 3) {
        model::note_interruption(SIGINT);
        return fail(ErrorKind::interrupted, "interrupted by SIGINT while waiting for service x");
      }
      return kernel_.execute(action);
    }
    int calls = 0;

   private:
    testing::FakeKernel& kernel_;
  } executor(kernel);
  Events events;
  auto ran = apply::run_plan(planned.plan, executor, events);
  model::clear_interruption();
  REQUIRE_FALSE(ran.has_value());
  CHECK(ran.error().kind == ErrorKind::interrupted);
  CHECK(ran.error().message == "interrupted by SIGINT: undid 2 earlier changes");
  CHECK(executor.calls == 5);
  CHECK(kernel.state().namespaces.empty());
}

TEST_CASE("verify stops waiting at a signal, and says every change was made") {
  auto desired = lab();
  testing::FakeKernel kernel(empty_host());  // never converges: nothing is applied
  model::clear_interruption();
  int sleeps = 0;
  apply::VerifyOptions options;
  options.sleep = [&](std::chrono::milliseconds) {
    if (++sleeps == 2) model::note_interruption(SIGINT);
  };
  auto verified = apply::verify(desired, kernel, plan::observe_request(desired, {}), options);
  model::clear_interruption();
  REQUIRE_FALSE(verified.has_value());
  CHECK(verified.error().kind == ErrorKind::interrupted);
  CHECK(sleeps == 2);
  CHECK(verified.error().message.find("every change was made") != std::string::npos);
}

TEST_CASE("interrupted without undo (destroy), the run stops and says how far it got") {
  auto desired = lab();
  auto planned = plan::plan(desired, *testing::FakeKernel(empty_host()).observe(plan::observe_request(desired, {})));
  model::clear_interruption();
  testing::FakeKernel kernel(empty_host());
  SignalledExecutor executor(kernel, 2, SIGTERM);
  Events events;
  auto ran = apply::run_plan(planned.plan, executor, events, {.undo_when_interrupted = false});
  model::clear_interruption();
  REQUIRE_FALSE(ran.has_value());
  CHECK(ran.error().kind == ErrorKind::interrupted);
  CHECK(executor.calls == 2);
  CHECK(ran.error().message ==
        fmt::format("interrupted by SIGTERM: stopped after 2 of {} changes; the same command again "
                    "does the rest",
                    planned.plan.actions.size()));
}

TEST_CASE("the undo's own waits do not see the signal that caused the undo") {
  auto desired = lab();
  auto planned = plan::plan(desired, *testing::FakeKernel(empty_host()).observe(plan::observe_request(desired, {})));
  model::clear_interruption();
  testing::FakeKernel kernel(empty_host());
  // Each call "waits" as a service start does, giving up when it sees the signal.
  class WaitingExecutor final : public model::Executor {
   public:
    explicit WaitingExecutor(testing::FakeKernel& k) : kernel_(k) {}
    Result<void> execute(const model::Action& action) override {
      if (model::interrupted())
        return fail(ErrorKind::interrupted, "interrupted while waiting in " + action.describe());
      if (++calls == 3) model::note_interruption(SIGINT);
      return kernel_.execute(action);
    }
    int calls = 0;

   private:
    testing::FakeKernel& kernel_;
  } executor(kernel);
  Events events;
  auto ran = apply::run_plan(planned.plan, executor, events);
  CHECK(model::interrupted());  // outside the undo, the signal is still seen
  model::clear_interruption();
  REQUIRE_FALSE(ran.has_value());
  CHECK(ran.error().message == "interrupted by SIGINT: undid 3 earlier changes");
  CHECK(kernel.state().namespaces.empty());
  CHECK(kernel.state().host.links.size() == 1);
}
