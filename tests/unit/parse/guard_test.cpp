// Hostile input is refused by the guard before the YAML parser sees it; ordinary YAML is not.
#include <string>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "parse/guard.h"
#include "parse/load.h"

using namespace nstopo::parse;
using namespace std::string_view_literals;

namespace {

constexpr std::string_view kAliasMessage =
    "YAML aliases (*name) are not supported: a topology has no use for them, and they can "
    "expand a small file into an enormous one";

std::string billion_laughs() {
  std::string text = "version: 1\nname: bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char level = 'b'; level <= 'j'; ++level) {
    text += fmt::format("{}: &{} [", level, level);
    for (int i = 0; i < 10; ++i)
      text += fmt::format("{}*{}", i ? "," : "", static_cast<char>(level - 1));
    text += "]\n";
  }
  return text;
}

// The only diagnostic, formatted.
std::string only_diagnostic(std::string_view text) {
  auto result = load_topology_text(text, "t.yaml");
  REQUIRE(result.diagnostics.size() == 1);
  return format_diagnostic(result.diagnostics[0]);
}

}  // namespace

TEST_CASE("an alias bomb is refused at its first alias") {
  auto result = load_topology_text(billion_laughs(), "bomb.yaml");
  REQUIRE(result.diagnostics.size() == 1);
  const auto& d = result.diagnostics[0];
  CHECK(d.message == kAliasMessage);
  CHECK(d.line == 4);
  CHECK(d.column == 8);
}

TEST_CASE("10000 nested flow lists are refused at level 65") {
  std::string text = "version: 1\nname: deep\nnamespaces: " + std::string(10000, '[') + "\n";
  auto result = load_topology_text(text, "deep.yaml");
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].message ==
        "YAML nesting is deeper than 64 levels; nstopo refuses such input (a topology needs "
        "fewer than 10)");
  CHECK(result.diagnostics[0].line == 3);
  CHECK(result.diagnostics[0].column == 13 + 63);  // the root map is one level
}

TEST_CASE("deeply nested block maps are refused too") {
  // 10000 levels of indentation would be 50 MB; 200 show the same.
  std::string text = "version: 1\nname: deep\n";
  for (int i = 0; i < 200; ++i) text += std::string(static_cast<size_t>(i), ' ') + "a:\n";
  auto result = load_topology_text(text, "deep.yaml");
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].message.starts_with("YAML nesting is deeper than 64 levels"));
  CHECK(result.diagnostics[0].line == 2 + 65);
}

TEST_CASE("10000 compact block sequences on one line are refused") {
  std::string compact = "version: 1\nname: deep\nx:\n";
  for (int i = 0; i < 10000; ++i) compact += "- ";
  compact += "a\n";
  auto result = load_topology_text(compact, "deep.yaml");
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].message.starts_with("YAML nesting is deeper than 64 levels"));
  CHECK(result.diagnostics[0].line == 4);
}

TEST_CASE("the node limit bounds what the YAML parser would allocate") {
  std::string text = "[";
  for (int i = 0; i < 100; ++i) text += "a,";
  text += "a]";
  CHECK_FALSE(find_hostile_input(text, {.max_depth = 64, .max_nodes = 200}).has_value());
  auto hostile = find_hostile_input(text, {.max_depth = 64, .max_nodes = 50});
  REQUIRE(hostile.has_value());
  CHECK(hostile->message ==
        "the file has more than 50 YAML nodes; nstopo refuses it to bound memory use");
}

TEST_CASE("a '*' that is not an alias passes the guard") {
  const char* texts[] = {
      "a: \"*quoted\"\n",
      "a: '*single'\n",
      "a: plain*star\n",
      "a: two words *star\n",
      "a: [x *y, 'z']\n",
      "a: 1 # a comment with *star\n",
      "a: |\n  *block\n   *deeper\nb: 2\n",
      "- >\n  *folded\n- x\n",
      "a: \"multi\n  line *star\"\nb: 'it''s *fine'\n",
      "a: &anchor x\n",
      "a: {k: v*w}\n",
      "a: http://x/*\n",
  };
  for (const char* text : texts) {
    INFO(text);
    CHECK_FALSE(find_hostile_input(text).has_value());
  }
}

TEST_CASE("aliases are found in block and flow context, as values and as keys") {
  const char* texts[] = {"a: &x 1\nb: *x\n", "a: [1, *x]\n", "- *x\n",
                         "*x : 1\n",         "a: {k: *x}\n", "a: !tag *x\n"};
  for (const char* text : texts) {
    INFO(text);
    auto hostile = find_hostile_input(text);
    REQUIRE(hostile.has_value());
    CHECK(hostile->message == kAliasMessage);
  }
}

TEST_CASE("a control character is refused with its position") {
  CHECK(only_diagnostic("version: 1\nna\0me: x\n"sv) ==
        "t.yaml:2:3: error: the file contains byte 0x00, a control character YAML does not "
        "allow; is it a text file?\n"
        "    2 | na?me: x\n"
        "      |   ^\n");
}

TEST_CASE("the topologies' own YAML passes the guard") {
  std::string text =
      "# c\nversion: 1\nname: x\nnamespaces:\n  a:\n    services:\n      s:\n"
      "        command: [sh, -c, 'echo *']\n        ready: {exec: [\"true\"], timeout: 1s}\n"
      "---\n";
  CHECK_FALSE(find_hostile_input(text).has_value());
}
