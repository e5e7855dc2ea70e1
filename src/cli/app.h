#pragma once
// The command line: CLI11 subcommands. No logic of its own: each command is a flat pipeline
// of calls into the layers (see commands.h).
namespace nstopo::cli {

int main(int argc, char** argv);

}  // namespace nstopo::cli
