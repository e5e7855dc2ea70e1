// tcp checks: a connect is accepted.
#include "checks/connect.h"
#include "checks/probes.h"

namespace nstopo::checks {

ProbeOutcome tcp(const model::TcpCheck& check, const ProbeContext& context) {
  ProbeOutcome outcome;
  auto socket = connect_from(context.netns_dir, check.from, check.to, check.port,
                             Clock::now() + context.timeout, outcome);
  if (socket) {
    outcome.succeeded = true;
    outcome.summary = outcome.evidence.back();
  }
  return outcome;
}

}  // namespace nstopo::checks
