// route checks: the kernel's route lookup for the destination (no traffic), its gateway and
// device compared with the check's.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/probes.h"
#include "kernel/rtnl/route_lookup.h"

namespace nstopo::checks {

ProbeOutcome route(const model::RouteCheck& check, const ProbeContext& context) {
  ProbeOutcome outcome;
  outcome.evidence.push_back(fmt::format("asked the kernel in {}: route get {}", check.in, check.to));
  auto answer = kernel::lookup_route(context.netns_dir, check.in, check.to);
  if (!answer) {
    outcome.summary = answer.error().describe();
    outcome.evidence.push_back(outcome.summary);
    return outcome;
  }
  outcome.evidence.push_back("kernel says: " + answer->to_string());
  std::vector<std::string> wrong;
  if (check.via && answer->gateway != check.via)
    wrong.push_back(fmt::format("gateway {} where {} was expected",
                                answer->gateway ? answer->gateway->to_string() : "none (direct)",
                                *check.via));
  if (check.dev && answer->dev != *check.dev)
    wrong.push_back(fmt::format("device {} where {} was expected",
                                answer->dev.empty() ? "none" : answer->dev, *check.dev));
  outcome.succeeded = wrong.empty();
  outcome.summary = wrong.empty() ? answer->to_string() : fmt::format("{}", fmt::join(wrong, "; "));
  return outcome;
}

}  // namespace nstopo::checks
