#include "parse/template_text.h"

#include <fmt/format.h>

#include <charconv>

namespace nstopo::parse {
namespace {

constexpr int kMaxNesting = 32;  // parentheses; a deeper expression is refused, not recursed

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

std::optional<int64_t> decimal(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Python's floor division and modulo: -7 // 2 is -4, -7 % 2 is 1.
int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

// Recursive descent over one expression:
//   sum := product (('+' | '-') product)*
//   product := unary (('*' | '//' | '%') unary)*
//   unary := ('-' | '+') unary | NUMBER | 'i' | '(' sum ')'
class Evaluator {
 public:
  Evaluator(std::string_view text, int64_t i) : text_(text), i_(i) {}

  std::expected<int64_t, Problem> run() {
    skip_space();
    if (pos_ == text_.size()) return fail("is empty; write e.g. {i} or {i+1}");
    auto value = sum(0);
    if (!value) return value;
    skip_space();
    if (pos_ != text_.size()) {
      if (text_[pos_] == ')') return fail("has a ')' that closes nothing");
      return fail(fmt::format("has an unexpected '{}'", text_[pos_]));
    }
    return value;
  }

 private:
  using Value = std::expected<int64_t, Problem>;

  Value fail(std::string what, std::string hint = {}) const {
    return std::unexpected(
        Problem{fmt::format("expression '{}' {}", text_, what), std::move(hint)});
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool take(std::string_view token) {
    skip_space();
    if (!text_.substr(pos_).starts_with(token)) return false;
    pos_ += token.size();
    return true;
  }

  Value sum(int depth) {
    auto left = product(depth);
    while (left) {
      int64_t result = 0;
      if (take("+")) {
        auto right = product(depth);
        if (!right) return right;
        if (__builtin_add_overflow(*left, *right, &result)) return fail("overflows");
      } else if (take("-")) {
        auto right = product(depth);
        if (!right) return right;
        if (__builtin_sub_overflow(*left, *right, &result)) return fail("overflows");
      } else {
        break;
      }
      left = result;
    }
    return left;
  }

  Value product(int depth) {
    auto left = unary(depth);
    while (left) {
      int64_t result = 0;
      if (take("*")) {
        auto right = unary(depth);
        if (!right) return right;
        if (__builtin_mul_overflow(*left, *right, &result)) return fail("overflows");
      } else if (take("//") || take("%")) {
        bool modulo = text_[pos_ - 1] == '%';
        auto right = unary(depth);
        if (!right) return right;
        if (*right == 0)
          return fail(fmt::format("divides by zero ({} with i = {})", modulo ? "% 0" : "// 0", i_));
        if (*left == INT64_MIN && *right == -1) return fail("overflows");
        result = modulo ? floor_mod(*left, *right) : floor_div(*left, *right);
      } else if (take("/")) {
        return fail("uses '/'; integer division is '//'", "e.g. {i//250}");
      } else {
        break;
      }
      left = result;
    }
    return left;
  }

  Value unary(int depth) {
    if (depth > kMaxNesting) return fail(fmt::format("nests deeper than {}", kMaxNesting));
    if (take("-")) {
      auto value = unary(depth + 1);
      if (!value) return value;
      if (*value == INT64_MIN) return fail("overflows");
      return -*value;
    }
    if (take("+")) return unary(depth + 1);
    if (take("(")) {
      auto value = sum(depth + 1);
      if (!value) return value;
      if (!take(")")) return fail("has a '(' that is not closed");
      return value;
    }
    skip_space();
    if (pos_ == text_.size()) return fail("ends where a number or 'i' should be");
    size_t start = pos_;
    if (is_digit(text_[pos_])) {
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
      auto number = decimal(text_.substr(start, pos_ - start));
      if (!number) return fail("has a number too large");
      return *number;
    }
    if (is_identifier_char(text_[pos_])) {
      while (pos_ < text_.size() && is_identifier_char(text_[pos_])) ++pos_;
      auto name = text_.substr(start, pos_ - start);
      if (name == "i") return i_;
      return fail(fmt::format("uses unknown variable '{}'", name),
                  "a range defines one variable, 'i' (the instance's number)");
    }
    return fail(fmt::format("has an unexpected '{}'", text_[pos_]));
  }

  std::string_view text_;
  int64_t i_;
  size_t pos_ = 0;
};

// FORMAT of {EXPR:FORMAT}: [0][WIDTH][d|x].
std::expected<std::string, Problem> format_value(int64_t value, std::string_view spec,
                                                 std::string_view placeholder) {
  auto refuse = [&] {
    return std::unexpected(
        Problem{fmt::format("format '{}' of '{{{}}}' is not [0][WIDTH][d|x]", spec, placeholder),
                "e.g. {i:04} pads to four digits, {i:02x} writes two hex digits"});
  };
  bool zero = spec.starts_with('0');
  if (zero) spec.remove_prefix(1);
  char type = 'd';
  if (!spec.empty() && (spec.back() == 'd' || spec.back() == 'x')) {
    type = spec.back();
    spec.remove_suffix(1);
  }
  int width = 0;
  if (!spec.empty()) {
    auto parsed = decimal(spec);
    if (!parsed || *parsed > 20) return refuse();
    width = static_cast<int>(*parsed);
  }
  if (zero && width == 0 && !spec.empty()) return refuse();
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  std::string digits = type == 'x' ? fmt::format("{:x}", magnitude) : fmt::format("{}", magnitude);
  std::string sign = value < 0 ? "-" : "";
  int pad = width - static_cast<int>(sign.size() + digits.size());
  if (pad <= 0) return sign + digits;
  if (zero) return sign + std::string(static_cast<size_t>(pad), '0') + digits;
  return std::string(static_cast<size_t>(pad), ' ') + sign + digits;
}

}  // namespace

std::string RangeBounds::number(int64_t i) const {
  if (width == 0) return fmt::format("{}", i);
  return fmt::format("{:0{}}", i, width);
}

std::expected<RangeBounds, Problem> parse_range_bounds(std::string_view text) {
  constexpr std::string_view kHint = "a range is FIRST-LAST, e.g. 1-200 or 0001-1000";
  if (text.empty()) return std::unexpected(Problem{"range is empty", std::string(kHint)});
  auto dash = text.find('-');
  if (dash == std::string_view::npos)
    return std::unexpected(
        Problem{fmt::format("range '{}' has no '-' between its first and last number", text),
                std::string(kHint)});
  auto first_text = text.substr(0, dash), last_text = text.substr(dash + 1);
  auto all_digits = [](std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
      if (!is_digit(c)) return false;
    return true;
  };
  if (!all_digits(first_text) || !all_digits(last_text))
    return std::unexpected(
        Problem{fmt::format("range '{}' must be two decimal numbers joined by '-'", text),
                std::string(kHint)});
  auto first = decimal(first_text), last = decimal(last_text);
  if (!first || !last || *first > 1'000'000'000'000 || *last > 1'000'000'000'000)
    return std::unexpected(Problem{fmt::format("range '{}' has a number too large", text), {}});
  if (*first > *last)
    return std::unexpected(
        Problem{fmt::format("range '{}' is reversed: {} is more than {}", text, *first, *last),
                fmt::format("write {}-{}", last_text, first_text)});
  RangeBounds bounds{.first = *first, .last = *last, .width = 0};
  if (first_text.size() > 1 && first_text.front() == '0')
    bounds.width = static_cast<int>(first_text.size());
  if (bounds.count() > kMaxRangeInstances)
    return std::unexpected(
        Problem{fmt::format("range '{}' has {} instances; nstopo expands at most {}", text,
                            bounds.count(), kMaxRangeInstances),
                {}});
  return bounds;
}

std::optional<std::expected<KeyRange, Problem>> parse_key_range(std::string_view key) {
  auto open = key.find('[');
  auto close_alone = key.find(']');
  if (open == std::string_view::npos && close_alone == std::string_view::npos) return std::nullopt;
  auto refuse = [&](std::string message) -> std::expected<KeyRange, Problem> {
    return std::unexpected(
        Problem{fmt::format("bad range in '{}': {}", key, message),
                "a range in a name is [FIRST-LAST], e.g. node[1-200] or n[0001-1000]"});
  };
  if (open == std::string_view::npos) return refuse("a ']' without '['");
  auto close = key.find(']', open);
  if (close == std::string_view::npos) return refuse("the '[' is not closed");
  if (key.find_first_of("[]", close + 1) != std::string_view::npos ||
      key.find('[', open + 1) < close)
    return refuse("a name holds one range");
  auto bounds = parse_range_bounds(key.substr(open + 1, close - open - 1));
  if (!bounds) {
    return std::unexpected(Problem{
        fmt::format("bad range in '{}': {}", key, bounds.error().message), bounds.error().hint});
  }
  return KeyRange{std::string(key.substr(0, open)), std::string(key.substr(close + 1)), *bounds};
}

std::expected<int64_t, Problem> evaluate(std::string_view expression, int64_t i) {
  return Evaluator(expression, i).run();
}

std::expected<Substituted, Problem> substitute(std::string_view text, int64_t i) {
  Substituted out;
  out.text.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    char c = text[pos];
    if (c == '}') {
      if (pos + 1 < text.size() && text[pos + 1] == '}') {
        out.text += '}';
        pos += 2;
        continue;
      }
      return std::unexpected(Problem{fmt::format("'{}' has a '}}' that closes nothing", text),
                                     "write '}}' for a literal '}'"});
    }
    if (c != '{') {
      out.text += c;
      ++pos;
      continue;
    }
    if (pos + 1 < text.size() && text[pos + 1] == '{') {
      out.text += '{';
      pos += 2;
      continue;
    }
    auto close = text.find_first_of("{}", pos + 1);
    if (close == std::string_view::npos || text[close] == '{')
      return std::unexpected(Problem{fmt::format("'{}' has a '{{' that is not closed", text),
                                     "write '{{' for a literal '{'"});
    auto placeholder = text.substr(pos + 1, close - pos - 1);
    auto colon = placeholder.find(':');
    auto value = evaluate(placeholder.substr(0, colon), i);
    if (!value) return std::unexpected(value.error());
    if (colon == std::string_view::npos) {
      out.text += fmt::format("{}", *value);
    } else {
      auto formatted = format_value(*value, placeholder.substr(colon + 1), placeholder);
      if (!formatted) return std::unexpected(formatted.error());
      out.text += *formatted;
    }
    out.had_placeholder = true;
    pos = close + 1;
  }
  return out;
}

}  // namespace nstopo::parse
