#include "parse/yaml_tree.h"

#include <algorithm>
#include <string>
#include <vector>

#include "parse/guard.h"
#include "parse/yaml_events.h"

namespace nstopo::parse {
namespace {

using Type = YamlEvent::Type;

// Positions count from after a UTF-8 byte order mark, as load.cpp's do. libyaml skips the mark
// without counting it; the text it is given must be the one positions are counted in.
std::string_view without_byte_order_mark(std::string_view text) {
  if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);
  return text;
}

// An empty item of a block list ("-" and nothing after it, or "- ~") is placed at its "-":
// libyaml places it right after the "-" (or at the "~"), and a diagnostic about the item reads
// best under the "-". The "-" is the last block indicator before the item.
model::SourceLocation dash_before(std::string_view text, const YamlEvent& item,
                                  YamlEvents& events) {
  for (size_t pos = std::min(item.offset, text.size()); pos-- > 0;) {
    bool indicator = text[pos] == '-' && (pos + 1 == text.size() || text[pos + 1] == ' ' ||
                                          text[pos + 1] == '\n' || text[pos + 1] == '\r');
    bool after_blank = pos == 0 || text[pos - 1] == ' ' || text[pos - 1] == '\n';
    if (indicator && after_blank) return events.at_byte(pos);
  }
  return item.at;
}

// Builds the tree of one document from its events, up to the document's end.
class TreeBuilder {
 public:
  TreeBuilder(std::string_view text, YamlEvents& events) : text_(text), events_(events) {}

  std::expected<std::optional<YamlNode>, YamlProblem> build() {
    for (;;) {
      auto event = events_.next();
      if (!event) return std::unexpected(event.error());
      switch (event->type) {
        case Type::scalar:
          add(YamlNode{.kind = YamlNode::Kind::scalar,
                       .plain = event->plain,
                       .at = event->at,
                       .text = std::string(event->text)});
          break;
        case Type::null: {
          bool in_block_list = !open_.empty() && open_.back()->is_sequence() && !open_flow_.back();
          add(YamlNode{.kind = YamlNode::Kind::null,
                       .at = in_block_list ? dash_before(text_, *event, events_) : event->at});
          break;
        }
        case Type::alias:
          return std::unexpected(YamlProblem{event->at, std::string(kAliasRefusal)});
        case Type::sequence_start:
          open(YamlNode{.kind = YamlNode::Kind::sequence, .at = event->at}, event->flow);
          break;
        case Type::map_start:
          open(YamlNode{.kind = YamlNode::Kind::map, .at = event->at}, event->flow);
          break;
        case Type::sequence_end:
        case Type::map_end:
          close();
          break;
        case Type::document_start:
          break;
        case Type::document_end:
        case Type::stream_end:
          return std::move(root_);
      }
    }
  }

 private:
  YamlNode* add(YamlNode node) {
    if (open_.empty()) {
      root_ = std::move(node);
      return &*root_;
    }
    // Only the open collections are pointed at, and nothing is added to a collection while
    // one of its items is open: these pointers stay valid.
    open_.back()->items.push_back(std::move(node));
    return &open_.back()->items.back();
  }
  void open(YamlNode node, bool flow) {
    open_.push_back(add(std::move(node)));
    open_flow_.push_back(flow);
  }
  void close() {
    if (open_.empty()) return;
    open_.pop_back();
    open_flow_.pop_back();
  }

  std::string_view text_;
  YamlEvents& events_;
  std::optional<YamlNode> root_;
  std::vector<YamlNode*> open_;
  std::vector<bool> open_flow_;
};

// After the document: nothing, or only documents that hold nothing (a trailing "---", comments).
std::optional<YamlProblem> following_content(YamlEvents& events) {
  for (;;) {
    auto start = events.next();
    if (!start) {
      if (!events.met_content_after_document()) return start.error();
      return YamlProblem{start.error().at,
                         "invalid YAML: unexpected content after the end of the document"};
    }
    if (start->type == Type::stream_end) return std::nullopt;
    // A document start: after the first document libyaml reads one only after a "---".
    auto content = events.next();
    if (!content) return content.error();
    if (content->type != Type::null || !content->omitted)
      return YamlProblem{start->at,
                         "a topology file holds one YAML document; a second one starts here"};
    auto end = events.next();
    if (!end) return end.error();
  }
}

// Follows the document's top-level map just far enough to find one key's scalar value.
class TopLevelKey {
 public:
  explicit TopLevelKey(std::string_view key) : key_(key) {}

  // Takes the next event; false once the answer is known.
  bool take(const YamlEvent& event) {
    switch (event.type) {
      case Type::scalar:
        return leaf(&event.text);
      case Type::null:
      case Type::alias:
        return leaf(nullptr);
      case Type::sequence_start:
        return open(false);
      case Type::map_start:
        return open(true);
      case Type::sequence_end:
      case Type::map_end:
        return close();
      case Type::document_start:
        return true;
      case Type::document_end:
      case Type::stream_end:
        return false;
    }
    return false;
  }

  // The value when it is a non-empty scalar.
  std::optional<std::string> answer() const {
    if (!value_ || value_->empty()) return std::nullopt;
    return value_;
  }

 private:
  struct Level {
    bool map;
    bool is_key;         // this collection is its parent map's key
    bool at_key = true;  // a map's next node is a key
  };

  // A scalar (or null): a key, a value, or an item.
  bool leaf(const std::string_view* value) {
    if (levels_.empty()) return true;  // the whole document is one scalar: no key
    Level& level = levels_.back();
    if (!level.map) return true;
    if (level.at_key) {
      key_matches_ = levels_.size() == 1 && value != nullptr && *value == key_;
      level.at_key = false;
      return true;
    }
    if (key_matches_ && value != nullptr) {
      value_ = std::string(*value);
      return false;
    }
    level.at_key = true;
    return true;
  }
  bool open(bool map) {
    bool is_key = !levels_.empty() && levels_.back().map && levels_.back().at_key;
    if (is_key) key_matches_ = false;  // a collection as a key: never the one looked for
    levels_.push_back({map, is_key});
    return true;
  }
  bool close() {
    bool was_key = levels_.back().is_key;
    levels_.pop_back();
    if (levels_.empty() || !levels_.back().map) return true;
    if (!was_key && levels_.size() == 1 && key_matches_) return false;  // its value: no scalar
    levels_.back().at_key = !was_key;
    return true;
  }

  std::string_view key_;
  std::vector<Level> levels_;
  bool key_matches_ = false;
  std::optional<std::string> value_;
};

}  // namespace

std::expected<std::optional<YamlNode>, YamlProblem> parse_yaml(std::string_view text) {
  text = without_byte_order_mark(text);
  YamlEvents events(text);
  auto start = events.next();
  if (!start) return std::unexpected(start.error());
  if (start->type == Type::stream_end) return std::nullopt;  // only blanks and comments
  auto root = TreeBuilder(text, events).build();
  if (!root) return root;
  if (auto problem = following_content(events)) return std::unexpected(*problem);
  if (*root && (*root)->is_null()) return std::nullopt;
  return root;
}

std::optional<std::string> top_level_scalar(std::string_view text, std::string_view key) {
  YamlEvents events(without_byte_order_mark(text));
  TopLevelKey reader(key);
  // Nothing is asked of the parser after the value: the rest of the file is not parsed.
  for (;;) {
    auto event = events.next();
    if (!event) return std::nullopt;
    if (!reader.take(*event)) return reader.answer();
  }
}

}  // namespace nstopo::parse
