#include "parse/reporter.h"

#include <algorithm>

#include <fmt/format.h>

namespace nstopo::parse {

void Reporter::error(model::SourceLocation at, std::string message, std::string hint) {
  if (at.instance > 0) {
    if (failed_expansions_.contains({at.line, at.column, at.instance})) return;
    auto key = std::tuple(at.line, at.column, message, hint);
    if (auto it = folded_.find(key); it != folded_.end()) {
      if (it->second.instance != at.instance) ++it->second.more;
      return;
    }
    folded_.emplace(std::move(key), Folded{diagnostics_.size(), at.instance});
  }
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

void Reporter::expansion_error(model::SourceLocation at, std::string message, std::string hint) {
  error(at, std::move(message), std::move(hint));
  if (at.instance > 0) failed_expansions_.insert({at.line, at.column, at.instance});
}

int Reporter::add_instance(std::string label) {
  instances_.push_back(std::move(label));
  return static_cast<int>(instances_.size() - 1);
}

std::vector<Diagnostic> Reporter::take_sorted() {
  // Name the instance of each message from a template (and how many others failed alike).
  for (const auto& [key, folded] : folded_) {
    auto& message = diagnostics_[folded.index].message;
    const auto& label = instances_[static_cast<size_t>(folded.instance)];
    if (folded.more == 0)
      message = fmt::format("in {}: {}", label, message);
    else
      message = fmt::format("in {} (and {} more instance{}): {}", label, folded.more,
                            folded.more == 1 ? "" : "s", message);
  }
  folded_.clear();
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
