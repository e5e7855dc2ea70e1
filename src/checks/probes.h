#pragma once
// One attempt of each kind of check, made inside the check's namespace ("host": nstopo's own).
// Each returns what it found; none throws, none shells out.
#include <string>

#include "checks/outcome.h"
#include "model/check.h"

namespace nstopo::checks {

struct ProbeContext {
  std::string netns_dir = "/run/netns";
  std::chrono::milliseconds timeout{2'000};  // the check's
};

ProbeOutcome ping(const model::PingCheck& check, const ProbeContext& context);
ProbeOutcome tcp(const model::TcpCheck& check, const ProbeContext& context);
ProbeOutcome http(const model::HttpCheck& check, const ProbeContext& context);
ProbeOutcome exec(const model::ExecCheck& check, const ProbeContext& context);
ProbeOutcome route(const model::RouteCheck& check, const ProbeContext& context);

// Dispatch on the check's kind.
ProbeOutcome run_probe(const model::Check& check, const ProbeContext& context);

}  // namespace nstopo::checks
