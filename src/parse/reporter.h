#pragma once
// Collects the diagnostics of one file while it is read; nothing is thrown, nothing stops early.
#include <string>
#include <string_view>
#include <vector>

#include "model/topology.h"
#include "parse/diagnostic.h"

namespace nstopo::parse {

class Reporter {
 public:
  // `text` must outlive the reporter: the source lines are cut from it at the end.
  Reporter(std::string file, std::string_view text) : file_(std::move(file)), text_(text) {}

  // A problem at a position (1-based line and column).
  void error(model::SourceLocation at, std::string message, std::string hint = {});
  // A problem with the whole file (empty, too big, unreadable): no position, no source line.
  void file_error(std::string message, std::string hint = {});

  bool has_errors() const { return !diagnostics_.empty(); }
  const std::string& file() const { return file_; }

  // Every diagnostic in file order (whole-file ones first), each with its source line.
  std::vector<Diagnostic> take_sorted();

 private:
  std::string file_;
  std::string_view text_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace nstopo::parse
