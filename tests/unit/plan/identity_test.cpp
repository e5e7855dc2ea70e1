// Namespace identity: a recorded namespace whose netns cookie is not the recorded one is not
// the lab's. What the planner hands back besides the plan: which records to drop, which
// namespaces --adopt takes over.
#include <doctest/doctest.h>

#include <filesystem>

#include "parse/load.h"
#include "plan/planner.h"
#include "support/test_labs.h"

using namespace nstopo;

namespace {
auto load_case = testing::load_plan_case;
}  // namespace

TEST_CASE("a recorded namespace made again outside nstopo: never deleted, its record dropped") {
  auto c = load_case("namespace_recreated_outside");
  auto result = plan::plan(c.desired, c.observed);
  CHECK(result.forgotten_namespaces == std::set<std::string>{"ns_old"});
  CHECK(result.plan.empty());  // not ns_old, nor the marked links planted in it
  REQUIRE(result.conflicts.size() == 1);
  CHECK(result.conflicts[0].object == "namespace ns_a");

  // Destroy: nothing declared, so neither is deleted and both records go.
  auto destroy = plan::plan(plan::empty_topology(c.desired.name), c.observed);
  CHECK(destroy.plan.empty());
  CHECK(destroy.conflicts.empty());
  CHECK(destroy.forgotten_namespaces == std::set<std::string>{"ns_a", "ns_old"});
}

TEST_CASE("the same namespace (same cookie), or one of unknown identity, is the lab's") {
  auto c = load_case("namespace_recreated_outside");
  c.observed.namespaces.at("ns_old").cookie = 4098;  // as recorded
  c.observed.namespaces.at("ns_a").cookie = 0;       // a kernel that cannot say
  auto destroy = plan::plan(plan::empty_topology(c.desired.name), c.observed);
  CHECK(destroy.forgotten_namespaces.empty());
  CHECK(destroy.plan.actions.size() == 2);  // both deleted
  c.observed.recorded_cookies.erase("ns_old");  // recorded before it was made
  c.observed.namespaces.at("ns_old").cookie = 777;
  CHECK(plan::plan(plan::empty_topology(c.desired.name), c.observed).plan.actions.size() == 2);
}

TEST_CASE("--adopt takes a re-created declared namespace over") {
  auto c = load_case("namespace_recreated_outside");
  auto result = plan::plan(c.desired, c.observed, plan::PlanOptions{.adopt = true});
  CHECK(result.conflicts.empty());
  CHECK(result.adopted_namespaces == std::set<std::string>{"ns_a"});
}
