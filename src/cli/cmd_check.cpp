// nstopo check FILE: runs the file's checks against the live lab. Read-only: no lock, no
// records; a lab that is not there fails its checks with the reason ("cannot open namespace").
#include <algorithm>
#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "checks/runner.h"
#include "cli/check_report.h"
#include "cli/cmd_check.h"
#include "cli/machine_selection.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/render.h"
#include "cli/topology_file.h"
#include "model/suggest.h"

namespace nstopo::cli {
namespace {

// The checks --only picks, in the file's order; nullopt (reported) for a name the file lacks.
std::optional<std::vector<const model::Check*>> select(const model::Topology& topology,
                                                       const std::vector<std::string>& only) {
  std::vector<const model::Check*> picked;
  std::vector<std::string_view> names;
  for (const auto& check : topology.checks) names.push_back(check.name);
  bool ok = true;
  for (const auto& name : only) {
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    std::string hint = model::did_you_mean(name, names);
    std::fprintf(stderr, "nstopo check: %s declares no check named '%s'%s%s\n",
                 topology.file.c_str(), name.c_str(), hint.empty() ? "" : "; ", hint.c_str());
    ok = false;
  }
  if (!ok) return std::nullopt;
  for (const auto& check : topology.checks)
    if (only.empty() || std::find(only.begin(), only.end(), check.name) != only.end())
      picked.push_back(&check);
  return picked;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    std::fprintf(stderr, "nstopo check: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

}  // namespace

int run_checks_of(const GlobalOptions& global, const model::Topology& topology,
                  const CheckArgs& args, FILE* text_stream) {
  auto picked = select(topology, args.only);
  if (!picked) return exit_code(ExitCode::usage);
  auto start = std::chrono::steady_clock::now();
  CheckReport report{.lab = topology.name, .file = topology.file};
  report.results = checks::run_checks(*picked, {.netns_dir = global.netns_dir});
  report.elapsed = std::chrono::steady_clock::now() - start;
  std::string out;
  switch (args.output) {
    case CheckFormat::text: out = check_text(report); break;
    case CheckFormat::json: out = check_json(report); break;
    case CheckFormat::junit: out = check_junit(report); break;
  }
  std::fputs(out.c_str(), args.output == CheckFormat::text ? text_stream : stdout);
  std::fflush(stdout);
  if (!args.junit_file.empty() && !write_file(args.junit_file, check_junit(report)))
    return exit_code(ExitCode::error);
  return exit_code(report.failed() == 0 ? ExitCode::ok : ExitCode::error);
}

int run_check(const GlobalOptions& global, const CheckArgs& args) {
  auto errors_as = args.output == CheckFormat::json ? OutputFormat::json : OutputFormat::text;
  ExitCode failed;
  auto topology = load_share_or_report(args.file, args.machine, errors_as, "check", failed);
  if (!topology) return exit_code(failed);
  if (topology->checks.empty()) {
    print_error("check",
                {ErrorKind::invalid_input,
                 fmt::format("{} declares no checks (add a 'checks:' list)", args.file)},
                errors_as);
    return exit_code(ExitCode::error);
  }
  return run_checks_of(global, *topology, args, stdout);
}

}  // namespace nstopo::cli
