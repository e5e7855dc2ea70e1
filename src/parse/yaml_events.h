#pragma once
// libyaml's event parser, one event at a time, in nstopo's terms: positions in lines and byte
// columns, a scalar told apart from a null, libyaml's errors as a YamlProblem. Owns the parser
// and the current event (libyaml's C API wants both freed by hand). Internal to src/parse:
// yaml_tree.cpp is its only user.
#include <yaml.h>

#include <cstdint>
#include <expected>
#include <string_view>

#include "model/topology.h"
#include "parse/text_positions.h"
#include "parse/yaml_tree.h"

namespace nstopo::parse {

struct YamlEvent {
  enum class Type : uint8_t {
    document_start,
    document_end,
    stream_end,
    scalar,
    null,  // a plain, untagged "", "~", "null", "Null" or "NULL"
    alias,
    sequence_start,
    sequence_end,
    map_start,
    map_end,
  };
  Type type = Type::stream_end;
  // Where a node or a document starts; nothing for the ends (see YamlEvents::next()).
  model::SourceLocation at;
  size_t offset = 0;   // the byte where it starts (not for the ends)
  bool plain = false;  // scalar: unquoted and untagged
  bool flow = false;   // sequence or map start: [...] or {...}
  bool omitted = false;  // null: nothing written at all ("key:", an empty "-", a bare "---")
  bool explicit_start = false;  // document start: "---" (or a directive) was written
  std::string_view text;        // scalar: the value, valid until the next call to next()
};

class YamlEvents {
 public:
  // `text` must outlive the parser.
  explicit YamlEvents(std::string_view text);
  ~YamlEvents();
  YamlEvents(const YamlEvents&) = delete;
  YamlEvents& operator=(const YamlEvents&) = delete;

  // The next event after the stream's start; after stream_end or a problem, do not call again.
  std::expected<YamlEvent, YamlProblem> next();

  // Where a byte of the text stands (a position found by looking at the text itself).
  model::SourceLocation at_byte(size_t offset) { return positions_.at_byte(offset); }

  // After next() failed: whether it failed because content follows the end of a document
  // where only a "---" may (libyaml reads a second document only after a "---").
  bool met_content_after_document() const;

 private:
  YamlProblem problem();
  size_t first_byte_of_sequence(size_t offset, std::string_view problem) const;
  void release_event();

  std::string_view text_;
  yaml_parser_t parser_{};
  yaml_event_t event_{};
  bool initialized_ = false;
  bool holds_event_ = false;
  TextPositions positions_;
};

}  // namespace nstopo::parse
