#pragma once
// How text output looks where it lands: colour and a live progress line on a terminal, plain
// lines in a pipe or a CI log, as terraform and cargo do. Decided once per run from the global
// options, the environment (NO_COLOR, TERM=dumb) and whether stdout is a terminal.
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "model/action.h"

namespace nstopo::cli {

struct TextStyle {
  bool color = false;     // ANSI colours on the change symbols and summaries
  bool progress = false;  // one live line instead of a line per action (a TTY, without -v)
  bool quiet = false;     // -q: nothing but errors
};

// `stdout_is_terminal` and `environment` are parameters so the rule is testable.
struct TerminalFacts {
  bool stdout_is_terminal = false;
  bool no_color = false;  // NO_COLOR set to anything non-empty (https://no-color.org)
  bool dumb = false;      // TERM=dumb or unset
};
TerminalFacts terminal_facts();
TextStyle text_style(const GlobalOptions& global, const TerminalFacts& facts);

// Green for create, yellow for change, red for delete; unchanged text without colour.
std::string paint(const TextStyle& style, model::Change change, std::string_view text);
std::string bold(const TextStyle& style, std::string_view text);
std::string red(const TextStyle& style, std::string_view text);

}  // namespace nstopo::cli
