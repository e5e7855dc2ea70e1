#pragma once
// Readiness probes: when a service counts as up. `tcp` connects to each of the probe's
// targets (its declared address, else the namespace's declared addresses, else loopback)
// from inside the service's namespace, and counts an accepted connect only when the
// listener is the service's own (services/listeners.h); `exec` runs a command there, ready
// when it exits 0.
#include <chrono>
#include <cstdint>
#include <string>

#include "model/topology.h"
#include "services/spawner.h"

namespace nstopo::services {

// A connect to address:port from inside namespace `ns`, given `timeout` to complete; true
// when it is accepted.
bool tcp_port_accepting(const std::string& netns_dir, const std::string& ns,
                        const model::IpAddress& address, uint16_t port,
                        std::chrono::milliseconds timeout);

// One attempt of a tcp probe: ready when a connect to one of its targets is accepted by a
// listener open in `owner` (the service's supervisor) or a process below it. The targets
// share `timeout`. Never ready without an owner (`owner` 0).
bool tcp_probe_ready(const std::string& netns_dir, const std::string& ns,
                     const model::ReadyProbe& probe, int owner, std::chrono::milliseconds timeout);

// What a failed probe waited for:
// "tcp port 4000 not accepting on 10.0.0.11 or fd00::11 in the service's own processes",
// "exec probe 'curl -sf http://localhost/' did not exit 0".
std::string describe_unready(const model::ReadyProbe& probe);

// "10s", "1.5s", "250ms".
std::string format_duration(std::chrono::milliseconds duration);

// One attempt of the service's probe ("ready" or not), the service's supervisor being
// `owner`: a tcp connect is given `tcp_attempt` at most, an exec probe its whole `timeout`
// (a health check that takes 2 s is not "not ready"). A service without a probe is ready
// when it runs: this returns true for it.
bool probe_ready_once(Spawner& spawner, const ProcessSpec& spec, const model::Service& service,
                      int owner, std::chrono::milliseconds tcp_attempt);
// The same with a ProcessSpawner and 1 s for a connect.
bool probe_ready_once(const std::string& netns_dir, const std::string& ns,
                      const model::Service& service, int owner);

}  // namespace nstopo::services
