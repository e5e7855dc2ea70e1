#include "parse/yaml_tree.h"

#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "parse/guard.h"

namespace nstopo::parse {
namespace {

// Thrown from inside the parser's callbacks to stop it; caught in parse_yaml().
struct Stop {
  YamlProblem problem;
};

model::SourceLocation location(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

// yaml-cpp places an empty item of a block list ("-" and nothing after it) at the token that
// follows, often on a later line. The "-" that opened it is the last indicator before there.
model::SourceLocation empty_item_location(std::string_view text, const YAML::Mark& mark) {
  if (mark.pos <= 0 || static_cast<size_t>(mark.pos) > text.size()) return location(mark);
  int line = mark.line;
  for (size_t pos = static_cast<size_t>(mark.pos); pos-- > 0;) {
    char c = text[pos];
    if (c == '\n') --line;
    bool indicator = c == '-' && (pos + 1 == text.size() || text[pos + 1] == ' ' ||
                                  text[pos + 1] == '\n' || text[pos + 1] == '\r');
    bool after_blank = pos == 0 || text[pos - 1] == ' ' || text[pos - 1] == '\n';
    if (!indicator || !after_blank) continue;
    size_t line_start = text.rfind('\n', pos);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    return {line + 1, static_cast<int>(pos - line_start) + 1};
  }
  return location(mark);
}

// Builds the tree of one document.
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(std::string_view text) : text_(text) {}

  std::optional<YamlNode> take_root() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    YamlNode node{.kind = YamlNode::Kind::null, .at = location(mark)};
    if (!open_.empty() && open_.back()->is_sequence() && !open_flow_.back())
      node.at = empty_item_location(text_, mark);
    add(std::move(node));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    throw Stop{{location(mark), std::string(kAliasRefusal)}};
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                const std::string& value) override {
    add(YamlNode{
        .kind = YamlNode::Kind::scalar, .plain = tag == "?", .at = location(mark), .text = value});
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value style) override {
    open(YamlNode{.kind = YamlNode::Kind::sequence, .at = location(mark)},
         style == YAML::EmitterStyle::Flow);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value style) override {
    open(YamlNode{.kind = YamlNode::Kind::map, .at = location(mark)},
         style == YAML::EmitterStyle::Flow);
  }
  void OnMapEnd() override { close(); }

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
  std::optional<YamlNode> root_;
  std::vector<YamlNode*> open_;
  std::vector<bool> open_flow_;
};

// Sees what follows the document: a second document, stray content, or nothing.
class FollowingContent : public YAML::EventHandler {
 public:
  explicit FollowingContent(std::string_view text) : text_(text) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    // An explicit "---": a second document, unless it holds nothing.
    explicit_start_ =
        mark.pos >= 0 && text_.substr(static_cast<size_t>(mark.pos)).starts_with("---");
    start_ = location(mark);
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    // Either an empty document (a trailing "---") or a token the parser could not place; it
    // did not consume that token, so asking again would loop forever.
    if (mark.pos >= 0 && static_cast<size_t>(mark.pos) < text_.size() &&
        !only_comments(text_.substr(static_cast<size_t>(mark.pos))))
      throw Stop{{location(mark), fmt::format("invalid YAML: unexpected '{}'",
                                              text_[static_cast<size_t>(mark.pos)])}};
    throw Stop{};
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { found(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    found(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    found(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    found(mark);
  }
  void OnMapEnd() override {}

 private:
  static bool only_comments(std::string_view rest) {
    bool in_comment = false;
    for (char c : rest) {
      if (c == '\n')
        in_comment = false;
      else if (c == '#')
        in_comment = true;
      else if (!in_comment && c != ' ' && c != '\t' && c != '\r')
        return false;
    }
    return true;
  }

  [[noreturn]] void found(const YAML::Mark& mark) {
    if (explicit_start_)
      throw Stop{{start_, "a topology file holds one YAML document; a second one starts here"}};
    throw Stop{{location(mark), "invalid YAML: unexpected content after the end of the document"}};
  }

  std::string_view text_;
  bool explicit_start_ = false;
  model::SourceLocation start_;
};

// Follows the document's top-level map just far enough to find one key's scalar value, then
// stops the parser by throwing the value (caught in top_level_scalar()).
class TopLevelKey : public YAML::EventHandler {
 public:
  struct Found {
    std::string value;
  };
  explicit TopLevelKey(std::string_view key) : key_(key) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { leaf(nullptr); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { leaf(nullptr); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string& value) override {
    leaf(&value);
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    open(false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    open(true);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Level {
    bool map;
    bool is_key;         // this collection is its parent map's key
    bool at_key = true;  // a map's next node is a key
  };

  // A scalar (or null): a key, a value, or an item.
  void leaf(const std::string* value) {
    if (levels_.empty()) return;  // the whole document is one scalar: no key
    Level& level = levels_.back();
    if (!level.map) return;
    if (level.at_key) {
      key_matches_ = levels_.size() == 1 && value != nullptr && *value == key_;
      level.at_key = false;
      return;
    }
    if (key_matches_ && value != nullptr) throw Found{*value};
    level.at_key = true;
  }
  void open(bool map) {
    bool is_key = !levels_.empty() && levels_.back().map && levels_.back().at_key;
    if (is_key) key_matches_ = false;  // a collection as a key: never the one looked for
    levels_.push_back({map, is_key});
  }
  void close() {
    bool was_key = levels_.back().is_key;
    levels_.pop_back();
    if (levels_.empty() || !levels_.back().map) return;
    if (!was_key && levels_.size() == 1 && key_matches_) throw Found{};  // its value: no scalar
    levels_.back().at_key = !was_key;
  }

  std::string_view key_;
  std::vector<Level> levels_;
  bool key_matches_ = false;
};

}  // namespace

std::expected<std::optional<YamlNode>, YamlProblem> parse_yaml(std::string_view text) {
  // yaml-cpp throws on malformed input: this is the boundary where that becomes a value.
  std::istringstream in{std::string(text)};
  try {
    YAML::Parser parser(in);
    TreeBuilder builder(text);
    if (!parser.HandleNextDocument(builder)) return std::nullopt;
    FollowingContent following(text);
    try {
      parser.HandleNextDocument(following);
    } catch (const Stop& stop) {
      if (stop.problem.at.line > 0) return std::unexpected(stop.problem);
    }
    auto root = builder.take_root();
    if (root && root->is_null()) return std::nullopt;
    return root;
  } catch (const Stop& stop) {
    return std::unexpected(stop.problem);
  } catch (const YAML::Exception& error) {
    return std::unexpected(
        YamlProblem{location(error.mark), fmt::format("invalid YAML: {}", error.msg)});
  }
}

std::optional<std::string> top_level_scalar(std::string_view text, std::string_view key) {
  std::istringstream in{std::string(text)};
  try {
    YAML::Parser parser(in);
    TopLevelKey reader(key);
    parser.HandleNextDocument(reader);
  } catch (const TopLevelKey::Found& found) {
    if (found.value.empty()) return std::nullopt;
    return found.value;
  } catch (const YAML::Exception&) {
  }
  return std::nullopt;
}

}  // namespace nstopo::parse
