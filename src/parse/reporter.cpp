#include "parse/reporter.h"

#include <algorithm>

namespace nstopo::parse {

void Reporter::error(model::SourceLocation at, std::string message, std::string hint) {
  diagnostics_.push_back(Diagnostic{.file = file_,
                                    .line = at.line,
                                    .column = at.line > 0 ? std::max(at.column, 1) : 0,
                                    .message = std::move(message),
                                    .hint = std::move(hint),
                                    .source_line = {}});
}

void Reporter::file_error(std::string message, std::string hint) {
  error(model::SourceLocation{}, std::move(message), std::move(hint));
}

std::vector<Diagnostic> Reporter::take_sorted() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::pair(a.line, a.column) < std::pair(b.line, b.column);
                   });
  // One pass over the text finds every line a diagnostic needs (they are sorted by line).
  int line = 1;
  size_t line_start = 0;
  for (auto& diagnostic : diagnostics_) {
    if (diagnostic.line <= 0) continue;
    while (line < diagnostic.line && line_start < text_.size()) {
      size_t newline = text_.find('\n', line_start);
      line_start = newline == std::string_view::npos ? text_.size() : newline + 1;
      ++line;
    }
    if (line != diagnostic.line) continue;  // past the end of the text: no line to show
    size_t end = text_.find('\n', line_start);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view source = text_.substr(line_start, end - line_start);
    if (!source.empty() && source.back() == '\r') source.remove_suffix(1);
    diagnostic.source_line = std::string(source);
  }
  return std::move(diagnostics_);
}

}  // namespace nstopo::parse
