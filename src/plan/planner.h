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

// A mistake found before any change that is not a conflict (plan/preflight.h): an error stops
// plan and apply; a warning is shown by plan and stops apply unless --force.
struct Finding {
  enum class Severity { warning, error };
  Severity severity = Severity::error;
  model::ObjectKey key;  // the declared object it is about
  std::string message;   // full sentence, led by the file position when the model has one
};

struct PlanResult {
  model::Plan plan;
  std::vector<Conflict> conflicts;           // non-empty: apply must stop before any change
  std::vector<Finding> findings;             // plan/preflight.h, in declaration order
  std::set<std::string> adopted_namespaces;  // with --adopt: record these as the lab's
  // Recorded as the lab's, but deleted and made again outside nstopo (another identity):
  // left alone, and their records dropped.
  std::set<std::string> forgotten_namespaces;
};

// What to read before planning `desired`: its namespaces, the lab's recorded ones, the
// declared sysctls (their values, and whether each key exists: plan/preflight.h), and the
// declared services' commands.
model::ObserveRequest observe_request(const model::Topology& desired,
                                      const std::set<std::string>& recorded_namespaces);

PlanResult plan(const model::Topology& desired, const model::ObservedState& observed,
                const PlanOptions& options = {});

// The lab with nothing declared: what `destroy` plans toward.
model::Topology empty_topology(const std::string& lab);

}  // namespace nstopo::plan
