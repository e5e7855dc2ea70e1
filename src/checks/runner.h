#pragma once
// Runs a topology's checks against the live lab: each with its retries, side by side on a
// bounded pool of threads, results in the checks' order.
#include <span>
#include <string>
#include <vector>

#include "checks/outcome.h"
#include "model/check.h"

namespace nstopo::checks {

struct RunOptions {
  std::string netns_dir = "/run/netns";
  size_t parallel = 8;  // checks at once
  std::chrono::milliseconds retry_pause{250};
};

// One check: attempts until one gives the expected outcome, at most 1 + retries.
CheckResult run_check(const model::Check& check, const RunOptions& options);

std::vector<CheckResult> run_checks(std::span<const model::Check* const> checks,
                                    const RunOptions& options);

}  // namespace nstopo::checks
