// Planner golden cases: tests/unit/plan/cases/NAME/{desired.yaml, observed.yaml, plan.txt}.
// plan.txt is the plan's text followed by its conflicts. A file `adopt` in the case folder
// plans with --adopt; a file `machine` holding a machine's name plans that machine's share of
// a lab on several machines (model::share), as `--host NAME` does. Set NSTOPO_UPDATE_GOLDEN=1 to rewrite plan.txt (then read every diff).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/machines.h"
#include "parse/load.h"
#include "plan/format.h"
#include "plan/ordering.h"
#include "plan/planner.h"
#include "support/fake_kernel.h"
#include "support/observed_yaml.h"

namespace fs = std::filesystem;
using namespace nstopo;

namespace {

struct GoldenCase {
  std::string name;
  model::Topology desired;
  model::ObservedState observed;
  plan::PlanOptions options;
  fs::path dir;
};

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<GoldenCase> cases() {
  std::vector<GoldenCase> all;
  std::vector<fs::path> dirs;
  for (auto& e : fs::directory_iterator(fs::path(NSTOPO_TESTS_DIR) / "unit/plan/cases"))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (auto& dir : dirs) {
    auto loaded = parse::load_topology_file((dir / "desired.yaml").string());
    for (auto& d : loaded.diagnostics) MESSAGE(parse::format_diagnostic(d));
    REQUIRE_MESSAGE(loaded.ok(), dir.string());
    model::Topology desired = *loaded.topology;
    if (fs::exists(dir / "machine")) {
      std::string machine = read(dir / "machine");
      machine.erase(machine.find_last_not_of(" \n") + 1);
      REQUIRE_MESSAGE(desired.find_machine(machine), dir.string());
      desired = model::share(desired, machine);
    }
    GoldenCase c{dir.filename().string(), std::move(desired), {}, {}, dir};
    c.observed = testing::load_observed((dir / "observed.yaml").string(), c.desired);
    c.options.adopt = fs::exists(dir / "adopt");
    all.push_back(std::move(c));
  }
  return all;
}

std::string render(const plan::PlanResult& r) {
  return plan::format_plan(r.plan) + plan::format_conflicts(r.conflicts);
}

}  // namespace

TEST_CASE("golden plans: observed + desired -> plan.txt") {
  auto all = cases();
  REQUIRE(all.size() >= 15);
  for (auto& c : all) {
    CAPTURE(c.name);
    auto text = render(plan::plan(c.desired, c.observed, c.options));
    auto golden = c.dir / "plan.txt";
    if (std::getenv("NSTOPO_UPDATE_GOLDEN")) std::ofstream(golden) << text;
    CHECK(text == read(golden));
  }
}

TEST_CASE("plans are deterministic: same inputs, same text, whatever the observed order") {
  for (auto& c : cases()) {
    CAPTURE(c.name);
    auto first = render(plan::plan(c.desired, c.observed, c.options));
    auto shuffled = c.observed;
    std::reverse(shuffled.host.links.begin(), shuffled.host.links.end());
    std::reverse(shuffled.host.addresses.begin(), shuffled.host.addresses.end());
    std::reverse(shuffled.host.routes.begin(), shuffled.host.routes.end());
    for (auto& [name, ns] : shuffled.namespaces) {
      std::reverse(ns.links.begin(), ns.links.end());
      std::reverse(ns.addresses.begin(), ns.addresses.end());
    }
    std::reverse(shuffled.services.begin(), shuffled.services.end());
    CHECK(render(plan::plan(c.desired, shuffled, c.options)) == first);
    CHECK(render(plan::plan(c.desired, c.observed, c.options)) == first);
  }
}

TEST_CASE("applying a plan converges: plan(desired, apply(plan)) is empty") {
  for (auto& c : cases()) {
    CAPTURE(c.name);
    auto first = plan::plan(c.desired, c.observed, c.options);
    if (!first.conflicts.empty()) continue;  // nothing is applied over a conflict
    testing::FakeKernel kernel(c.observed);
    for (auto& action : first.plan.actions) {
      auto done = kernel.execute(action);
      if (!done) FAIL(action.describe() << ": " << done.error().describe());
    }
    auto after = kernel.observe(plan::observe_request(c.desired, kernel.state().owned_namespaces));
    REQUIRE(after.has_value());
    auto second = plan::plan(c.desired, *after, c.options);
    CHECK_MESSAGE(second.plan.empty(), plan::format_plan(second.plan));
    CHECK(second.conflicts.empty());
  }
}

TEST_CASE("order properties: deletes before creates, namespaces before their links, links "
          "before addresses, addresses before routes, services last") {
  for (auto& c : cases()) {
    CAPTURE(c.name);
    auto r = plan::plan(c.desired, c.observed, c.options);
    int last_rank = -1;
    bool seen_create = false;
    for (auto& a : r.plan.actions) {
      auto rank = plan::action_rank(a);
      CHECK(rank >= last_rank);
      last_rank = rank;
      if (a.change() == model::Change::create) seen_create = true;
      if (a.change() == model::Change::remove && !model::is_service_action(a)) CHECK_FALSE(seen_create);
    }
  }
}
