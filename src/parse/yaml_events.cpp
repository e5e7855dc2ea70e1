#include "parse/yaml_events.h"

#include <fmt/format.h>

namespace nstopo::parse {
namespace {

std::string_view view(const yaml_char_t* text, size_t length) {
  return {reinterpret_cast<const char*>(text), length};
}
std::string_view view(const char* text) { return text == nullptr ? "" : text; }

// The words YAML reads as null when written plain; yaml-cpp made them null nodes too.
bool is_null_word(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

// The indicators a misplaced token starts with; libyaml's parser errors say what was expected,
// not what was found, and a stray ',' is easier to see named.
bool is_indicator(char c) { return std::string_view(",[]{}:?-|>!&*%@`#'\"").contains(c); }

}  // namespace

// libyaml points at the byte that broke a UTF-8 sequence ("caf\xe9 au": at the space); the
// caret reads better under the sequence's first byte, the one that is not what it seems.
size_t YamlEvents::first_byte_of_sequence(size_t offset, std::string_view problem) const {
  if (problem != "invalid trailing UTF-8 octet" || offset > text_.size()) return offset;
  size_t start = offset;
  while (start > 0 && (static_cast<unsigned char>(text_[start - 1]) & 0xc0) == 0x80) --start;
  bool leading = start > 0 && (static_cast<unsigned char>(text_[start - 1]) & 0xc0) == 0xc0;
  return leading ? start - 1 : offset;
}

YamlEvents::YamlEvents(std::string_view text) : text_(text), positions_(text) {
  initialized_ = yaml_parser_initialize(&parser_) != 0;
  if (initialized_)
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
}

YamlEvents::~YamlEvents() {
  release_event();
  if (initialized_) yaml_parser_delete(&parser_);
}

void YamlEvents::release_event() {
  if (holds_event_) yaml_event_delete(&event_);
  holds_event_ = false;
}

std::expected<YamlEvent, YamlProblem> YamlEvents::next() {
  if (!initialized_) return std::unexpected(YamlProblem{{}, "invalid YAML: out of memory"});
  for (;;) {
    release_event();
    if (yaml_parser_parse(&parser_, &event_) == 0) return std::unexpected(problem());
    holds_event_ = true;
    if (event_.type != YAML_STREAM_START_EVENT && event_.type != YAML_NO_EVENT) break;
  }
  YamlEvent event;
  // Only the starts get a position: nothing in the tree points at an end.
  auto start = [&] {
    event.offset = positions_.byte_of_character(event_.start_mark.index);
    event.at = positions_.at_byte(event.offset);
  };
  switch (event_.type) {
    case YAML_DOCUMENT_START_EVENT:
      event.type = YamlEvent::Type::document_start;
      event.explicit_start = event_.data.document_start.implicit == 0;
      start();
      break;
    case YAML_DOCUMENT_END_EVENT:
      event.type = YamlEvent::Type::document_end;
      break;
    case YAML_ALIAS_EVENT:
      event.type = YamlEvent::Type::alias;
      start();
      break;
    case YAML_SCALAR_EVENT: {
      const auto& scalar = event_.data.scalar;
      event.text = view(scalar.value, scalar.length);
      // Plain: written without quotes and without a tag (then libyaml's plain_implicit is set).
      event.plain = scalar.style == YAML_PLAIN_SCALAR_STYLE && scalar.tag == nullptr;
      if (event.plain && is_null_word(event.text)) {
        event.type = YamlEvent::Type::null;
        event.omitted = event.text.empty();  // a plain scalar written out is never empty
        event.plain = false;
      } else {
        event.type = YamlEvent::Type::scalar;
      }
      start();
      break;
    }
    case YAML_SEQUENCE_START_EVENT:
      event.type = YamlEvent::Type::sequence_start;
      event.flow = event_.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
      start();
      break;
    case YAML_SEQUENCE_END_EVENT:
      event.type = YamlEvent::Type::sequence_end;
      break;
    case YAML_MAPPING_START_EVENT:
      event.type = YamlEvent::Type::map_start;
      event.flow = event_.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
      start();
      break;
    case YAML_MAPPING_END_EVENT:
      event.type = YamlEvent::Type::map_end;
      break;
    default:
      event.type = YamlEvent::Type::stream_end;
      break;
  }
  return event;
}

bool YamlEvents::met_content_after_document() const {
  return parser_.error == YAML_PARSER_ERROR && parser_.context == nullptr &&
         view(parser_.problem) == "did not find expected <document start>";
}

YamlProblem YamlEvents::problem() {
  std::string_view what = view(parser_.problem);
  switch (parser_.error) {
    case YAML_READER_ERROR:
      // Bytes that are not UTF-8, or characters YAML does not allow; libyaml gives the byte.
      return {positions_.at_byte(first_byte_of_sequence(parser_.problem_offset, what)),
              fmt::format("invalid YAML: {}; a topology file is UTF-8 text", what)};
    case YAML_SCANNER_ERROR:
    case YAML_PARSER_ERROR: {
      model::SourceLocation at = positions_.at_character(parser_.problem_mark.index);
      std::string message = fmt::format("invalid YAML: {}", what);
      size_t byte = positions_.byte_of_character(parser_.problem_mark.index);
      if (parser_.error == YAML_PARSER_ERROR && byte < text_.size() && is_indicator(text_[byte]))
        message += fmt::format(" (found '{}')", text_[byte]);
      // The context says what was being read and where it started: worth saying when that is
      // elsewhere (an unclosed '[' lines earlier), noise when it is where the problem is.
      if (parser_.context != nullptr && parser_.context_mark.index != parser_.problem_mark.index) {
        model::SourceLocation from = positions_.at_character(parser_.context_mark.index);
        message += fmt::format(" {} that starts at line {}, column {}", view(parser_.context),
                               from.line, from.column);
      }
      return {at, std::move(message)};
    }
    case YAML_MEMORY_ERROR:
      return {{}, "invalid YAML: out of memory"};
    default:
      return {{}, fmt::format("invalid YAML: {}", what.empty() ? "the parser failed" : what)};
  }
}

}  // namespace nstopo::parse
