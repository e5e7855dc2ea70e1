#pragma once
// Where the tcp readiness probes of a namespace's services connect: the address a probe
// declares, checked against the namespace, or else every address the namespace declares.
#include <map>
#include <string>

#include "model/topology.h"
#include "parse/declarations.h"
#include "parse/reporter.h"

namespace nstopo::parse {

// Sets `ready.targets` of each tcp probe in `services` (those of `ns`). A declared address
// must be loopback or one of the namespace's own (a probe of another namespace's address
// would test someone else's listener); the host is exempt, since it has addresses nstopo
// does not declare. Without one, the targets are the namespace's declared addresses, file
// order, link-local ones left out; none leaves them empty, which means loopback.
void resolve_probe_targets(const NamespaceDecl& ns, std::map<std::string, model::Service>& services,
                           Reporter& reporter);

}  // namespace nstopo::parse
