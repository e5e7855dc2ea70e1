#pragma once
// A YAML document as nstopo reads it: a small tree built from yaml-cpp's parser events.
//
// Why not YAML::Node: in yaml-cpp 0.7, LoadAll() loops forever, adding an empty document each
// time, when the parser cannot consume a token (a stray ',' at the top: jbeder/yaml-cpp#1040,
// fixed upstream after 0.7); Load() silently ignores whatever follows the first document
// ("{a: 1} b" reads as {a: 1}); and a YAML::Node costs about half a kilobyte. Here the parser is
// asked for one document and then for exactly one more event, so that anything after the
// document is refused; the tree keeps repeated keys in order (yaml-cpp would keep one of them
// silently), the position of every node, and whether a scalar was quoted.
//
// Internal to src/parse; the only file that includes yaml-cpp is yaml_tree.cpp.
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/topology.h"

namespace nstopo::parse {

struct YamlNode {
  enum class Kind : uint8_t { null, scalar, sequence, map };
  Kind kind = Kind::null;
  bool plain = false;  // a scalar without quotes or tag: the only kind read as a number or bool
  model::SourceLocation at;
  std::string text;             // a scalar's value
  std::vector<YamlNode> items;  // a sequence's items; a map's keys and values: k, v, k, v, ...

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_map() const { return kind == Kind::map; }
};

struct YamlProblem {
  model::SourceLocation at;  // line 0: the whole file
  std::string message;
};

// The one document in `text`; nullopt when there is none (an empty file, only comments).
std::expected<std::optional<YamlNode>, YamlProblem> parse_yaml(std::string_view text);

// The value of the top-level key `key` when it is a scalar, read without parsing the rest of
// the document: the parser stops right after it. nullopt when the document is not a map, the
// key is missing or not a scalar, or the YAML is broken before it.
std::optional<std::string> top_level_scalar(std::string_view text, std::string_view key);

}  // namespace nstopo::parse
