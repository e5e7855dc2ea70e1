// The text of templates: range bounds, key ranges, arithmetic and placeholders.
#include "parse/template_text.h"

#include <doctest/doctest.h>

using namespace nstopo::parse;

namespace {

int64_t value(std::string_view expression, int64_t i) {
  auto result = evaluate(expression, i);
  REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
  return *result;
}

std::string error_of(std::string_view expression, int64_t i = 1) {
  auto result = evaluate(expression, i);
  REQUIRE_FALSE(result);
  return result.error().message;
}

std::string text(std::string_view templ, int64_t i) {
  auto result = substitute(templ, i);
  REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
  return result->text;
}

}  // namespace

TEST_CASE("arithmetic: + - * // % with precedence, parentheses and unary minus") {
  CHECK(value("i", 17) == 17);
  CHECK(value("i+1", 17) == 18);
  CHECK(value(" i * 2 + 3 ", 5) == 13);
  CHECK(value("2 + 3 * i", 5) == 17);
  CHECK(value("(2 + 3) * i", 5) == 25);
  CHECK(value("i//250", 749) == 2);
  CHECK(value("i%250+1", 749) == 250);
  CHECK(value("-i", 3) == -3);
  CHECK(value("10 - -i", 3) == 13);
  CHECK(value("i - 5 - 2", 10) == 3);  // left to right
  CHECK(value("100 // 10 // 5", 0) == 2);
}

TEST_CASE("// and % round toward minus infinity, as in Python") {
  CHECK(value("(i-8)//2", 1) == -4);  // -7 // 2
  CHECK(value("(i-8)%2", 1) == 1);    // -7 % 2
  CHECK(value("7 % (0-2)", 0) == -1);
}

TEST_CASE("expression errors say what is wrong") {
  CHECK(error_of("j") == "expression 'j' uses unknown variable 'j'");
  CHECK(error_of("100 // (i - 5)", 5) ==
        "expression '100 // (i - 5)' divides by zero (// 0 with i = 5)");
  CHECK(error_of("i % 0") == "expression 'i % 0' divides by zero (% 0 with i = 1)");
  CHECK(error_of("i / 2") == "expression 'i / 2' uses '/'; integer division is '//'");
  CHECK(error_of("(i + 1") == "expression '(i + 1' has a '(' that is not closed");
  CHECK(error_of("i)") == "expression 'i)' has a ')' that closes nothing");
  CHECK(error_of("") == "expression '' is empty; write e.g. {i} or {i+1}");
  CHECK(error_of("i +") == "expression 'i +' ends where a number or 'i' should be");
  CHECK(error_of("9223372036854775807 + i") == "expression '9223372036854775807 + i' overflows");
  CHECK(error_of("i * 99999999999999999999") ==
        "expression 'i * 99999999999999999999' has a number too large");
  CHECK(error_of(std::string(40, '(') + "i" + std::string(40, ')')).find("nests deeper") !=
        std::string::npos);
}

TEST_CASE("placeholders: values, formats and literal braces") {
  CHECK(text("10.0.{i//250}.{i%250+1}/16", 749) == "10.0.2.250/16");
  CHECK(text("n{i:04}", 17) == "n0017");
  CHECK(text("n{i:04}", 12345) == "n12345");
  CHECK(text("02:00:00:00:{i//256:02x}:{i%256:02x}", 4095) == "02:00:00:00:0f:ff");
  CHECK(text("{i:x}", 255) == "ff");
  CHECK(text("{i-20:04}", 3) == "-017");
  CHECK(text("awk '{{print $1}}'", 3) == "awk '{print $1}'");
  CHECK(text("no placeholder", 3) == "no placeholder");
  CHECK_FALSE(substitute("plain {{text}}", 1)->had_placeholder);
  CHECK(substitute("{i}", 1)->had_placeholder);
}

TEST_CASE("placeholder errors") {
  CHECK(substitute("n{i", 1).error().message == "'n{i' has a '{' that is not closed");
  CHECK(substitute("n}", 1).error().message == "'n}' has a '}' that closes nothing");
  CHECK(substitute("{i:4q}", 1).error().message ==
        "format '4q' of '{i:4q}' is not [0][WIDTH][d|x]");
  CHECK(substitute("{k}", 1).error().message == "expression 'k' uses unknown variable 'k'");
}

TEST_CASE("range bounds: padding from leading zeros; empty, reversed and too large refused") {
  auto plain = parse_range_bounds("1-200");
  REQUIRE(plain);
  CHECK(plain->first == 1);
  CHECK(plain->last == 200);
  CHECK(plain->count() == 200);
  CHECK(plain->number(7) == "7");
  auto padded = parse_range_bounds("0001-1000");
  REQUIRE(padded);
  CHECK(padded->number(7) == "0007");
  CHECK(padded->number(1000) == "1000");
  CHECK(parse_range_bounds("0-0")->count() == 1);
  CHECK(parse_range_bounds("").error().message == "range is empty");
  CHECK(parse_range_bounds("200-1").error().message ==
        "range '200-1' is reversed: 200 is more than 1");
  CHECK(parse_range_bounds("200-1").error().hint == "write 1-200");
  CHECK(parse_range_bounds("1-100001").error().message ==
        "range '1-100001' has 100001 instances; nstopo expands at most 100000");
  CHECK(parse_range_bounds("1-100000"));
  CHECK(parse_range_bounds("1..5").error().message ==
        "range '1..5' has no '-' between its first and last number");
  CHECK(parse_range_bounds("a-5").error().message ==
        "range 'a-5' must be two decimal numbers joined by '-'");
  CHECK(parse_range_bounds("1-").error().message ==
        "range '1-' must be two decimal numbers joined by '-'");
}

TEST_CASE("a key holds at most one range in brackets") {
  CHECK_FALSE(parse_key_range("node17").has_value());
  auto range = *parse_key_range("node[1-200]");
  REQUIRE(range);
  CHECK(range->name(17) == "node17");
  auto middle = *parse_key_range("r[01-10]x");
  REQUIRE(middle);
  CHECK(middle->name(3) == "r03x");
  CHECK(parse_key_range("n[1-2][3-4]")->error().message ==
        "bad range in 'n[1-2][3-4]': a name holds one range");
  CHECK(parse_key_range("n[1-2")->error().message == "bad range in 'n[1-2': the '[' is not closed");
  CHECK(parse_key_range("n1-2]")->error().message == "bad range in 'n1-2]': a ']' without '['");
  CHECK(parse_key_range("n[]")->error().message == "bad range in 'n[]': range is empty");
  CHECK(parse_key_range("n[9-1]")->error().message ==
        "bad range in 'n[9-1]': range '9-1' is reversed: 9 is more than 1");
}
