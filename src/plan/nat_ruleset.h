#pragma once
// The lab's NAT table (model/nat.h) as nftables text, in the form `nft list table` prints it:
// the planner compares it with the table the kernel lists (same_ruleset), so a hand edit of
// the table is drift and a converged lab plans nothing.
#include <optional>
#include <string>
#include <string_view>

#include "model/topology.h"

namespace nstopo::plan {

// nullopt when no namespace declares NAT. The table, inet nstopo-LAB, holds:
//   postrouting: each `nat: {out: true}` namespace's addresses, going anywhere but the lab's
//     own networks (accepted as they are first), masqueraded (per family); and for each IPv4 port forward, connections
//     the host makes from loopback (curl localhost:8080) masqueraded to the lab address;
//   prerouting: a port forward, for packets to one of the host's own addresses;
//   output: the same, for connections the host itself makes.
std::optional<std::string> nat_ruleset(const model::Topology& topology);

// What the table does, in a line: "masquerade 10.0.0.11; forward 8080/tcp -> 10.0.0.11:4000".
std::string nat_summary(const model::Topology& topology);

// The same rules, whatever the white space (nft indents with tabs and parts chains with blank
// lines).
bool same_ruleset(std::string_view a, std::string_view b);

}  // namespace nstopo::plan
