// nstopo exec --all FILE -- CMD and nstopo exec 'GLOB' -- CMD: one command in several
// namespaces, side by side (at most --jobs at once), each line prefixed "[NS] ", the exit code
// the worst of theirs. The running and prefixing is services::exec_in_namespaces.
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/namespace_access.h"
#include "cli/namespace_selection.h"
#include "cli/render.h"
#include "services/exec.h"
#include "services/forwarded_signals.h"

namespace nstopo::cli {

namespace {

// The namespaces to run in, or the exit code of why there are none.
struct Selection {
  std::vector<std::string> namespaces;
  std::string what;  // "namespaces of lab.yaml", for messages
  int failed = -1;   // >= 0: stop with this exit code
};

Selection select_namespaces(const GlobalOptions& global, const ExecArgs& args) {
  Selection selection;
  auto stop = [&](const Error& error) {
    print_error(error);
    selection.failed = exit_code(exit_code_for(error));
    return selection;
  };
  if (!args.all_file.empty()) {
    if (!args.lab.empty())
      return stop({ErrorKind::usage, "--all FILE and --lab do not go together: --all names the lab"});
    auto declared = declared_namespaces(args.all_file);
    if (!declared) {
      selection.failed = exit_code(ExitCode::error);
      return selection;
    }
    if (declared->empty())
      return stop({ErrorKind::invalid_input,
                   fmt::format("{} declares no namespace to run the command in", args.all_file),
                   args.all_file});
    selection.namespaces = std::move(*declared);
    return selection;
  }
  auto candidates = args.lab.empty() ? named_namespaces(global.netns_dir)
                                     : lab_namespaces(global.state_dir, args.lab);
  if (!candidates) return stop(candidates.error());
  selection.namespaces = match_namespaces(args.ns, *candidates);
  if (selection.namespaces.empty())
    return stop({ErrorKind::invalid_input,
                 fmt::format("no namespace matches '{}' among {} ({})", args.ns,
                             args.lab.empty() ? "those of " + global.netns_dir
                                              : "those of lab " + args.lab,
                             candidates->empty() ? "there are none"
                                                 : fmt::format("{}", fmt::join(*candidates, ", "))),
                 args.ns});
  return selection;
}

}  // namespace

int run_exec_many(const GlobalOptions& global, const ExecArgs& args) {
  // With --all there is no namespace argument: what CLI11 took for one is the command's first
  // word (every word after -- fills the positionals in order).
  std::vector<std::string> command = args.command;
  if (!args.all_file.empty() && !args.ns.empty()) command.insert(command.begin(), args.ns);
  if (command.empty()) {
    print_error({ErrorKind::usage, "nstopo exec needs a command after -- (nstopo exec --all FILE "
                                   "-- CMD...)"});
    return exit_code(ExitCode::usage);
  }
  auto selection = select_namespaces(global, args);
  if (selection.failed >= 0) return selection.failed;
  for (const auto& ns : selection.namespaces)
    if (auto problem = namespace_entry_problem(ns, "nstopo exec")) {
      print_error(*problem);
      return exit_code(exit_code_for(*problem));
    }

  std::fflush(stdout);
  std::fflush(stderr);
  auto results = services::exec_in_namespaces(global.netns_dir, selection.namespaces, command,
                                              args.jobs, STDOUT_FILENO, STDERR_FILENO);
  int worst = 0;
  std::vector<std::string> failures;
  for (const auto& r : results) {
    if (r.error) print_error(*r.error);
    if (!r.started && !r.error) {
      failures.push_back(fmt::format("{} (not started: interrupted)", r.ns));
      worst = std::max(worst, 128 + services::ForwardedSignals::stop_requested());
      continue;
    }
    worst = std::max(worst, r.exit_code);
    if (r.exit_code != 0) failures.push_back(fmt::format("{} (exit {})", r.ns, r.exit_code));
  }
  if (!failures.empty()) {
    std::fprintf(stderr, "nstopo: %zu of %zu namespaces failed: %s\n", failures.size(),
                 results.size(), fmt::format("{}", fmt::join(failures, ", ")).c_str());
    if (worst == 0) worst = exit_code(ExitCode::error);
  }
  return worst;
}

}  // namespace nstopo::cli
