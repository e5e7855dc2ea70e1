#include "checks/runner.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "checks/connect.h"
#include "checks/probes.h"

namespace nstopo::checks {

ProbeOutcome run_probe(const model::Check& check, const ProbeContext& context) {
  return std::visit([&](const auto& probe) -> ProbeOutcome {
    using T = std::decay_t<decltype(probe)>;
    if constexpr (std::is_same_v<T, model::PingCheck>) return ping(probe, context);
    else if constexpr (std::is_same_v<T, model::TcpCheck>) return tcp(probe, context);
    else if constexpr (std::is_same_v<T, model::HttpCheck>) return http(probe, context);
    else if constexpr (std::is_same_v<T, model::ExecCheck>) return exec(probe, context);
    else return route(probe, context);
  }, check.probe);
}

CheckResult run_check(const model::Check& check, const RunOptions& options) {
  CheckResult result{.check = &check};
  ProbeContext context{.netns_dir = options.netns_dir, .timeout = check.timeout};
  bool want = check.expect == model::CheckExpectation::succeed;
  auto start = Clock::now();
  for (int attempt = 0; attempt <= check.retries; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(options.retry_pause);
    result.attempts = attempt + 1;
    result.last = run_probe(check, context);
    result.held = result.last.succeeded == want;
    if (result.held) break;
  }
  result.elapsed = Clock::now() - start;
  return result;
}

std::vector<CheckResult> run_checks(std::span<const model::Check* const> checks,
                                    const RunOptions& options) {
  std::vector<CheckResult> results(checks.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < checks.size(); i = next++) results[i] = run_check(*checks[i], options);
  };
  size_t workers = std::clamp<size_t>(options.parallel, 1, std::max<size_t>(checks.size(), 1));
  {
    std::vector<std::jthread> pool;
    for (size_t i = 1; i < workers; ++i) pool.emplace_back(work);
    work();
  }
  return results;
}

}  // namespace nstopo::checks
