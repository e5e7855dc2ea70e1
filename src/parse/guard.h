#pragma once
// A cheap scan of the raw text that runs before the YAML parser sees it, so that hostile input
// fails fast with a clear message: libyaml 0.2.5 sets no limit on nesting (its stacks grow
// with every level), every node costs memory, and aliases would let a small file stand for an
// enormous one ("billion laughs"). This scan refuses, in one linear pass and without
// allocating per node:
//   - control characters (a binary file),
//   - any alias (*name): a topology has no use for them,
//   - nesting deeper than `max_depth` (block indentation levels plus open flow brackets),
//   - more than `max_nodes` scalars and collections.
// It tokenises just enough YAML (quotes, comments, block scalars, flow brackets, plain
// scalars) to tell an alias from a '*' inside a string; it is not a YAML parser and leaves
// every syntax error to libyaml.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "model/topology.h"

namespace nstopo::parse {

struct GuardLimits {
  size_t max_depth = 64;       // a topology needs 8
  size_t max_nodes = 500'000;  // about 20 per namespace: room for 20000 namespaces
};

struct HostileInput {
  model::SourceLocation at;
  std::string message;
  std::string hint;
};

std::optional<HostileInput> find_hostile_input(std::string_view text, GuardLimits limits = {});

// The message for an alias, here and wherever else one is met.
inline constexpr std::string_view kAliasRefusal =
    "YAML aliases (*name) are not supported: a topology has no use for them, and they can "
    "expand a small file into an enormous one";

}  // namespace nstopo::parse
