#pragma once
// Compiler-style diagnostics for topology files, collected (never thrown) and printed as
//   lab.yaml:12:7: error: link endpoint 'nsC:eth0' names unknown namespace 'nsC'
//      12 |   - endpoints: [host:veth0, nsC:eth0]
//         |       ^
//   hint: did you mean 'nsB'?
#include <string>
#include <vector>

namespace nstopo::parse {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem concerns the whole file
  int column = 0;  // 1-based
  std::string message;
  std::string hint;         // optional "did you mean ..." and the like
  std::string source_line;  // the text of `line`, for the caret display
};

// The full multi-line text of one diagnostic, ending with a newline.
std::string format_diagnostic(const Diagnostic& diagnostic);

}  // namespace nstopo::parse
