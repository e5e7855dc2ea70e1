#include <doctest/doctest.h>

#include "parse/values.h"

using namespace nstopo::parse;
using namespace std::chrono_literals;

TEST_CASE("durations are a whole number and a unit, above zero and at most 10 minutes") {
  CHECK(parse_duration("500ms", "timeout") == 500ms);
  CHECK(parse_duration("10s", "timeout") == 10s);
  CHECK(parse_duration("2m", "timeout") == 2min);
  CHECK(parse_duration("10m", "timeout") == 10min);
  CHECK(parse_duration("600000ms", "timeout") == 10min);
  CHECK(parse_duration("10", "timeout").error() ==
        "timeout '10' has no unit; write e.g. '10s' (units: ms, s, m)");
  CHECK(parse_duration("0s", "timeout").error() == "timeout '0s' must be greater than zero");
  CHECK(parse_duration("601s", "stop_timeout").error() ==
        "stop_timeout '601s' is longer than the 10 minute limit");
  CHECK(parse_duration("99999999999999999999999m", "timeout").error() ==
        "timeout '99999999999999999999999m' is longer than the 10 minute limit");
  CHECK(parse_duration("1.5s", "timeout").error() ==
        "invalid timeout '1.5s': write a whole number and a unit (ms, s or m), e.g. '10s'");
  CHECK(parse_duration("10h", "timeout").error() ==
        "invalid timeout '10h': write a whole number and a unit (ms, s or m), e.g. '10s'");
  CHECK(parse_duration("s", "timeout").error() ==
        "invalid timeout 's': write a whole number and a unit (ms, s or m), e.g. '10s'");
}

TEST_CASE("integers are plain decimal, and overflow is told apart from not-a-number") {
  CHECK(parse_integer("1500").value == 1500);
  CHECK(parse_integer("-5").value == -5);
  CHECK_FALSE(parse_integer("0x10").is_integer());
  CHECK_FALSE(parse_integer("1.0").is_integer());
  CHECK_FALSE(parse_integer("").is_integer());
  CHECK_FALSE(parse_integer("-").is_integer());
  auto huge = parse_integer("99999999999999999999");
  CHECK(huge.is_integer());
  CHECK(huge.overflow);
  CHECK_FALSE(huge.value.has_value());
}

TEST_CASE("booleans are YAML 1.2 core true/false only") {
  CHECK(parse_bool("true") == true);
  CHECK(parse_bool("False") == false);
  CHECK_FALSE(parse_bool("yes").has_value());
  CHECK_FALSE(parse_bool("1").has_value());
}
