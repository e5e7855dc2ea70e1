#pragma once
// The footer of each command's --help: an example or two, then only the exit codes that
// command can give (the top-level --help lists them all).
#include <initializer_list>
#include <string>
#include <string_view>

#include "cli/exit_codes.h"

namespace nstopo::cli {

// "Exit codes: 0 success, 1 error, ..." for these codes, in this order.
std::string exit_codes_text(std::initializer_list<ExitCode> codes);

// "Examples:\n  nstopo plan lab.yaml\n  ...\n\nExit codes: ..."
std::string command_footer(std::initializer_list<std::string_view> examples,
                           std::initializer_list<ExitCode> codes);

}  // namespace nstopo::cli
