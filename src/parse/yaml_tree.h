#pragma once
// A YAML document as nstopo reads it: a small tree built from libyaml's parser events
// (yaml_events.h).
//
// Why libyaml: speed. A converged re-apply of a 1000-namespace file spent about 13% of its time
// in yaml-cpp's scanner; on that file libyaml's parser builds this same tree about 4.6 times
// faster (7.3 ms against 33.8 ms), and `nstopo validate` of it takes half the CPU time.
// yaml-cpp is still used to write YAML (write_topology.cpp, cli/render.cpp) and in the tests.
//
// Why not a ready-made tree (YAML::Node, libyaml's yaml_document_t): the parser is asked for one
// document and then for what follows it, so that anything after the document is refused
// (yaml-cpp's Load() read "{a: 1} b" as {a: 1}); the tree keeps repeated keys in order (a map
// type would keep one of them silently), the position of every node, and whether a scalar was
// quoted; and it is small (a YAML::Node costs about half a kilobyte).
//
// Internal to src/parse.
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
