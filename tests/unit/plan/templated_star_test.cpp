// The 1000-namespace star written with templates (star-1000-templated.yaml, 17 lines) is the
// star bench/gen_topology.py writes out in full, as far as the planner can tell: against an
// empty host both give the same actions, in the same order, with the same reasons.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "parse/load.h"
#include "plan/format.h"
#include "plan/planner.h"
#include "support/fake_kernel.h"
#include "support/test_labs.h"

using namespace nstopo;

namespace {

// The generator's output (the benchmark's own file), or nothing when python3 is missing.
std::optional<std::string> generated_star() {
  auto script = std::filesystem::path(NSTOPO_SOURCE_DIR) / "bench/gen_topology.py";
  std::string command = "python3 " + script.string() + " star 1000 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  if (!pipe) return std::nullopt;
  std::string text;
  char buffer[65536];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe.get())) > 0;)
    text.append(buffer, n);
  if (::pclose(pipe.release()) != 0 || text.empty()) return std::nullopt;
  return text;
}

model::Topology load(const parse::LoadResult& loaded) {
  for (const auto& d : loaded.diagnostics) MESSAGE(parse::format_diagnostic(d));
  REQUIRE(loaded.ok());
  return *loaded.topology;
}

}  // namespace

TEST_CASE("the templated 1000-namespace star plans exactly as the generated one") {
  auto generated_text = generated_star();
  if (!generated_text) {
    MESSAGE("python3 cannot run bench/gen_topology.py: skipped");
    return;
  }
  auto templated_file =
      (std::filesystem::path(NSTOPO_TESTS_DIR) / "unit/plan/star-1000-templated.yaml").string();
  auto templated = load(parse::load_topology_file(templated_file));
  auto generated = load(parse::load_topology_text(*generated_text, "star-1000.yaml"));
  REQUIRE(templated.namespaces.size() == 1000);
  REQUIRE(generated.namespaces.size() == 1000);
  CHECK(templated.links.size() == generated.links.size());

  auto host = testing::empty_host("bench-star-1000");
  auto from_template = plan::plan(templated, host);
  auto from_generator = plan::plan(generated, host);
  CHECK(from_template.conflicts.empty());
  auto text = plan::format_plan(from_template.plan);
  CHECK(from_template.plan.actions.size() == from_generator.plan.actions.size());
  CHECK(from_template.plan.actions.size() > 4000);  // namespaces, veths, addresses, routes
  CHECK(text == plan::format_plan(from_generator.plan));

  // And what the plan builds is the same lab: applied to the fake kernel, each file then
  // plans nothing more for the other.
  testing::FakeKernel kernel(host);
  for (const auto& action : from_template.plan.actions) REQUIRE(kernel.execute(action));
  auto built = kernel.observe(plan::observe_request(generated, kernel.state().owned_namespaces));
  REQUIRE(built.has_value());
  CHECK(plan::plan(generated, *built).plan.empty());
}
