// The YAML tree: one document, nothing after it, positions and quoting kept.
#include <doctest/doctest.h>

#include "parse/load.h"
#include "parse/yaml_tree.h"

using namespace nstopo::parse;

namespace {

std::string report(std::string_view text) {
  auto result = load_topology_text(text, "t.yaml");
  std::string out;
  for (const auto& d : result.diagnostics) out += format_diagnostic(d);
  return out;
}

}  // namespace

TEST_CASE("a stray ',' is an error, not an endless stream of empty documents") {
  // yaml-cpp 0.7's LoadAll() never returned on this input (jbeder/yaml-cpp#1040).
  CHECK(report(",version: 1\n") ==
        "t.yaml:1:1: error: invalid YAML: did not find expected node content (found ',')\n"
        "    1 | ,version: 1\n"
        "      | ^\n");
}

TEST_CASE("content after the document is refused, not silently dropped") {
  // yaml-cpp's Load() would return {version: 1, name: x} and ignore the rest.
  CHECK(report("{version: 1, name: x} [more]\n") ==
        "t.yaml:1:23: error: invalid YAML: unexpected content after the end of the document\n"
        "    1 | {version: 1, name: x} [more]\n"
        "      |                       ^\n");
  CHECK(report("version: 1\nname: x\n...\nnamespaces: {}\n") ==
        "t.yaml:4:1: error: invalid YAML: unexpected content after the end of the document\n"
        "    4 | namespaces: {}\n"
        "      | ^\n");
}

TEST_CASE("document markers that add nothing are fine") {
  CHECK(report("---\nversion: 1\nname: x\n...\n").empty());
  CHECK(report("version: 1\nname: x\n---\n# nothing more\n").empty());
}

TEST_CASE("a file of document markers and comments is empty") {
  CHECK(report("--- # nothing\n...\n") ==
        "t.yaml: error: file is empty; a topology needs at least 'version: 1' and a 'name'\n");
}

TEST_CASE("the tree keeps repeated keys in order, quoting and positions") {
  auto parsed = parse_yaml("a: 1\nb: \"2\"\na: [x, '']\nc:\n  -\n  - y\n");
  REQUIRE(parsed.has_value());
  REQUIRE(parsed->has_value());
  const YamlNode& root = **parsed;
  REQUIRE(root.is_map());
  REQUIRE(root.items.size() == 8);
  CHECK(root.items[0].text == "a");
  CHECK(root.items[1].plain);
  CHECK_FALSE(root.items[3].plain);  // "2" was quoted
  CHECK(root.items[4].text == "a");  // the repeated key is still there
  CHECK(root.items[4].at.line == 3);
  const YamlNode& list = root.items[5];
  REQUIRE(list.is_sequence());
  CHECK(list.items[1].text.empty());
  CHECK_FALSE(list.items[1].plain);
  // An empty block list item is placed at its '-', not at the next token.
  const YamlNode& block = root.items[7];
  REQUIRE(block.items.size() == 2);
  CHECK(block.items[0].is_null());
  CHECK(block.items[0].at.line == 5);
  CHECK(block.items[0].at.column == 3);
}

TEST_CASE("libyaml's own errors come back as values with a position") {
  auto parsed = parse_yaml("a: [1, 2\n");
  REQUIRE_FALSE(parsed.has_value());
  // Where the input ended, and where the list that is not closed started.
  CHECK(parsed.error().message ==
        "invalid YAML: did not find expected ',' or ']' while parsing a flow sequence that starts "
        "at line 1, column 4");
  CHECK(parsed.error().at.line == 2);
  CHECK(parsed.error().at.column == 1);
}

TEST_CASE("a UTF-8 byte order mark does not shift positions") {
  CHECK(report("\xef\xbb\xbfversion: 1\nname: x\n---\nb: 1\n") ==
        "t.yaml:3:1: error: a topology file holds one YAML document; a second one starts here\n"
        "    3 | ---\n"
        "      | ^\n");
  CHECK(report("\xef\xbb\xbf,x\n") ==
        "t.yaml:1:1: error: invalid YAML: did not find expected node content (found ',')\n"
        "    1 | ,x\n"
        "      | ^\n");
}

TEST_CASE("a top-level key's scalar is read without parsing the rest of the document") {
  CHECK(top_level_scalar("version: 1\nname: lab1\n", "name") == "lab1");
  CHECK(top_level_scalar("{version: 1, name: 'lab 2'}", "name") == "lab 2");
  // Keys of the same name deeper down are not it; collections before it are skipped whole.
  CHECK(top_level_scalar("host:\n  name: inner\n  list: [a, {name: x}]\nname: outer\n", "name") ==
        "outer");
  // The parser stops at the value: what follows may be broken.
  CHECK(top_level_scalar("name: early\nlinks: [a, b\n  - ][ :\n", "name") == "early");
  // No answer: missing, not a scalar, not a map, or broken before the key.
  CHECK_FALSE(top_level_scalar("version: 1\n", "name").has_value());
  CHECK_FALSE(top_level_scalar("name: [a, b]\nother: 1\n", "name").has_value());
  CHECK_FALSE(top_level_scalar("name:\n  x: 1\n", "name").has_value());
  CHECK_FALSE(top_level_scalar("name:\n", "name").has_value());
  CHECK_FALSE(top_level_scalar("- name\n- x\n", "name").has_value());
  CHECK_FALSE(top_level_scalar("just text", "name").has_value());
  CHECK_FALSE(top_level_scalar("a: [1, 2\nname: late\n", "name").has_value());
}
