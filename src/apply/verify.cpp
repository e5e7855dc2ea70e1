#include "apply/verify.h"

#include <thread>

#include "model/interruption.h"
#include "plan/format.h"

namespace nstopo::apply {

std::vector<std::chrono::milliseconds> default_pauses() {
  using std::chrono::milliseconds;
  std::vector<milliseconds> pauses;
  auto every = [&](milliseconds pause, milliseconds until) {
    milliseconds total{0};
    for (auto p : pauses) total += p;
    for (; total + pause <= until; total += pause) pauses.push_back(pause);
  };
  every(milliseconds(5), milliseconds(100));
  every(milliseconds(20), milliseconds(500));
  every(milliseconds(100), milliseconds(3000));
  return pauses;
}

Result<VerifyReport> verify(const model::Topology& desired, model::Observer& observer,
                            const model::ObserveRequest& request, const VerifyOptions& options) {
  VerifyReport report;
  plan::PlanResult last;
  for (size_t attempt = 0;; ++attempt) {
    auto observed = observer.observe(request);
    if (!observed) return std::unexpected(observed.error());
    ++report.checks;
    last = plan::plan(desired, *observed);
    if (last.plan.empty() && last.conflicts.empty()) return report;
    if (attempt >= options.pauses.size()) break;
    // Every change was made; a signal stops the waiting for the kernel, not the run's result.
    if (model::interrupted())
      return fail(ErrorKind::interrupted,
                  fmt::format("interrupted by {} while verifying lab {}: every change was made, "
                              "but not yet seen in place; `nstopo plan` shows what is left",
                              model::signal_name(model::interruption_signal()), desired.name),
                  desired.name);
    if (options.sleep)
      options.sleep(options.pauses[attempt]);
    else
      std::this_thread::sleep_for(options.pauses[attempt]);
  }
  Error error{ErrorKind::verify_failed,
              fmt::format("lab {} did not converge: after {} checks the live state still differs "
                          "from the file",
                          desired.name, report.checks),
              desired.name};
  for (auto& action : last.plan.actions) error.notes.push_back(plan::format_action(action));
  for (auto& conflict : last.conflicts) error.notes.push_back("  conflict: " + conflict.message);
  return std::unexpected(std::move(error));
}

}  // namespace nstopo::apply
