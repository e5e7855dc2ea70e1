#include "parse/guard.h"

#include <vector>

#include <fmt/format.h>

#include "parse/names.h"

namespace nstopo::parse {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_flow_indicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

// YAML allows tab, line feed and carriage return among the C0 controls, and not DEL.
bool is_forbidden_control(char c) {
  auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f;
}

class Scanner {
 public:
  Scanner(std::string_view text, GuardLimits limits) : text_(text), limits_(limits) {}

  std::optional<HostileInput> run() {
    size_t start = 0;
    while (start <= text_.size() && !found_) {
      size_t end = text_.find('\n', start);
      if (end == std::string_view::npos) end = text_.size();
      ++line_;
      line_text_ = text_.substr(start, end - start);
      if (!line_text_.empty() && line_text_.back() == '\r') line_text_.remove_suffix(1);
      check_characters();
      if (!found_) scan_line();
      start = end + 1;
    }
    return found_;
  }

 private:
  void report(size_t column, std::string message, std::string hint = {}) {
    if (!found_)
      found_ =
          HostileInput{{line_, static_cast<int>(column) + 1}, std::move(message), std::move(hint)};
  }

  void check_characters() {
    for (size_t i = 0; i < line_text_.size(); ++i)
      if (is_forbidden_control(line_text_[i]))
        return report(i, fmt::format("the file contains {}, a control character YAML does not "
                                     "allow; is it a text file?",
                                     describe_char(line_text_[i])));
  }

  size_t depth() const { return indents_.size() + flow_depth_; }

  void check_depth(size_t column) {
    if (depth() > limits_.max_depth)
      report(column, fmt::format("YAML nesting is deeper than {} levels; nstopo refuses such "
                                 "input (a topology needs fewer than 10)",
                                 limits_.max_depth));
  }

  void count_node(size_t column) {
    if (++nodes_ > limits_.max_nodes)
      report(column, fmt::format("the file has more than {} YAML nodes; nstopo refuses it to "
                                 "bound memory use",
                                 limits_.max_nodes));
  }

  void report_alias(size_t column) {
    report(column, std::string(kAliasRefusal),
           "write the value out in full; to start a string with '*', quote it");
  }

  char at(size_t i) const { return i < line_text_.size() ? line_text_[i] : '\0'; }
  bool at_end() const { return pos_ >= line_text_.size(); }
  // An indicator such as "- " or ": " is followed by a blank or the end of the line.
  bool ends_token(size_t i) const { return i >= line_text_.size() || is_blank(line_text_[i]); }
  void skip_blanks() {
    while (!at_end() && is_blank(line_text_[pos_])) ++pos_;
  }

  void scan_line() {
    pos_ = 0;
    size_t indent = 0;
    while (at(indent) == ' ') ++indent;
    bool blank = true;
    for (size_t i = indent; i < line_text_.size(); ++i)
      if (!is_blank(line_text_[i])) blank = false;

    if (in_block_scalar_) {
      if (blank || static_cast<long>(indent) > block_scalar_owner_) return;
      in_block_scalar_ = false;
    }
    if (quote_ != 0) {
      if (!finish_quote()) return;
      scan_tokens(false);
      return;
    }
    if (flow_depth_ > 0) {  // inside brackets, indentation means nothing
      scan_tokens(false);
      return;
    }
    if (blank || at(indent) == '#') return;
    if (indent == 0 && at(0) == '%') return;  // a directive such as %YAML 1.2
    if (indent == 0 && (line_text_.starts_with("---") || line_text_.starts_with("...")) &&
        ends_token(3)) {
      indents_.clear();
      pos_ = 3;
      owner_column_ = 0;
      scan_tokens(true);
      return;
    }

    // Block structure: close the levels this line is not inside of, open its own.
    while (!indents_.empty() && indents_.back() >= indent) indents_.pop_back();
    indents_.push_back(indent);
    check_depth(indent);
    pos_ = indent;
    owner_column_ = indent;
    // Compact nesting on one line: "- - x", "- key: v", "? key", ": value".
    while (!at_end() && (at(pos_) == '-' || at(pos_) == '?' || at(pos_) == ':') &&
           ends_token(pos_ + 1)) {
      owner_column_ = pos_;
      ++pos_;
      skip_blanks();
      if (at_end() || at(pos_) == '#') return;
      indents_.push_back(pos_);
      check_depth(pos_);
    }
    scan_tokens(true);
  }

  // Scans what is left of the line. `node_start`: a node may begin here (block context).
  void scan_tokens(bool node_start) {
    while (!found_) {
      skip_blanks();
      if (at_end()) return;
      char c = at(pos_);
      if (c == '#' && (pos_ == 0 || is_blank(at(pos_ - 1)))) return;  // a comment
      if (flow_depth_ > 0) {
        if (!scan_flow_token()) return;
        if (flow_depth_ == 0) node_start = false;  // back in block context after "]" or "}"
        continue;
      }
      if (!node_start) {
        // After a quoted key or a flow collection only ": value" can follow.
        if (c == ':' && ends_token(pos_ + 1)) node_start = true;
        ++pos_;
        continue;
      }
      if (c == '&' || c == '!') {  // an anchor or a tag precedes the node it names
        while (!at_end() && !is_blank(at(pos_))) ++pos_;
        continue;
      }
      if (c == '*') return report_alias(pos_);
      node_start = false;
      count_node(pos_);
      if (c == '[' || c == '{') {
        ++flow_depth_;
        check_depth(pos_);
        ++pos_;
      } else if (c == '"' || c == '\'') {
        quote_ = c;
        ++pos_;
        if (!finish_quote()) return;
      } else if (c == '|' || c == '>') {
        // Lines indented deeper than the key or "-" that owns this scalar are its text.
        in_block_scalar_ = true;
        block_scalar_owner_ = static_cast<long>(owner_column_);
        return;
      } else {
        // A plain scalar ends at ": " (then it was a key), at " #", or at the end of the line.
        size_t start = pos_;
        while (!at_end()) {
          if (at(pos_) == ':' && ends_token(pos_ + 1)) {
            owner_column_ = start;
            ++pos_;
            node_start = true;
            break;
          }
          if (at(pos_) == '#' && is_blank(at(pos_ - 1))) return;
          ++pos_;
        }
      }
    }
  }

  // One token inside brackets; false when the rest of the line is consumed.
  bool scan_flow_token() {
    char c = at(pos_);
    switch (c) {
      case '[':
      case '{':
        count_node(pos_);
        ++flow_depth_;
        check_depth(pos_);
        ++pos_;
        return true;
      case ']':
      case '}':
        --flow_depth_;
        ++pos_;
        return true;
      case ',': ++pos_; return true;
      case '*': report_alias(pos_); return false;
      case '&':
      case '!':
        while (!at_end() && !is_blank(at(pos_)) && !is_flow_indicator(at(pos_))) ++pos_;
        return true;
      case '"':
      case '\'':
        count_node(pos_);
        quote_ = c;
        ++pos_;
        return finish_quote();
      default: break;
    }
    if ((c == ':' || c == '?' || c == '-') &&
        (ends_token(pos_ + 1) || is_flow_indicator(at(pos_ + 1)))) {
      ++pos_;
      return true;
    }
    // A plain scalar inside brackets ends at a flow indicator, ": " or " #".
    count_node(pos_);
    while (!at_end()) {
      char d = at(pos_);
      if (is_flow_indicator(d)) break;
      if (d == ':' && (ends_token(pos_ + 1) || is_flow_indicator(at(pos_ + 1)))) break;
      if (d == '#' && is_blank(at(pos_ - 1))) return false;
      ++pos_;
    }
    return true;
  }

  // Moves past the closing quote of the open quoted scalar; false when it continues on the
  // next line.
  bool finish_quote() {
    while (!at_end()) {
      char c = at(pos_);
      if (quote_ == '"' && c == '\\') {
        pos_ += 2;
        continue;
      }
      if (c == quote_) {
        if (quote_ == '\'' && at(pos_ + 1) == '\'') {  // '' is a quote inside '...'
          pos_ += 2;
          continue;
        }
        quote_ = 0;
        ++pos_;
        return true;
      }
      ++pos_;
    }
    return false;
  }

  std::string_view text_;
  GuardLimits limits_;
  std::optional<HostileInput> found_;
  int line_ = 0;
  std::string_view line_text_;
  size_t pos_ = 0;
  std::vector<size_t> indents_;  // the block levels the current line is nested in
  size_t flow_depth_ = 0;
  char quote_ = 0;  // the quote of a quoted scalar that spans lines
  bool in_block_scalar_ = false;
  long block_scalar_owner_ = -1;
  size_t owner_column_ = 0;  // column of the key or "-" that owns the next node
  size_t nodes_ = 0;
};

}  // namespace

std::optional<HostileInput> find_hostile_input(std::string_view text, GuardLimits limits) {
  return Scanner(text, limits).run();
}

}  // namespace nstopo::parse
