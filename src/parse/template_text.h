#pragma once
// The text of templates: ranges ("node[1-200]", "range: 1-200") and the placeholders of an
// instance's text ("10.0.{i//250}.{i%250+1}/16", "n{i:04}"). Pure string work; expand.h
// applies it to the document tree. Internal to src/parse.
//
// A placeholder is {EXPR} or {EXPR:FORMAT}. EXPR is integer arithmetic over the variable i
// (the instance's number): decimal literals, + - * // % (floor division and modulo, as in
// Python), unary minus and parentheses. FORMAT is [0][WIDTH][d|x]: "04" pads to four digits
// with zeros, "x" writes hexadecimal ("02x" for a MAC byte). "{{" and "}}" are literal braces.
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "parse/names.h"

namespace nstopo::parse {

inline constexpr int64_t kMaxRangeInstances = 100000;

// FIRST-LAST, both inclusive; `width` > 0 when FIRST is written with leading zeros
// ("0001-1000": every number padded to 4 digits).
struct RangeBounds {
  int64_t first = 0;
  int64_t last = 0;
  int width = 0;
  int64_t count() const { return last - first + 1; }
  std::string number(int64_t i) const;  // i as the range writes it
};

// A key with a range in brackets: before + [FIRST-LAST] + after.
struct KeyRange {
  std::string before, after;
  RangeBounds bounds;
  std::string name(int64_t i) const { return before + bounds.number(i) + after; }
};

// "1-200", "0001-1000": reversed, empty and too large ranges are refused.
std::expected<RangeBounds, Problem> parse_range_bounds(std::string_view text);
// nullopt: `key` has no '[' (not a range); otherwise its range or why it is refused.
std::optional<std::expected<KeyRange, Problem>> parse_key_range(std::string_view key);

// The value of EXPR for this i.
std::expected<int64_t, Problem> evaluate(std::string_view expression, int64_t i);

struct Substituted {
  std::string text;
  bool had_placeholder = false;  // at least one {EXPR}: the value is typed by its result
};
// `text` with every placeholder replaced by its value for this i.
std::expected<Substituted, Problem> substitute(std::string_view text, int64_t i);
// Whether `text` needs substitute() at all (it has a brace).
inline bool has_braces(std::string_view text) {
  return text.find_first_of("{}") != std::string_view::npos;
}

}  // namespace nstopo::parse
