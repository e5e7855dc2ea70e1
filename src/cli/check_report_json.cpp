#include <nlohmann/json.hpp>

#include "cli/check_report.h"

namespace nstopo::cli {

std::string check_json(const CheckReport& report) {
  auto entries = nlohmann::json::array();
  for (const auto& result : report.results) {
    const model::Check& check = *result.check;
    entries.push_back({
        {"kind", "check"},
        {"namespace", check.ns()},
        {"name", check.name},
        {"check", check.kind()},
        {"description", check.describe()},
        {"line", check.line},
        {"expect", check.expect == model::CheckExpectation::succeed ? "succeed" : "fail"},
        {"held", result.held},
        {"probe_succeeded", result.last.succeeded},
        {"attempts", result.attempts},
        {"seconds", result.elapsed.count()},
        {"summary", result.last.summary},
        {"evidence", result.last.evidence},
    });
  }
  size_t failed = report.failed();
  nlohmann::json document{
      {"schema_version", 1},
      {"command", "check"},
      {"lab", report.lab},
      {"file", report.file},
      {"checks", entries},
      {"summary",
       {{"total", report.results.size()},
        {"held", report.results.size() - failed},
        {"failed", failed},
        {"seconds", report.elapsed.count()}}},
  };
  return document.dump(2) + "\n";
}

}  // namespace nstopo::cli
