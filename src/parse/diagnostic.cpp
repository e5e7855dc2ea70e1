#include "parse/diagnostic.h"

#include <algorithm>

#include <fmt/format.h>

namespace nstopo::parse {
namespace {

// Longer source lines are shown as a window around the caret, so that a one-line 4 MiB file
// does not turn into a 4 MiB diagnostic.
constexpr size_t kMaxShownLine = 120;
constexpr size_t kContextBeforeCaret = 60;

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

// A control character would garble the terminal (or hide text): show it as '?'.
std::string printable(std::string text) {
  for (char& c : text) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7f) c = '?';
  }
  return text;
}

struct ShownLine {
  std::string text;
  size_t caret_offset = 0;  // byte offset of the caret within `text`
};

ShownLine window_around(const std::string& line, size_t caret) {
  if (line.size() <= kMaxShownLine) return {line, caret};
  size_t start = caret > kContextBeforeCaret ? caret - kContextBeforeCaret : 0;
  while (start > 0 && start < line.size() && is_utf8_continuation(line[start])) --start;
  size_t end = std::min(line.size(), start + kMaxShownLine);
  while (end < line.size() && is_utf8_continuation(line[end])) ++end;
  ShownLine shown;
  if (start > 0) shown.text = "...";
  shown.caret_offset = shown.text.size() + (caret - start);
  shown.text += line.substr(start, end - start);
  if (end < line.size()) shown.text += "...";
  return shown;
}

// Spaces up to the caret, keeping tabs as tabs and counting a multi-byte UTF-8 character as
// one column, so the caret lands under the byte the column names.
std::string caret_padding(const std::string& shown, size_t caret_offset) {
  std::string padding;
  for (size_t i = 0; i < caret_offset; ++i) {
    if (i >= shown.size()) {
      padding += ' ';
    } else if (shown[i] == '\t') {
      padding += '\t';
    } else if (!is_utf8_continuation(shown[i])) {
      padding += ' ';
    }
  }
  return padding;
}

}  // namespace

std::string format_diagnostic(const Diagnostic& diagnostic) {
  std::string out;
  if (diagnostic.line <= 0) {
    out = fmt::format("{}: error: {}\n", diagnostic.file, diagnostic.message);
  } else {
    out = fmt::format("{}:{}:{}: error: {}\n", diagnostic.file, diagnostic.line, diagnostic.column,
                      diagnostic.message);
    // The gutter is a space and the line number right-aligned in 4 columns (wider past 9999).
    auto number = fmt::format("{:>4}", diagnostic.line);
    size_t caret = diagnostic.column > 0 ? static_cast<size_t>(diagnostic.column - 1) : 0;
    ShownLine shown = window_around(printable(diagnostic.source_line), caret);
    out += fmt::format(" {} | {}\n", number, shown.text);
    out += fmt::format(" {} | {}^\n", std::string(number.size(), ' '),
                       caret_padding(shown.text, shown.caret_offset));
  }
  if (!diagnostic.hint.empty()) out += fmt::format("hint: {}\n", diagnostic.hint);
  return out;
}

}  // namespace nstopo::parse
