#include <fmt/format.h>

#include "checks/connect.h"
#include "cli/check_report.h"

namespace nstopo::cli {

size_t CheckReport::failed() const {
  size_t count = 0;
  for (const auto& result : results) count += result.held ? 0 : 1;
  return count;
}

std::string check_text(const CheckReport& report) {
  size_t width = 4;
  for (const auto& result : report.results) width = std::max(width, result.check->name.size());
  std::string out;
  for (const auto& result : report.results) {
    const model::Check& check = *result.check;
    bool expect_fail = check.expect == model::CheckExpectation::fail;
    std::string detail = result.last.summary;
    if (expect_fail) detail = (result.last.succeeded ? "succeeded, but was expected to fail: "
                                                     : "failed as expected: ") + detail;
    if (result.attempts > 1) detail += fmt::format(" ({} attempts)", result.attempts);
    out += fmt::format("{:<4}  {:<{}}  {:>8}  {}\n", result.held ? "ok" : "FAIL", check.name, width,
                       checks::format_duration(result.elapsed), detail);
    if (!result.held) {
      out += fmt::format("      {} (line {})\n", check.describe(), check.line);
      for (const auto& line : result.last.evidence) out += "      | " + line + "\n";
    }
  }
  size_t failed = report.failed();
  out += fmt::format("{} check{}: {} held, {} failed ({})\n", report.results.size(),
                     report.results.size() == 1 ? "" : "s", report.results.size() - failed, failed,
                     checks::format_duration(report.elapsed));
  return out;
}

}  // namespace nstopo::cli
