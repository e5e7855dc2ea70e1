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

TEST_CASE("rates are whole bits per second in bit/kbit/mbit/gbit, whole bytes, 8kbit-16gbit") {
  CHECK(parse_rate("10mbit", "rate") == 1'250'000u);
  CHECK(parse_rate("1gbit", "rate") == 125'000'000u);
  CHECK(parse_rate("512kbit", "rate") == 64'000u);
  CHECK(parse_rate("8000bit", "rate") == 1'000u);
  CHECK(parse_rate("16gbit", "rate") == 2'000'000'000u);
  CHECK(parse_rate("10", "rate").error() ==
        "rate '10' has no unit; write e.g. '10mbit' (units: bit, kbit, mbit, gbit)");
  CHECK(parse_rate("10mbps", "rate").error() ==
        "invalid rate '10mbps': write a whole number and a unit (bit, kbit, mbit or gbit), e.g. "
        "'10mbit'");
  CHECK(parse_rate("1.5mbit", "rate").has_value() == false);
  CHECK(parse_rate("-1mbit", "rate").has_value() == false);
  CHECK(parse_rate("17gbit", "rate").error() == "rate '17gbit' is out of range 8kbit-16gbit");
  CHECK(parse_rate("99999999999999999999gbit", "rate").has_value() == false);
  CHECK(parse_rate("4kbit", "rate").error() == "rate '4kbit' is out of range 8kbit-16gbit");
  CHECK(parse_rate("8001bit", "rate").error() ==
        "rate '8001bit' is not a whole number of bytes per second (the kernel counts bytes)");
}

TEST_CASE("delays are a whole number of us, ms or s, at most 60 s") {
  CHECK(parse_delay("20ms", "delay") == 20'000u);
  CHECK(parse_delay("500us", "delay") == 500u);
  CHECK(parse_delay("1s", "jitter") == 1'000'000u);
  CHECK(parse_delay("0ms", "delay") == 0u);
  CHECK(parse_delay("20", "delay").error() ==
        "delay '20' has no unit; write e.g. '20ms' (units: us, ms, s)");
  CHECK(parse_delay("1.5ms", "delay").error() ==
        "invalid delay '1.5ms': write a whole number and a unit (us, ms or s), e.g. '20ms'");
  CHECK(parse_delay("61s", "delay").error() == "delay '61s' is longer than the 60 s limit");
}

TEST_CASE("percentages have at most four decimals and become the kernel's u32 probability") {
  CHECK(parse_percent("100%", "loss") == 0xffffffffu);
  CHECK(parse_percent("0%", "loss") == 0u);
  CHECK(parse_percent("1%", "loss") == 42'949'673u);
  CHECK(parse_percent("0.5%", "loss") == 21'474'836u);
  CHECK(parse_percent("0.0001%", "loss") == 4'295u);
  CHECK(parse_percent("1", "loss").error() == "loss '1' has no unit; write e.g. '1%'");
  CHECK(parse_percent("101%", "loss").error() == "loss '101%' is more than 100%");
  CHECK(parse_percent("1.23456%", "duplicate").error() ==
        "invalid duplicate '1.23456%': write a percentage such as '1%' or '0.5%' (at most four "
        "decimals)");
  CHECK(parse_percent(".5%", "loss").has_value() == false);
  CHECK(parse_percent("5.%", "loss").has_value() == false);
}
