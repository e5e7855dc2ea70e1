#include "cli/terminal.h"

#include <unistd.h>

#include <cstdlib>

#include <fmt/core.h>

namespace nstopo::cli {

namespace {

std::string wrap(bool on, std::string_view code, std::string_view text) {
  if (!on) return std::string(text);
  return fmt::format("\033[{}m{}\033[0m", code, text);
}

}  // namespace

TerminalFacts terminal_facts() {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return {.stdout_is_terminal = ::isatty(STDOUT_FILENO) == 1,
          .no_color = no_color && *no_color,
          .dumb = !term || std::string_view(term) == "dumb" || !*term};
}

TextStyle text_style(const GlobalOptions& global, const TerminalFacts& facts) {
  bool quiet = global.verbosity == Verbosity::quiet;
  bool color = false;
  switch (global.color) {
    case ColorChoice::always: color = true; break;
    case ColorChoice::never: color = false; break;
    case ColorChoice::automatic: color = facts.stdout_is_terminal && !facts.no_color && !facts.dumb;
  }
  // The live line rewrites itself with \r: only where a terminal shows it, never in a log.
  bool progress = facts.stdout_is_terminal && !facts.dumb && !quiet &&
                  global.verbosity != Verbosity::verbose;
  return {.color = color, .progress = progress, .quiet = quiet};
}

std::string paint(const TextStyle& style, model::Change change, std::string_view text) {
  switch (change) {
    case model::Change::create: return wrap(style.color, "32", text);
    case model::Change::modify: return wrap(style.color, "33", text);
    case model::Change::remove: return wrap(style.color, "31", text);
  }
  return std::string(text);
}

std::string bold(const TextStyle& style, std::string_view text) { return wrap(style.color, "1", text); }
std::string red(const TextStyle& style, std::string_view text) { return wrap(style.color, "31", text); }

}  // namespace nstopo::cli
