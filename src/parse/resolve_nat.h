#pragma once
// `nat:` of each namespace, checked and put in the topology: only on a namespace (not the
// host), `out` only where there is an address to masquerade, each port forward to one of the
// namespace's own addresses and each host port once. What NAT needs of the host is declared
// for it: net.ipv4.ip_forward (and IPv6 forwarding) and, for each IPv4 forward, route_localnet
// on the host interface that reaches it (so that `curl localhost:PORT` on the host works);
// host sysctls like any other, whose values the lab records and gives back on destroy.
#include "model/topology.h"
#include "parse/declarations.h"
#include "parse/reporter.h"

namespace nstopo::parse {

void resolve_nat(const Declarations& declarations, model::Topology& topology, Reporter& reporter);

}  // namespace nstopo::parse
