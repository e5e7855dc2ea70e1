#pragma once
// Reads an ObservedState from the YAML used by the planner's golden cases (observed.yaml):
//   owned_namespaces: [ns_a]
//   host:
//     links: [{name: veth_a, kind: veth, ifindex: 5, peer: 6, up: true, alias: ours}]
//     addresses: [{dev: veth_a, prefix: 10.0.0.10/24, proto: ours}]
//     routes: [{to: default, via: 10.0.0.1, dev: veth_a, metric: 0, protocol: ours}]
//     sysctls: {net.ipv4.ip_forward: "0"}
//     processes: [{pid: 4711, start_time: 9000, command: bash}]  # still inside (destroy)
//   namespaces:
//     ns_a: {links: [...], ...}       # listed = exists
//   services: [{ns: ns_a, name: web, pid: 100, running: true, spec: current}]
// `ours` stands for the lab's mark; `spec: current` for the spec hash of the desired service.
#include <string>

#include "model/observed.h"
#include "model/topology.h"

namespace nstopo::testing {

model::ObservedState load_observed(const std::string& path, const model::Topology& desired);

}  // namespace nstopo::testing
