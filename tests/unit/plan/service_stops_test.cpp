// The planner's stops of services: the grace a record kept, and the spec that undoing the
// stop starts again.
#include <doctest/doctest.h>

#include "plan/planner.h"

using namespace nstopo;
using std::chrono::milliseconds;

namespace {

model::Service idle_service() {
  model::Service s;
  s.name = "idle";
  s.command = {"sleep", "3600"};
  s.stop_grace = milliseconds(1'500);
  return s;
}

// A lab whose namespace ns_a still runs `idle`, recorded with `recorded`.
model::ObservedState running(const model::ObservedService& recorded) {
  model::ObservedState observed;
  observed.lab = "lab1";
  observed.host.name = std::string(model::kHostNamespace);
  observed.host.exists = true;
  model::ObservedNamespace ns;
  ns.name = "ns_a";
  ns.exists = true;
  observed.namespaces["ns_a"] = ns;
  observed.owned_namespaces.insert("ns_a");
  observed.services.push_back(recorded);
  return observed;
}

model::Topology lab_with(std::optional<model::Service> service) {
  model::Topology desired;
  desired.name = "lab1";
  desired.host.name = std::string(model::kHostNamespace);
  model::Namespace ns;
  ns.name = "ns_a";
  if (service) ns.services[service->name] = *service;
  desired.namespaces["ns_a"] = ns;
  return desired;
}

const model::StopService& only_stop(const model::Plan& plan) {
  const model::StopService* found = nullptr;
  for (const auto& action : plan.actions)
    if (const auto* stop = std::get_if<model::StopService>(&action.op)) {
      REQUIRE(found == nullptr);
      found = stop;
    }
  REQUIRE(found != nullptr);
  return *found;
}

}  // namespace

TEST_CASE("a service no longer declared is stopped with the grace its record kept") {
  auto spec = idle_service();
  model::ObservedService recorded{{"ns_a", "idle", 4242, 777, spec.spec_hash()}, true};
  recorded.stop_grace = milliseconds(1'500);
  recorded.spec = spec;
  auto result = plan::plan(lab_with(std::nullopt), running(recorded));
  const auto& stop = only_stop(result.plan);
  CHECK(stop.grace == milliseconds(1'500));

  SUBCASE("and undoing the stop starts it again with its old spec") {
    auto undo = model::inverse({stop, model::Reason::not_declared()});
    REQUIRE(undo);
    const auto* start = std::get_if<model::StartService>(&undo->op);
    REQUIRE(start != nullptr);
    CHECK(start->ns == "ns_a");
    CHECK(start->service.command == spec.command);
  }
}

TEST_CASE("a record without a grace (older nstopo) is stopped with the default") {
  model::ObservedService recorded{{"ns_a", "idle", 4242, 777, "hash"}, true};
  auto result = plan::plan(lab_with(std::nullopt), running(recorded));
  const auto& stop = only_stop(result.plan);
  CHECK(stop.grace == model::Service{}.stop_grace);
  CHECK_FALSE(model::inverse({stop, model::Reason::not_declared()}));  // no spec: nothing to start again
}

TEST_CASE("a restart for a changed spec carries the old spec for its undo") {
  auto old_spec = idle_service();
  model::ObservedService recorded{{"ns_a", "idle", 4242, 777, old_spec.spec_hash()}, true};
  recorded.spec = old_spec;
  auto new_spec = old_spec;
  new_spec.command = {"sleep", "7200"};
  auto result = plan::plan(lab_with(new_spec), running(recorded));
  const auto& stop = only_stop(result.plan);
  REQUIRE(stop.restart);
  CHECK(stop.restart->command == old_spec.command);
}

TEST_CASE("a service that exited says how, when nstopo saw it end") {
  auto spec = idle_service();
  model::ObservedService recorded{{"ns_a", "idle", 4242, 777, spec.spec_hash()}, false};
  recorded.exit_status = 3 << 8;
  auto result = plan::plan(lab_with(spec), running(recorded));
  REQUIRE(result.plan.actions.size() == 1);
  CHECK(result.plan.actions.front().reason.text() == "exited with status 3 (was pid 4242)");
}

TEST_CASE("the undo of a start reads as the process just started, not pid 0") {
  auto undo = model::inverse({model::StartService{"ns_a", idle_service()}, model::Reason::missing()});
  REQUIRE(undo);
  CHECK(undo->describe() == "service ns_a/idle (the one just started)");
}
