#pragma once
// A TCP connect from inside a namespace, cut at a deadline: for tcp and http checks.
#include <chrono>
#include <cstdint>
#include <string>

#include "checks/outcome.h"
#include "kernel/unique_fd.h"
#include "model/ip.h"

namespace nstopo::checks {

using Clock = std::chrono::steady_clock;

// The connected socket, or an invalid one with `outcome` saying why (evidence appended).
kernel::UniqueFd connect_from(const std::string& netns_dir, const std::string& ns,
                              const model::IpAddress& to, uint16_t port, Clock::time_point deadline,
                              ProbeOutcome& outcome);

// Milliseconds left until `deadline`, at least 0, for poll(2).
int poll_timeout(Clock::time_point deadline);

// "0.3 ms", "12 ms", "1.52 s".
std::string format_duration(std::chrono::duration<double> elapsed);

}  // namespace nstopo::checks
