#pragma once
// What the apply-layer tests start from: a topology from YAML text, and an empty host.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "model/observed.h"
#include "model/topology.h"
#include "parse/load.h"
#include "support/observed_yaml.h"

namespace nstopo::testing {

// `text` parsed as a topology file named seed.yaml; the test stops if it is not valid.
inline model::Topology topology_from(const char* text) {
  auto loaded = parse::load_topology_text(text, "seed.yaml");
  REQUIRE(loaded.ok());
  return *loaded.topology;
}

// The host as a fresh machine shows it to lab `lab`: loopback, nothing else.
inline model::ObservedState empty_host(std::string lab = "seed") {
  model::ObservedState s;
  s.lab = std::move(lab);
  s.host = {.name = "host", .exists = true};
  s.host.links.push_back({.name = "lo", .ifindex = 1, .up = true});
  return s;
}

// A planner case of tests/unit/plan/cases/NAME: the file it declares and the state observed.
struct PlanCase {
  model::Topology desired;
  model::ObservedState observed;
};
inline PlanCase load_plan_case(const std::string& name) {
  auto dir = std::filesystem::path(NSTOPO_TESTS_DIR) / "unit/plan/cases" / name;
  auto loaded = parse::load_topology_file((dir / "desired.yaml").string());
  REQUIRE(loaded.ok());
  return {*loaded.topology, load_observed((dir / "observed.yaml").string(), *loaded.topology)};
}

}  // namespace nstopo::testing
