#pragma once
// The planner: pure. plan(desired, observed) -> the minimal ordered list of actions, each
// with the reason the diff found. Same inputs, same text, every time.
#include <set>
#include <string>
#include <vector>

#include "model/action.h"
#include "model/observed.h"
#include "model/topology.h"

namespace nstopo::plan {

struct PlanOptions {
  bool adopt = false;  // take over declared objects that exist but are not ours
};

// A declared object that exists but that nstopo cannot prove it created.
struct Conflict {
  std::string object;   // key.to_string(): "host:eth1", "namespace ns_rifky", "route default in ns_a"
  std::string message;  // full sentence
  model::ObjectKey key;
};

struct PlanResult {
  model::Plan plan;
  std::vector<Conflict> conflicts;           // non-empty: apply must stop before any change
  std::set<std::string> adopted_namespaces;  // with --adopt: record these as the lab's
  // Recorded as the lab's, but deleted and made again outside nstopo (another identity):
  // left alone, and their records dropped.
  std::set<std::string> forgotten_namespaces;
};

// What to read before planning `desired`: its namespaces, the lab's recorded ones, and the
// declared sysctls.
model::ObserveRequest observe_request(const model::Topology& desired,
                                      const std::set<std::string>& recorded_namespaces);

PlanResult plan(const model::Topology& desired, const model::ObservedState& observed,
                const PlanOptions& options = {});

// The lab with nothing declared: what `destroy` plans toward.
model::Topology empty_topology(const std::string& lab);

}  // namespace nstopo::plan
