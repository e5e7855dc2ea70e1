#pragma once
// Scalar value syntax shared by the reader: integers, booleans, durations. Pure.
#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace nstopo::parse {

// "-?[0-9]+" as a number; nullopt for anything else (hex, floats, "1_000", words). A number
// beyond int64 comes back as nullopt in `value` with `overflow` set, so that it can be
// reported as out of range rather than as not a number.
struct IntegerText {
  std::optional<int64_t> value;
  bool overflow = false;
  bool is_integer() const { return value.has_value() || overflow; }
};
IntegerText parse_integer(std::string_view text);

// YAML 1.2 core booleans: true/false, True/False, TRUE/FALSE.
std::optional<bool> parse_bool(std::string_view text);

inline constexpr std::chrono::milliseconds kMaxTimeout = std::chrono::minutes(10);

// "500ms", "10s", "2m": a whole number and a unit, greater than zero and at most 10 minutes.
// The error is a full sentence naming `what` ("timeout '0s' must be greater than zero").
std::expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text,
                                                                     std::string_view what);

}  // namespace nstopo::parse

namespace nstopo::parse {

// Impairment values (model/impairment.h). Each error is a full sentence naming `what`.
// "10mbit", "512kbit", "1gbit", "8000bit": a whole number of bits per second, a whole number
// of bytes (the kernel counts bytes), from 8kbit to 16gbit. Returns bytes per second.
std::expected<uint64_t, std::string> parse_rate(std::string_view text, std::string_view what);
// "20ms", "500us", "1s": a whole number and a unit, at most 60 s. Returns microseconds.
std::expected<uint32_t, std::string> parse_delay(std::string_view text, std::string_view what);
// "1%", "0.5%", "100%": at most four decimals. Returns the kernel's probability (UINT32_MAX:
// always).
std::expected<uint32_t, std::string> parse_percent(std::string_view text, std::string_view what);

}  // namespace nstopo::parse
