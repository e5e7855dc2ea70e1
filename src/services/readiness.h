#pragma once
// Readiness probes: when a service counts as up. `tcp` connects to 127.0.0.1:PORT (or [::1])
// from inside the service's namespace; `exec` runs a command there, ready when it exits 0.
#include <chrono>
#include <cstdint>
#include <string>

#include "model/topology.h"

namespace nstopo::services {

// A connect to 127.0.0.1:port, then [::1]:port, from inside namespace `ns`, each given
// `timeout` to complete; true when one is accepted.
bool tcp_port_accepting(const std::string& netns_dir, const std::string& ns, uint16_t port,
                        std::chrono::milliseconds timeout);

// What a failed probe waited for: "tcp port 4000 not accepting",
// "exec probe 'curl -sf http://localhost/' did not exit 0".
std::string describe_unready(const model::ReadyProbe& probe);

// "10s", "1.5s", "250ms".
std::string format_duration(std::chrono::milliseconds duration);

// One attempt of the service's probe, for `nstopo status` ("ready" or not). A service
// without a probe is ready when it runs: this returns true for it.
bool probe_ready_once(const std::string& netns_dir, const std::string& ns,
                      const model::Service& service);

}  // namespace nstopo::services
