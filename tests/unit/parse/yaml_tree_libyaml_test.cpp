// The YAML tree as libyaml's events build it: what a wrong mapping of those events would get
// wrong (plain or quoted, null or empty, positions in bytes, what follows the document).
#include <doctest/doctest.h>

#include <string>

#include "parse/guard.h"
#include "parse/yaml_tree.h"

using namespace nstopo::parse;

namespace {

YamlNode tree(std::string_view text) {
  auto parsed = parse_yaml(text);
  REQUIRE(parsed.has_value());
  REQUIRE(parsed->has_value());
  return **parsed;
}

YamlProblem problem(std::string_view text) {
  auto parsed = parse_yaml(text);
  REQUIRE_FALSE(parsed.has_value());
  return parsed.error();
}

}  // namespace

TEST_CASE("only an unquoted, untagged scalar is plain") {
  YamlNode root = tree("a: 1\nb: \"1\"\nc: '1'\nd: !!str 1\ne: |\n  1\n");
  REQUIRE(root.items.size() == 10);
  CHECK(root.items[1].plain);
  CHECK(root.items[1].text == "1");
  for (size_t value : {3, 5, 7, 9}) {
    CAPTURE(value);
    CHECK(root.items[value].is_scalar());
    CHECK_FALSE(root.items[value].plain);
  }
  CHECK(root.items[3].text == "1");
  CHECK(root.items[9].text == "1\n");
}

TEST_CASE("a value left out is null; an empty quoted string is a scalar") {
  YamlNode root = tree("a:\nb: \"\"\nc: ~\nd: null\ne: 'null'\nf: ''\n");
  REQUIRE(root.items.size() == 12);
  CHECK(root.items[1].is_null());
  CHECK(root.items[3].is_scalar());
  CHECK(root.items[3].text.empty());
  CHECK_FALSE(root.items[3].plain);
  CHECK(root.items[5].is_null());
  CHECK(root.items[7].is_null());
  CHECK(root.items[9].is_scalar());  // quoted: the text null, not a null
  CHECK(root.items[9].text == "null");
  CHECK(root.items[11].is_scalar());
}

TEST_CASE("an empty block list item is a null at its '-'") {
  // libyaml places it just after the "-"; in an indented list, a list under a key without
  // indentation, after a "- - " and before a CRLF alike.
  YamlNode root = tree("a:\n  -\n  - x\n  - ~\nb:\n-\n- - y\n  -\nc:\r\n  -\r\n");
  const YamlNode& a = root.items[1];
  REQUIRE(a.items.size() == 3);
  CHECK(a.items[0].is_null());
  CHECK(a.items[0].at.line == 2);
  CHECK(a.items[0].at.column == 3);
  CHECK(a.items[2].is_null());
  CHECK(a.items[2].at.line == 4);
  CHECK(a.items[2].at.column == 3);
  const YamlNode& b = root.items[3];
  REQUIRE(b.items.size() == 2);
  CHECK(b.items[0].is_null());
  CHECK(b.items[0].at.line == 6);
  CHECK(b.items[0].at.column == 1);
  REQUIRE(b.items[1].items.size() == 2);
  CHECK(b.items[1].items[1].is_null());
  CHECK(b.items[1].items[1].at.line == 8);
  CHECK(b.items[1].items[1].at.column == 3);
  const YamlNode& c = root.items[5];
  REQUIRE(c.items.size() == 1);
  CHECK(c.items[0].at.line == 10);
  CHECK(c.items[0].at.column == 3);
}

TEST_CASE("columns count bytes, not characters") {
  // libyaml counts characters: 'ü' is one to it and two bytes to every diagnostic.
  YamlNode root = tree("ü: [é, x]\n\"ß\": y\n");
  CHECK(root.items[1].at.column == 5);
  CHECK(root.items[1].items[1].at.column == 10);
  CHECK(root.items[3].at.line == 2);
  CHECK(root.items[3].at.column == 7);
}

TEST_CASE("a second document is refused at its '---'") {
  auto second = problem("a: 1\n---\nb: 2\n");
  CHECK(second.message == "a topology file holds one YAML document; a second one starts here");
  CHECK(second.at.line == 2);
  CHECK(second.at.column == 1);
  // "---" with nothing after it, even twice, adds nothing.
  CHECK(tree("a: 1\n---\n---\n# end\n").items.size() == 2);
  auto null_document = problem("a: 1\n---\n---\n~\n");  // a null written out is content
  CHECK(null_document.at.line == 3);
}

TEST_CASE("content after the end of the document is refused where it starts") {
  auto after = problem("a: 1\n...\n  b: 2\n");
  CHECK(after.message == "invalid YAML: unexpected content after the end of the document");
  CHECK(after.at.line == 3);
  CHECK(after.at.column == 3);
}

TEST_CASE("an alias is refused by the parser too, where it stands") {
  auto alias = problem("a: &x 1\nb: [*x]\n");
  CHECK(alias.message == kAliasRefusal);
  CHECK(alias.at.line == 2);
  CHECK(alias.at.column == 5);
}

TEST_CASE("a syntax error names its line and column") {
  auto colon = problem("a: 1\nb: c: d\n");
  CHECK(colon.message == "invalid YAML: mapping values are not allowed in this context");
  CHECK(colon.at.line == 2);
  CHECK(colon.at.column == 5);
  // A quote left open to the end of the file (yaml-cpp read it as closed there).
  auto quote = problem("a: 'open\nb: 1\n");
  CHECK(quote.message ==
        "invalid YAML: found unexpected end of stream while scanning a quoted scalar that starts "
        "at line 1, column 4");
  CHECK(quote.at.line == 3);
  // A tab where indentation is expected, under the tab.
  auto tab = problem("a:\n\t- x\n");
  CHECK(tab.at.line == 2);
  CHECK(tab.at.column == 1);
}

TEST_CASE("bytes that are not UTF-8 are refused at the first of them") {
  // Latin-1 'é' reads as the first byte of a three-byte sequence that the space breaks.
  auto latin1 = problem("a: 1\nb: caf\xe9 au lait\n");
  CHECK(latin1.message ==
        "invalid YAML: invalid trailing UTF-8 octet; a topology file is UTF-8 text");
  CHECK(latin1.at.line == 2);
  CHECK(latin1.at.column == 7);
  auto stray = problem("a: \xc3\xa9\x80\n");  // 'é' and then a byte that cannot start one
  CHECK(stray.message ==
        "invalid YAML: invalid leading UTF-8 octet; a topology file is UTF-8 text");
  CHECK(stray.at.column == 6);
}

TEST_CASE("top_level_scalar finds the name in a big file and stops there") {
  std::string big = "version: 1\nnamespaces:\n";
  for (int i = 0; i < 20000; ++i) big += "  ns" + std::to_string(i) + ": {mtu: 1500}\n";
  CHECK(top_level_scalar(big + "name: last\n", "name") == "last");
  // First, and followed by a file broken everywhere: nothing after the value is parsed (but
  // the next line's first token, which tells libyaml that "first" is not a key).
  std::string broken = "name: first\nlinks: [\n";
  for (int i = 0; i < 20000; ++i) broken += "][ : - '\n";
  CHECK_FALSE(parse_yaml(broken).has_value());
  CHECK(top_level_scalar(broken, "name") == "first");
  // Broken before the key: no answer, however well-formed the key is.
  CHECK_FALSE(top_level_scalar("a: b: c\nname: x\n", "name").has_value());
  CHECK_FALSE(top_level_scalar("a: 'open\nname: x\n", "name").has_value());
  CHECK_FALSE(top_level_scalar("a: 1\n---\nname: x\n", "name").has_value());
}
