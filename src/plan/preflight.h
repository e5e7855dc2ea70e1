#pragma once
// Mistakes only the live system shows, caught after observe and before any change
// (issue 14, "Mistakes caught before apply"). The kernel and service layers gather the facts
// (ObserveRequest::sysctl_probes and ::commands); the decisions are made here:
//
//   - a declared address the host already has on an interface the lab does not own: a
//     warning (plan shows it, apply refuses unless --force);
//   - a sysctl key this kernel does not have: an error, with "did you mean" among the keys
//     beside it. A key of a declared interface (net.ipv4.conf.IFNAME.x) is checked against
//     its template (net.ipv4.conf.default.x): the interface may not exist yet;
//   - a service command not found on the PATH it will run with, or not executable: an error.
//
// A namespace that does not exist yet is checked against the host's kernel.
#include <vector>

#include "model/observed.h"
#include "model/topology.h"
#include "plan/planner.h"

namespace nstopo::plan {

// Adds what the checks of `ns` need to the observe request: its sysctl keys to probe (in `ns`
// and, for a namespace that may not exist yet, on the host) and its services' commands.
void add_preflight_lookups(const model::Namespace& ns, model::ObserveRequest& request);

// The key whose existence stands for `key` in `ns`: a declared interface's key becomes its
// `default` template; any other key is itself.
std::string sysctl_probe_key(const model::Namespace& ns, const std::string& key);

// Every finding, in declaration order: the host first, then the namespaces by name.
std::vector<Finding> preflight(const model::Topology& desired, const model::ObservedState& observed);

// Just the warnings about addresses (exposed for tests).
std::vector<Finding> host_address_clashes(const model::Topology& desired,
                                          const model::ObservedState& observed);

}  // namespace nstopo::plan
