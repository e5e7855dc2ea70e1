#pragma once
// Collects the diagnostics of one file while it is read; nothing is thrown, nothing stops early.
//
// A position inside an expanded template (SourceLocation::instance > 0) is the template's, and
// its message says which instance failed: "in instance node17 of node[1-200]: ...". The same
// message at the same place from several instances is shown once, with how many more failed.
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
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
  // A template's text could not be expanded for an instance: the text left in its place would
  // only make more messages, so later ones at the same place and instance are dropped.
  void expansion_error(model::SourceLocation at, std::string message, std::string hint = {});

  // A new instance of a template, named in messages as `label` ("instance node17 of
  // node[1-200]"); returns the SourceLocation::instance its positions carry.
  int add_instance(std::string label);

  bool has_errors() const { return !diagnostics_.empty(); }
  size_t error_count() const { return diagnostics_.size(); }
  const std::string& file() const { return file_; }

  // Every diagnostic in file order (whole-file ones first), each with its source line.
  std::vector<Diagnostic> take_sorted();

 private:
  struct Folded {
    size_t index;        // in diagnostics_
    int instance;        // the first instance that failed
    int more = 0;        // how many other instances failed the same way
  };
  using Place = std::tuple<int, int, int>;  // line, column, instance

  std::string file_;
  std::string_view text_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<std::string> instances_{""};  // [0]: no instance
  // Messages from instances, by (line, column, message, hint), until take_sorted names them.
  std::map<std::tuple<int, int, std::string, std::string>, Folded> folded_;
  std::set<Place> failed_expansions_;
};

}  // namespace nstopo::parse
