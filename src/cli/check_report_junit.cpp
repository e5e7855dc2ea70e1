// JUnit XML as CI systems read it (Jenkins, GitLab, GitHub actions' reporters): testsuites >
// testsuite (one per namespace the checks run in) > testcase (one per check), a <failure>
// with the summary as its message and the evidence as its text.
#include <map>

#include <fmt/format.h>

#include "cli/check_report.h"

namespace nstopo::cli {
namespace {

// Text for an attribute or element: the five entities, and no character XML 1.0 forbids.
std::string xml_escape(std::string_view text, bool attribute = true) {
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      default: out += (byte < 0x20 || byte == 0x7f) ? '?' : c;
    }
  }
  return out;
}

std::string seconds(std::chrono::duration<double> elapsed) {
  return fmt::format("{:.3f}", elapsed.count());
}

}  // namespace

std::string check_junit(const CheckReport& report) {
  std::map<std::string, std::vector<const checks::CheckResult*>> suites;  // by namespace
  for (const auto& result : report.results) suites[result.check->ns()].push_back(&result);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{}\">\n",
                     xml_escape("nstopo check " + report.lab), report.results.size(),
                     report.failed(), seconds(report.elapsed));
  for (const auto& [ns, results] : suites) {
    size_t failures = 0;
    std::chrono::duration<double> total{};
    for (const auto* result : results) {
      failures += result->held ? 0 : 1;
      total += result->elapsed;
    }
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
                       "skipped=\"0\" time=\"{}\">\n",
                       xml_escape(report.lab + "." + ns), results.size(), failures, seconds(total));
    for (const auto* result : results) {
      const model::Check& check = *result->check;
      out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{}\" file=\"{}\" line=\"{}\">\n",
                         xml_escape(check.name), xml_escape(report.lab + "." + ns),
                         seconds(result->elapsed), xml_escape(report.file), check.line);
      std::string evidence = check.describe() + "\n";
      for (const auto& line : result->last.evidence) evidence += line + "\n";
      if (!result->held) {
        std::string message = check.expect == model::CheckExpectation::fail
                                  ? "succeeded, but was expected to fail: " + result->last.summary
                                  : result->last.summary;
        out += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                           xml_escape(message), check.kind(), xml_escape(evidence, false));
      }
      out += fmt::format("      <system-out>{}</system-out>\n", xml_escape(evidence, false));
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace nstopo::cli
