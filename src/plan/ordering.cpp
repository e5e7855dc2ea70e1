#include "plan/ordering.h"

#include <algorithm>
#include <tuple>

namespace nstopo::plan {

// Each kind's rank is declared beside its struct (model/*_ops.h): in short, stop services
// (0) and what else runs in a namespace being deleted (5); the lab's name files (9); deletes
// (1x: routes, addresses, namespaces, then links, ports before bridges); namespaces (20);
// bridges, then veths (30); moves (40); attributes while down (50); down, then up (60);
// addresses (70); routes (80); name files (85); sysctls, fan-out keys first (89-9x);
// services last (95).
int action_rank(const model::Action& action) { return action.rank(); }

void order_actions(std::vector<model::Action>& actions) {
  // Precompute keys once: describe() formats strings, which a comparator must not redo
  // O(N log N) times at N=1000.
  struct Keyed {
    int rank;
    std::string object;
    std::string description;
    size_t index;
  };
  std::vector<Keyed> keys;
  keys.reserve(actions.size());
  for (size_t i = 0; i < actions.size(); ++i)
    keys.push_back({action_rank(actions[i]), actions[i].object(), actions[i].describe(), i});
  std::sort(keys.begin(), keys.end(), [](const Keyed& a, const Keyed& b) {
    return std::tie(a.rank, a.object, a.description, a.index) <
           std::tie(b.rank, b.object, b.description, b.index);
  });
  std::vector<model::Action> sorted;
  sorted.reserve(actions.size());
  for (auto& k : keys) sorted.push_back(std::move(actions[k.index]));
  actions = std::move(sorted);
}

}  // namespace nstopo::plan
