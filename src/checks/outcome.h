#pragma once
// What one attempt of a check found, and what a whole check came to.
#include <chrono>
#include <string>
#include <vector>

#include "model/check.h"

namespace nstopo::checks {

// One attempt of a probe. `evidence` is what was sent and what came back, in order, one line
// each ("sent echo request 1 to 10.0.0.11", "no reply within 2000 ms"), for the report.
struct ProbeOutcome {
  bool succeeded = false;
  std::string summary;  // one line: "3/3 replies", "connect: Connection refused (ECONNREFUSED)"
  std::vector<std::string> evidence;
};

struct CheckResult {
  const model::Check* check = nullptr;
  bool held = false;   // the outcome is the expected one (a probe that failed, for expect: fail)
  int attempts = 0;
  std::chrono::duration<double> elapsed{};  // all attempts and pauses
  ProbeOutcome last;   // the last attempt's
};

// "Connection refused (ECONNREFUSED)": strerror with the errno's name.
std::string errno_text(int error_number);

}  // namespace nstopo::checks
