// The compiler-style layout of one diagnostic.
#include <doctest/doctest.h>

#include "parse/diagnostic.h"

using nstopo::parse::Diagnostic;
using nstopo::parse::format_diagnostic;

TEST_CASE("a positioned diagnostic shows the line, a caret under the column and the hint") {
  Diagnostic d{.file = "lab.yaml",
               .line = 12,
               .column = 29,
               .message = "link endpoint 'nsC:eth0' names unknown namespace 'nsC'",
               .hint = "did you mean 'nsB'?",
               .source_line = "  - endpoints: [host:veth0, nsC:eth0]"};
  CHECK(format_diagnostic(d) ==
        "lab.yaml:12:29: error: link endpoint 'nsC:eth0' names unknown namespace 'nsC'\n"
        "   12 |   - endpoints: [host:veth0, nsC:eth0]\n"
        "      |                             ^\n"
        "hint: did you mean 'nsB'?\n");
}

TEST_CASE("without a hint there is no hint line") {
  Diagnostic d{.file = "a.yaml", .line = 1, .column = 1, .message = "m", .source_line = "x: 1"};
  CHECK(format_diagnostic(d) == "a.yaml:1:1: error: m\n    1 | x: 1\n      | ^\n");
}

TEST_CASE("a whole-file diagnostic is one line") {
  Diagnostic d{.file = "empty.yaml", .line = 0, .message = "file is empty"};
  CHECK(format_diagnostic(d) == "empty.yaml: error: file is empty\n");
}

TEST_CASE("the gutter widens for line numbers past 9999") {
  Diagnostic d{.file = "f", .line = 12345, .column = 2, .message = "m", .source_line = "ab"};
  CHECK(format_diagnostic(d) == "f:12345:2: error: m\n 12345 | ab\n       |  ^\n");
}

TEST_CASE("the caret keeps tabs and counts a multi-byte character as one column") {
  // Columns count bytes (text_positions.cpp turns libyaml's character counts into them): 'ü'
  // is two bytes, one column on screen.
  Diagnostic d{.file = "f", .line = 1, .column = 7, .message = "m", .source_line = "\tü: xy"};
  CHECK(format_diagnostic(d) == "f:1:7: error: m\n    1 | \tü: xy\n      | \t    ^\n");
}

TEST_CASE("a very long line is shown as a window around the caret") {
  std::string line = std::string(200, 'a') + "X" + std::string(200, 'b');
  Diagnostic d{.file = "f", .line = 1, .column = 201, .message = "m", .source_line = line};
  std::string shown = "..." + std::string(60, 'a') + "X" + std::string(59, 'b') + "...";
  CHECK(format_diagnostic(d) ==
        "f:1:201: error: m\n    1 | " + shown + "\n      | " + std::string(63, ' ') + "^\n");
}

TEST_CASE("control characters in the source line are shown as '?'") {
  Diagnostic d{.file = "f",
               .line = 1,
               .column = 2,
               .message = "m",
               .source_line =
                   "a\x01"
                   "b"};
  CHECK(format_diagnostic(d) == "f:1:2: error: m\n    1 | a?b\n      |  ^\n");
}
