#include "parse/values.h"

#include <charconv>

#include <fmt/format.h>

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
