// check's reports from given results: the text lines, the JUnit XML's structure and escaping.
#include <doctest/doctest.h>

#include "cli/check_report.h"

using namespace nstopo;

namespace {

model::Check ping_check(std::string name, std::string from, model::CheckExpectation expect) {
  model::PingCheck ping{.from = from, .to_text = "10.0.0.1", .targets = {*model::IpAddress::parse("10.0.0.1")}};
  return model::Check{.name = std::move(name), .probe = ping, .expect = expect, .line = 7};
}

}  // namespace

TEST_CASE("the reports say which checks held, with evidence for the others") {
  auto held = ping_check("ok-one", "host", model::CheckExpectation::succeed);
  auto broken = ping_check("bad<one>", "ns1", model::CheckExpectation::fail);
  cli::CheckReport report{.lab = "lab", .file = "t.yaml"};
  report.results.push_back({.check = &held, .held = true, .attempts = 1,
                            .elapsed = std::chrono::milliseconds(12),
                            .last = {.succeeded = true, .summary = "10.0.0.1: 1/1 replies", .evidence = {"reply"}}});
  report.results.push_back({.check = &broken, .held = false, .attempts = 2,
                            .elapsed = std::chrono::milliseconds(1500),
                            .last = {.succeeded = true, .summary = "10.0.0.1: 1/1 replies & \"more\"",
                                     .evidence = {"echo request 1 to 10.0.0.1: reply in 0.1 ms"}}});
  report.elapsed = std::chrono::milliseconds(1500);
  CHECK(report.failed() == 1);

  auto text = cli::check_text(report);
  CHECK(text.find("ok    ok-one") != std::string::npos);
  CHECK(text.find("FAIL  bad<one>") != std::string::npos);
  CHECK(text.find("succeeded, but was expected to fail: 10.0.0.1: 1/1 replies") != std::string::npos);
  CHECK(text.find("(2 attempts)") != std::string::npos);
  CHECK(text.find("      | echo request 1 to 10.0.0.1: reply in 0.1 ms") != std::string::npos);
  CHECK(text.find("2 checks: 1 held, 1 failed (1.50 s)") != std::string::npos);

  auto xml = cli::check_junit(report);
  CHECK(xml.find("<testsuites name=\"nstopo check lab\" tests=\"2\" failures=\"1\" errors=\"0\" time=\"1.500\">") != std::string::npos);
  CHECK(xml.find("<testsuite name=\"lab.host\" tests=\"1\" failures=\"0\"") != std::string::npos);
  CHECK(xml.find("<testsuite name=\"lab.ns1\" tests=\"1\" failures=\"1\"") != std::string::npos);
  CHECK(xml.find("<testcase name=\"bad&lt;one&gt;\" classname=\"lab.ns1\" time=\"1.500\" file=\"t.yaml\" line=\"7\">") != std::string::npos);
  CHECK(xml.find("message=\"succeeded, but was expected to fail: 10.0.0.1: 1/1 replies &amp; &quot;more&quot;\" type=\"ping\"") != std::string::npos);

  auto json = cli::check_json(report);
  CHECK(json.find("\"command\": \"check\"") != std::string::npos);
  CHECK(json.find("\"schema_version\": 1") != std::string::npos);
}
