#pragma once
// `nstopo check`'s reports: text for people, JSON for scripts, JUnit XML for CI.
#include <chrono>
#include <string>
#include <vector>

#include "checks/outcome.h"

namespace nstopo::cli {

struct CheckReport {
  std::string lab;
  std::string file;
  std::vector<checks::CheckResult> results;  // the checks' order
  std::chrono::duration<double> elapsed{};   // the whole run (checks run side by side)
  size_t failed() const;
};

// One line per check with its time, the evidence of each that did not hold, then a summary.
std::string check_text(const CheckReport& report);
std::string check_json(const CheckReport& report);
// <testsuites> with one <testsuite> per namespace the checks run in, one <testcase> per check.
std::string check_junit(const CheckReport& report);

}  // namespace nstopo::cli
