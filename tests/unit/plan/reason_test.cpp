// Typed reasons: the planner says why with a Why, the words are made when shown, and status
// decides by the Why (an adoption is ownership, record keeping is not state), never by text.
#include <doctest/doctest.h>

#include <filesystem>

#include "parse/load.h"
#include "plan/planner.h"
#include "plan/status.h"
#include "support/test_labs.h"

using namespace nstopo;
using Why = model::Reason::Why;

TEST_CASE("each why has its words, and status leaves ownership out of them") {
  CHECK(model::Reason::missing().text() == "missing");
  CHECK(model::Reason::missing("not running").text() == "not running");
  CHECK(model::Reason::not_declared().text() == "not declared");
  CHECK(model::Reason::adopted().text() == "adopted");
  CHECK(model::Reason::adopted("re-added with nstopo's mark").text() ==
        "adopted: re-added with nstopo's mark");
  CHECK(model::Reason::creation_step().text() == "new link");
  CHECK(model::Reason::undo("namespace ns_a").text() == "undo: namespace ns_a");

  auto repaired_and_adopted = model::Reason::differs("mtu 1400 != 1500");
  repaired_and_adopted.also_adopted = true;
  CHECK(repaired_and_adopted.text() == "mtu 1400 != 1500, adopted");
  CHECK(repaired_and_adopted.state_text() == "mtu 1400 != 1500");
  CHECK(model::Reason::adopted("re-added").state_text().empty());
  CHECK(model::to_string(Why::not_declared) == "not_declared");
}

namespace {
auto load_case = testing::load_plan_case;
}  // namespace

TEST_CASE("taking a link over is typed as adoption, each of its steps") {
  auto c = load_case("adopt_link");
  auto adopted = plan::plan(c.desired, c.observed, {.adopt = true});
  REQUIRE(adopted.plan.actions.size() == 3);
  for (auto& a : adopted.plan.actions) CHECK(a.reason.why == Why::adopted);
}

TEST_CASE("a creation's later steps are typed as such: status calls the bridge missing, not drifted") {
  auto c = load_case("bridge_create");
  auto result = plan::plan(c.desired, c.observed);
  int steps = 0;
  for (auto& a : result.plan.actions) {
    if (a.reason.why != Why::creation_step) continue;
    ++steps;
    CHECK(a.describe() == "link host:br0 up");
  }
  CHECK(steps == 1);
  bool found = false;
  for (auto& e : plan::status(c.desired, c.observed)) {
    if (e.object != "host:br0") continue;
    found = true;
    CHECK(e.state == plan::LiveState::missing);
    CHECK(e.detail == "missing");
  }
  CHECK(found);
}

TEST_CASE("an undo is typed as one and names what it reverses") {
  auto c = load_case("bridge_create");
  int reversible = 0;
  for (auto& a : plan::plan(c.desired, c.observed).plan.actions) {
    auto back = model::inverse(a);
    if (!back) continue;
    ++reversible;
    CHECK(back->reason.why == Why::undo);
    CHECK(back->reason.text() == "undo: " + a.describe());
  }
  CHECK(reversible > 5);
}
