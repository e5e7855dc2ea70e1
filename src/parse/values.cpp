#include "parse/values.h"

#include <charconv>
#include <utility>

#include <fmt/format.h>

#include "model/impairment.h"

namespace nstopo::parse {
namespace {

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

IntegerText parse_integer(std::string_view text) {
  std::string_view digits = text.starts_with('-') ? text.substr(1) : text;
  if (!all_digits(digits)) return {};
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) return {.value = std::nullopt, .overflow = true};
  if (ec != std::errc{} || end != text.data() + text.size()) return {};
  return {.value = value, .overflow = false};
}

std::optional<bool> parse_bool(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

std::expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text,
                                                                     std::string_view what) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  std::string_view number = text.substr(0, digits), unit = text.substr(digits);
  auto invalid = [&] {
    return std::unexpected(
        fmt::format("invalid {} '{}': write a whole number and a unit (ms, s "
                    "or m), e.g. '10s'",
                    what, text));
  };
  if (number.empty()) return invalid();
  if (unit.empty())
    return std::unexpected(
        fmt::format("{} '{}' has no unit; write e.g. '{}s' (units: ms, s, m)", what, text, text));
  int64_t scale = 0;
  if (unit == "ms")
    scale = 1;
  else if (unit == "s")
    scale = 1000;
  else if (unit == "m")
    scale = 60'000;
  else
    return invalid();

  auto too_long = [&] {
    return std::unexpected(
        fmt::format("{} '{}' is longer than the {} minute limit", what, text,
                    std::chrono::duration_cast<std::chrono::minutes>(kMaxTimeout).count()));
  };
  uint64_t count = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), count);
  if (ec == std::errc::result_out_of_range) return too_long();
  if (ec != std::errc{} || end != number.data() + number.size()) return invalid();
  if (count == 0)
    return std::unexpected(fmt::format("{} '{}' must be greater than zero", what, text));
  if (count > static_cast<uint64_t>(kMaxTimeout.count() / scale)) return too_long();
  return std::chrono::milliseconds(static_cast<int64_t>(count) * scale);
}

}  // namespace nstopo::parse

namespace nstopo::parse {

namespace {

// The leading digits of `text` and the rest.
std::pair<std::string_view, std::string_view> split_number(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  return {text.substr(0, digits), text.substr(digits)};
}

std::optional<uint64_t> whole_number(std::string_view digits) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

}  // namespace

std::expected<uint64_t, std::string> parse_rate(std::string_view text, std::string_view what) {
  auto [digits, unit] = split_number(text);
  auto invalid = [&] {
    return std::unexpected(fmt::format(
        "invalid {} '{}': write a whole number and a unit (bit, kbit, mbit or gbit), e.g. "
        "'10mbit'",
        what, text));
  };
  auto number = whole_number(digits);
  if (!number) return invalid();
  uint64_t scale = 0;
  if (unit == "bit")
    scale = 1;
  else if (unit == "kbit")
    scale = 1'000;
  else if (unit == "mbit")
    scale = 1'000'000;
  else if (unit == "gbit")
    scale = 1'000'000'000;
  else if (unit.empty())
    return std::unexpected(
        fmt::format("{} '{}' has no unit; write e.g. '{}mbit' (units: bit, kbit, mbit, gbit)",
                    what, text, text));
  else
    return invalid();
  constexpr uint64_t kMinBits = 8'000, kMaxBits = 16'000'000'000;
  if (*number > kMaxBits / scale || *number * scale > kMaxBits || *number * scale < kMinBits)
    return std::unexpected(
        fmt::format("{} '{}' is out of range 8kbit-16gbit", what, text));
  uint64_t bits = *number * scale;
  if (bits % 8 != 0)
    return std::unexpected(fmt::format(
        "{} '{}' is not a whole number of bytes per second (the kernel counts bytes)", what, text));
  return bits / 8;
}

std::expected<uint32_t, std::string> parse_delay(std::string_view text, std::string_view what) {
  auto [digits, unit] = split_number(text);
  auto number = whole_number(digits);
  if (!number || !(unit == "us" || unit == "ms" || unit == "s")) {
    if (number && unit.empty())
      return std::unexpected(
          fmt::format("{} '{}' has no unit; write e.g. '{}ms' (units: us, ms, s)", what, text, text));
    return std::unexpected(fmt::format(
        "invalid {} '{}': write a whole number and a unit (us, ms or s), e.g. '20ms'", what, text));
  }
  uint64_t scale = unit == "us" ? 1 : unit == "ms" ? 1'000 : 1'000'000;
  constexpr uint64_t kMax = 60'000'000;
  if (*number > kMax / scale)
    return std::unexpected(fmt::format("{} '{}' is longer than the 60 s limit", what, text));
  return static_cast<uint32_t>(*number * scale);
}

std::expected<uint32_t, std::string> parse_percent(std::string_view text, std::string_view what) {
  auto invalid = [&] {
    return std::unexpected(fmt::format(
        "invalid {} '{}': write a percentage such as '1%' or '0.5%' (at most four decimals)", what,
        text));
  };
  if (text.empty() || text.back() != '%') {
    if (!text.empty() && split_number(text).second.empty())
      return std::unexpected(
          fmt::format("{} '{}' has no unit; write e.g. '{}%'", what, text, text));
    return invalid();
  }
  std::string_view body = text.substr(0, text.size() - 1);
  auto [whole, rest] = split_number(body);
  std::string_view fraction;
  if (!rest.empty()) {
    if (rest.front() != '.') return invalid();
    auto [decimals, tail] = split_number(rest.substr(1));
    if (decimals.empty() || !tail.empty() || decimals.size() > 4) return invalid();
    fraction = decimals;
  }
  auto integer = whole_number(whole);
  if (!integer) return invalid();
  // In ten-thousandths of a percent: 100% is 1,000,000.
  uint64_t units = *integer > 100 ? 2'000'000 : *integer * 10'000;
  uint64_t place = 1'000;
  for (char digit : fraction) {
    units += static_cast<uint64_t>(digit - '0') * place;
    place /= 10;
  }
  if (units > 1'000'000)
    return std::unexpected(fmt::format("{} '{}' is more than 100%", what, text));
  return static_cast<uint32_t>((units * model::kProbabilityOne + 500'000) / 1'000'000);
}

}  // namespace nstopo::parse
