#include "cli/help_text.h"

#include <fmt/core.h>

namespace nstopo::cli {

namespace {

std::string_view meaning(ExitCode code) {
  switch (code) {
    case ExitCode::ok: return "0 success";
    case ExitCode::error: return "1 error";
    case ExitCode::changes_pending: return "2 changes pending or drift (with --detailed-exitcode)";
    case ExitCode::conflict: return "3 conflict with objects nstopo did not create";
    case ExitCode::permission: return "4 permission denied (needs root)";
    case ExitCode::busy: return "5 lab locked by another nstopo (--no-wait)";
    case ExitCode::usage: return "64 usage error";
    case ExitCode::interrupted_sigint:
      return "130/143 stopped by SIGINT/SIGTERM (apply first undoes the run's changes; a second "
             "signal stops at once)";
    case ExitCode::interrupted_sigterm: return "";  // said with 130
  }
  return "";
}

}  // namespace

std::string exit_codes_text(std::initializer_list<ExitCode> codes) {
  std::string text = "Exit codes: ";
  bool first = true;
  for (auto code : codes) {
    auto words = meaning(code);
    if (words.empty()) continue;
    text += fmt::format("{}{}", first ? "" : ", ", words);
    first = false;
  }
  return text + ".";
}

std::string command_footer(std::initializer_list<std::string_view> examples,
                           std::initializer_list<ExitCode> codes) {
  std::string text = examples.size() == 1 ? "Example:\n" : "Examples:\n";
  for (auto example : examples) text += fmt::format("  {}\n", example);
  return text + "\n" + exit_codes_text(codes);
}

}  // namespace nstopo::cli
