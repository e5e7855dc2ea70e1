#pragma once
// `nstopo show`: live namespaces as a topology (pure; the CLI observes, parse/write_topology.h
// writes the file). What it takes and what it leaves out, so that `apply --adopt` of the file
// on the same machine takes the objects over and a plan after it is "No changes":
//
//   namespaces; their veth and bridge interfaces (lo and other kinds are left out, and named
//   in `skipped`); a veth pair as a `links:` entry, with a host end under `host:` when the
//   peer is on the host; bridge ports as `master:`; `up: false` for a link that is down;
//   MTUs other than 1500; addresses, but not the kernel's (link scope: fe80::/10, 169.254/16;
//   host scope: loopback's); main-table unicast routes, but not the kernel's (proto kernel,
//   link-local, the local table), with a metric only when it is not the kernel's default.
//   A veth whose host end is a port of a host bridge is left out (and named in `skipped`): the
//   host's bridge is not the lab's to declare.
//   Not shown: MAC addresses (kept by an adopted link; the observer cannot tell one set by
//   hand from a random one), sysctls (only the keys a file asks for are read), services,
//   the host's own routes and addresses on interfaces that are no veth end of a shown namespace.
#include <string>
#include <vector>

#include "model/object_key.h"
#include "model/observed.h"
#include "model/topology.h"

namespace nstopo::plan {

// An object that is there but not in the file, and why.
struct Skipped {
  model::ObjectKey key;
  std::string why;
  std::string text() const { return key.to_string() + ": " + why; }  // for a comment line
};

struct ShownTopology {
  model::Topology topology;
  std::vector<Skipped> skipped;
};

// Every namespace of `observed.namespaces` that exists, under the lab name `lab`.
ShownTopology topology_from_observed(const model::ObservedState& observed, const std::string& lab);

}  // namespace nstopo::plan
