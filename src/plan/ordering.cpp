#include "plan/ordering.h"

#include <algorithm>
#include <tuple>

#include "model/sysctl_coupling.h"

namespace nstopo::plan {

namespace {
template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
}  // namespace

int action_rank(const model::Action& action) {
  using namespace model;
  return std::visit(
      overloaded{
          // 0: stop services before anything they use goes away.
          [](const StopService&) { return 0; },
          // ... and then whatever else still runs in a namespace that is deleted.
          [](const StopNamespaceProcesses&) { return 5; },
          // 1: deletes: routes, addresses, then namespaces before links. A namespace takes
          // its veths (and their peers) with it in one batch, in the kernel's own cleanup;
          // a bridge deleted first would release every port one by one (~0.4 ms each).
          [](const DeleteRoute&) { return 10; },
          [](const DeleteAddress&) { return 11; },
          [](const DeleteNamespace&) { return 12; },
          [](const DeleteLink& a) { return a.kind == "bridge" ? 14 : 13; },  // ports first
          // 2: namespaces (loopback comes up with them).
          [](const CreateNamespace&) { return 20; },
          // 3: links, each end directly in its namespace; bridges before their ports.
          [](const CreateBridge&) { return 30; },
          [](const CreateVeth&) { return 31; },
          // 4: drift repair of a link that sits in the wrong namespace.
          [](const MoveLink&) { return 40; },
          // 5: attributes while down (MTU, MAC, master).
          [](const SetLinkAttributes& a) { return a.after_ports ? 51 : 50; },  // ports join first
          // 6: up (down first, so a link taken down never carries traffic half-configured).
          [](const SetLinkUp& a) { return a.up ? 61 : 60; },
          // 7: addresses, once their link is up.
          [](const AddAddress&) { return 70; },
          // 8: routes, once the addresses covering their gateways exist.
          [](const AddRoute&) { return 80; },
          // 9: sysctls, then services, once everything in the namespace is in place. Sysctls
          // that fan out (net.ipv4.ip_forward rewrites every interface's forwarding) before
          // conf.all.*, conf.default.* and per-interface keys (model/sysctl_coupling.h), so that
          // a key written later is never overwritten by one written before it.
          [](const SetSysctl& a) { return 90 + model::sysctl_write_order(a.key); },
          // A record kept before a fan-out write rewrites the key: before every write.
          [](const RestoreSysctl& a) {
            return a.mode == RestoreSysctl::Mode::remember ? 89 : 90 + model::sysctl_write_order(a.key);
          },
          [](const StartService&) { return 95; },
      },
      action.op);
}

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
