#pragma once
// "nstopo aply" -> "unknown command 'aply'; did you mean 'apply'?"
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace nstopo::cli {

// When the command line's first word (after global options) is not a subcommand of `app`,
// the message naming it and the subcommand it most likely meant; nullopt otherwise.
std::optional<std::string> unknown_command_message(const CLI::App& app, int argc,
                                                   const char* const* argv);

}  // namespace nstopo::cli
