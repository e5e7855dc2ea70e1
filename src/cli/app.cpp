#include "cli/app.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>

#include "cli/command_suggestion.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace nstopo::cli {

namespace {

const std::map<std::string, OutputFormat> kFormats{{"text", OutputFormat::text},
                                                   {"json", OutputFormat::json}};

void add_output_option(CLI::App* command, OutputFormat& output) {
  command->add_option("-o,--output", output, "Output format: text or json")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
}

void add_topology_file(CLI::App* command, std::string& file) {
  command->add_option("file", file, "Topology file")->required()->check(CLI::ExistingFile);
}

void add_no_wait_option(CLI::App* command, bool& no_wait) {
  command->add_flag("--no-wait", no_wait,
                    "Fail at once (exit 5) when another nstopo is working on the lab, instead of "
                    "waiting for it");
}

std::string default_state_dir() {
  const char* env = std::getenv("NSTOPO_STATE_DIR");
  return env && *env ? env : "/run/nstopo";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "nstopo: declarative network topologies on Linux. One YAML file declares network "
      "namespaces, veth links, bridges, addresses, routes, sysctls and services; nstopo reads the "
      "live kernel state, plans the difference and applies it.",
      "nstopo"};
  app.footer(kExitCodeHelp);
  app.require_subcommand(1);
  app.set_version_flag("--version", "nstopo 0.1.0");

  GlobalOptions global;
  global.state_dir = default_state_dir();
  app.add_option("--state-dir", global.state_dir,
                 "Where lab records live (default $NSTOPO_STATE_DIR, else /run/nstopo)")
      ->capture_default_str();

  ValidateArgs validate;
  auto* validate_cmd = app.add_subcommand(
      "validate", "Check topology files without touching the system (no root needed); every "
                  "problem is reported at once, compiler-style. Exit 0 when all are valid, 1 if not.");
  validate_cmd->add_option("files", validate.files, "Topology files")->required()->check(CLI::ExistingFile);

  PlanArgs plan;
  auto* plan_cmd = app.add_subcommand(
      "plan", "Show the actions apply would take (+ create, ~ change, - delete), with the reason "
              "for each, without changing anything.");
  add_topology_file(plan_cmd, plan.file);
  add_output_option(plan_cmd, plan.output);
  plan_cmd->add_flag("--detailed-exitcode", plan.detailed_exitcode,
                     "Exit 0 when there is nothing to do, 2 when changes are pending, 1 on error");
  plan_cmd->add_flag("--adopt", plan.adopt, "Plan as apply --adopt would");
  add_no_wait_option(plan_cmd, plan.no_wait);

  ApplyArgs apply;
  auto* apply_cmd = app.add_subcommand(
      "apply", "Make the live system match the file: the minimal ordered changes, verified "
               "afterwards. A failed change undoes the ones before it.");
  add_topology_file(apply_cmd, apply.file);
  add_output_option(apply_cmd, apply.output);
  apply_cmd->add_flag("--dry-run", apply.dry_run, "Print the plan and stop, as `plan` does");
  apply_cmd->add_flag("--adopt", apply.adopt,
                      "Take over declared objects that exist but were not created by this lab "
                      "(they are marked as the lab's, and destroy will remove them)");
  add_no_wait_option(apply_cmd, apply.no_wait);
  apply_cmd->add_flag("--check", apply.check,
                      "Run the file's checks after a successful apply, as `check` does (exit 1 "
                      "when one does not hold)");

  DestroyArgs destroy;
  auto* destroy_cmd = app.add_subcommand(
      "destroy", "Remove everything the lab created (its services, namespaces, links, addresses "
                 "and routes) and nothing else.");
  auto* destroy_file = destroy_cmd->add_option("file", destroy.file, "Topology file")
                           ->check(CLI::ExistingFile);
  auto* destroy_name = destroy_cmd->add_option(
      "--name", destroy.name, "The lab's name, read from its records (for when the file is gone or edited)");
  destroy_file->excludes(destroy_name);  // one of the two is required: run_destroy says so
  add_output_option(destroy_cmd, destroy.output);
  destroy_cmd->add_flag("--dry-run", destroy.dry_run, "Print what would be removed and stop");
  add_no_wait_option(destroy_cmd, destroy.no_wait);

  StatusArgs status;
  auto* status_cmd = app.add_subcommand(
      "status", "Show each declared object with its live state: present, missing, or drifted "
                "(and how); each service with its PID, uptime and readiness.");
  add_topology_file(status_cmd, status.file);
  add_output_option(status_cmd, status.output);
  status_cmd->add_flag("--detailed-exitcode", status.detailed_exitcode,
                       "Exit 0 when every object is present, 2 when one is missing or drifted, 3 "
                       "when one is in conflict, 1 on error (without it: 0 unless status fails)");

  CheckArgs check;
  auto* check_cmd = app.add_subcommand(
      "check", "Run the file's checks (ping, tcp, http, exec, route) against the live lab, side "
               "by side: one line each, the evidence of each that fails, a summary. Exit 0 when "
               "all hold, 1 when one does not.");
  add_topology_file(check_cmd, check.file);
  check_cmd->add_option("-o,--output", check.output, "Output format: text, json or junit")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, CheckFormat>{{"text", CheckFormat::text},
                                             {"json", CheckFormat::json},
                                             {"junit", CheckFormat::junit}},
          CLI::ignore_case));
  check_cmd->add_option("--junit-file", check.junit_file, "Also write the results as JUnit XML to PATH");
  check_cmd->add_option("--only", check.only, "Run only the checks of these names");

  ExecArgs exec;
  auto* exec_cmd = app.add_subcommand(
      "exec", "Run a command inside a namespace with the environment services get (the "
              "replacement for `ip netns exec`); its exit code is passed through.");
  exec_cmd->add_option("namespace", exec.ns, "Namespace name")->required();
  exec_cmd->add_option("command", exec.command, "Command and arguments, after --")->required();
  exec_cmd->footer("Example: nstopo exec ns_rifky -- ip addr");

  LogsArgs logs;
  auto* logs_cmd = app.add_subcommand("logs", "Print a service's log.");
  logs_cmd->add_option("lab", logs.lab, "Lab name (or its topology file)")->required();
  logs_cmd->add_option("service", logs.service, "NAMESPACE/SERVICE")->required();
  logs_cmd->add_flag("-f,--follow", logs.follow, "Keep printing what is appended");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (auto unknown = unknown_command_message(app, argc, argv)) {
      std::fprintf(stderr, "nstopo: %s\nRun with --help for the list of commands.\n", unknown->c_str());
      return exit_code(ExitCode::usage);
    }
    int code = app.exit(e);
    return code == 0 ? 0 : exit_code(ExitCode::usage);
  }

  try {
    if (*validate_cmd) return run_validate(global, validate);
    if (*plan_cmd) return run_plan(global, plan);
    if (*apply_cmd) return run_apply(global, apply);
    if (*destroy_cmd) return run_destroy(global, destroy);
    if (*status_cmd) return run_status(global, status);
    if (*check_cmd) return run_check(global, check);
    if (*exec_cmd) return run_exec(global, exec);
    if (*logs_cmd) return run_logs(global, logs);
  } catch (const std::exception& e) {
    // The last catch: a dependency threw where nobody expected it. Say so plainly.
    std::fprintf(stderr, "nstopo: internal error: %s\n", e.what());
    return exit_code(ExitCode::error);
  }
  return exit_code(ExitCode::usage);
}

}  // namespace nstopo::cli
