#include "cli/app.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>

#include "cli/command_suggestion.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/help_text.h"
#include "cli/render.h"

namespace nstopo::cli {

namespace {

const std::map<std::string, OutputFormat> kFormats{
    {"text", OutputFormat::text}, {"json", OutputFormat::json}, {"yaml", OutputFormat::yaml}};

void add_output_option(CLI::App* command, OutputFormat& output) {
  command
      ->add_option("-o,--output", output,
                   "text for people (the default); json or yaml: one document on stdout, as "
                   "schemas/output.schema.json describes")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case).description(""))
      ->type_name("text|json|yaml");
}

// The format asked for on a command line CLI11 refused, so that the usage error can be a
// document too: the last -o/--output given, as the option itself would take it.
OutputFormat requested_format(int argc, char** argv) {
  OutputFormat format = OutputFormat::text;
  auto take = [&](std::string_view value) {
    if (auto it = kFormats.find(std::string(value)); it != kFormats.end()) format = it->second;
  };
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    if ((arg == "-o" || arg == "--output") && i + 1 < argc) take(argv[i + 1]);
    else if (arg.starts_with("--output=")) take(arg.substr(9));
    else if (arg.starts_with("-o") && arg.size() > 2) take(arg.substr(2));
  }
  return format;
}

// The subcommand the refused line named, for the usage error's `command`.
std::string requested_command(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
      if (sub->get_name() == argv[i]) return sub->get_name();
  return "";
}

void add_topology_file(CLI::App* command, std::string& file) {
  command->add_option("file", file, "Topology file")->required()->check(CLI::ExistingFile);
}

void add_machine_option(CLI::App* command, std::string& machine) {
  command->add_option("--host", machine,
                      "For a lab on several machines ('hosts:'): the machine whose share this "
                      "is (default: the one whose hostname or address matches)")
      ->type_name("NAME");
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
  app.require_subcommand(1);
  app.set_version_flag("--version", "nstopo 0.1.0");
  // Global options are taken anywhere on the line: `nstopo apply -q lab.yaml` as well as
  // `nstopo -q apply lab.yaml`.
  app.fallthrough();

  GlobalOptions global;
  global.state_dir = default_state_dir();
  app.add_option("--state-dir", global.state_dir,
                 "Where lab records live (default $NSTOPO_STATE_DIR, else /run/nstopo)")
      ->capture_default_str();
  app.add_flag_callback("-q,--quiet", [&] { global.verbosity = Verbosity::quiet; },
                        "Print nothing but errors");
  app.add_flag_callback("-v,--verbose", [&] { global.verbosity = Verbosity::verbose; },
                        "Print every change as a line, even on a terminal (where a live "
                        "progress line is shown otherwise)");
  const std::map<std::string, ColorChoice> colors{
      {"auto", ColorChoice::automatic}, {"always", ColorChoice::always}, {"never", ColorChoice::never}};
  app.add_option("--color", global.color,
                 "Colour the changes: auto (on a terminal, unless NO_COLOR is set), always, never")
      ->transform(CLI::CheckedTransformer(colors, CLI::ignore_case).description(""))
      ->type_name("auto|always|never");
  app.add_option("--service-starts", global.service_starts,
                 "Start at most N services at once (default 32; 1: one after the other)")
      ->check(CLI::Range(1U, 4096U))
      ->type_name("N");

  ValidateArgs validate;
  auto* validate_cmd = app.add_subcommand(
      "validate", "Check topology files without touching the system (no root needed); every "
                  "problem is reported at once, compiler-style. Exit 0 when all are valid, 1 if not.");
  validate_cmd->add_option("files", validate.files, "Topology files")->required()->check(CLI::ExistingFile);
  add_output_option(validate_cmd, validate.output);
  validate_cmd->footer(command_footer({"nstopo validate topologies/*.yaml", "nstopo validate -o json lab.yaml"},
                                      {ExitCode::ok, ExitCode::error, ExitCode::usage}));

  PlanArgs plan;
  auto* plan_cmd = app.add_subcommand(
      "plan", "Show the actions apply would take (+ create, ~ change, - delete), with the reason "
              "for each, without changing anything.");
  add_topology_file(plan_cmd, plan.file);
  add_machine_option(plan_cmd, plan.machine);
  add_output_option(plan_cmd, plan.output);
  plan_cmd->add_flag("--detailed-exitcode", plan.detailed_exitcode,
                     "Exit 0 when there is nothing to do, 2 when changes are pending, 1 on error");
  plan_cmd->add_flag("--adopt", plan.adopt, "Plan as apply --adopt would");
  add_no_wait_option(plan_cmd, plan.no_wait);
  plan_cmd->footer(command_footer(
      {"nstopo plan lab.yaml", "nstopo plan --detailed-exitcode -q lab.yaml || echo \"lab differs\""},
      {ExitCode::ok, ExitCode::error, ExitCode::changes_pending, ExitCode::conflict,
       ExitCode::permission, ExitCode::busy, ExitCode::usage, ExitCode::interrupted_sigint}));

  ApplyArgs apply;
  auto* apply_cmd = app.add_subcommand(
      "apply", "Make the live system match the file: the minimal ordered changes, verified "
               "afterwards. A failed change undoes the ones before it.");
  add_topology_file(apply_cmd, apply.file);
  add_machine_option(apply_cmd, apply.machine);
  add_output_option(apply_cmd, apply.output);
  apply_cmd->add_flag("--dry-run", apply.dry_run, "Print the plan and stop, as `plan` does");
  apply_cmd->add_flag("--adopt", apply.adopt,
                      "Take over declared objects that exist but were not created by this lab "
                      "(they are marked as the lab's, and destroy will remove them)");
  add_no_wait_option(apply_cmd, apply.no_wait);
  apply_cmd->add_flag("--force", apply.force,
                      "Apply despite warnings (a declared address already used by a host "
                      "interface the lab does not own)");
  apply_cmd->add_flag("--check", apply.check,
                      "Run the file's checks after a successful apply, as `check` does (exit 1 "
                      "when one does not hold)");
  apply_cmd->footer(command_footer(
      {"sudo nstopo apply topologies/seed.yaml", "sudo nstopo apply -o json lab.yaml > result.json",
       "sudo nstopo apply --host lab2 topologies/multi-host.yaml"},
      {ExitCode::ok, ExitCode::error, ExitCode::conflict, ExitCode::permission, ExitCode::busy,
       ExitCode::usage, ExitCode::interrupted_sigint}));

  DestroyArgs destroy;
  auto* destroy_cmd = app.add_subcommand(
      "destroy", "Remove everything the lab created (its services, namespaces, links, addresses "
                 "and routes) and nothing else.");
  auto* destroy_file = destroy_cmd->add_option("file", destroy.file, "Topology file")
                           ->check(CLI::ExistingFile);
  auto* destroy_name = destroy_cmd->add_option(
      "--name", destroy.name, "The lab's name, read from its records (for when the file is gone or edited)");
  destroy_file->excludes(destroy_name);
  add_machine_option(destroy_cmd, destroy.machine);  // one of the two is required: run_destroy says so
  add_output_option(destroy_cmd, destroy.output);
  destroy_cmd->add_flag("--dry-run", destroy.dry_run, "Print what would be removed and stop");
  add_no_wait_option(destroy_cmd, destroy.no_wait);
  destroy_cmd->footer(command_footer(
      {"sudo nstopo destroy lab.yaml", "sudo nstopo destroy --name seed"},
      {ExitCode::ok, ExitCode::error, ExitCode::permission, ExitCode::busy, ExitCode::usage,
       ExitCode::interrupted_sigint}));

  StatusArgs status;
  auto* status_cmd = app.add_subcommand(
      "status", "Show each declared object with its live state: present, missing, or drifted "
                "(and how); each service with its PID, uptime and readiness.");
  add_topology_file(status_cmd, status.file);
  add_machine_option(status_cmd, status.machine);
  add_output_option(status_cmd, status.output);
  status_cmd->add_flag("--detailed-exitcode", status.detailed_exitcode,
                       "Exit 0 when every object is present, 2 when one is missing or drifted, 3 "
                       "when one is in conflict, 1 on error (without it: 0 unless status fails)");
  status_cmd->footer(command_footer(
      {"nstopo status lab.yaml", "nstopo status --detailed-exitcode -q lab.yaml"},
      {ExitCode::ok, ExitCode::error, ExitCode::changes_pending, ExitCode::conflict,
       ExitCode::permission, ExitCode::usage}));

  CheckArgs check;
  auto* check_cmd = app.add_subcommand(
      "check", "Run the file's checks (ping, tcp, http, exec, route) against the live lab, side "
               "by side: one line each, the evidence of each that fails, a summary. Exit 0 when "
               "all hold, 1 when one does not.");
  add_topology_file(check_cmd, check.file);
  add_machine_option(check_cmd, check.machine);
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
              "replacement for `ip netns exec`); its exit code is passed through. In several "
              "namespaces (--all FILE, a glob): side by side, each line prefixed [NS], the "
              "worst exit code.");
  exec_cmd->add_option("namespace", exec.ns,
                       "Namespace name, or a glob ('ns_*'): each line of each is prefixed [NS] "
                       "and the exit code is the worst");
  // Not required here: with --all, a one-word command fills `namespace` (run_exec checks).
  exec_cmd->add_option("command", exec.command, "Command and arguments, after --");
  exec_cmd->add_option("--all", exec.all_file, "Run in every namespace the topology file declares")
      ->check(CLI::ExistingFile);
  exec_cmd->add_option("--lab", exec.lab, "A glob matches this lab's namespaces (name or file) only");
  exec_cmd->add_option("-j,--jobs", exec.jobs, "Several namespaces: at most this many at once")
      ->check(CLI::Range(1, 64))->capture_default_str();
  exec_cmd->footer(
      "Examples:\n  sudo nstopo exec ns_rifky -- ip addr\n  sudo nstopo exec --all lab.yaml -- ip "
      "-br addr\n  sudo nstopo exec 'ns_*' -- ping -c1 10.0.0.10\n\nExit codes: the command's own "
      "(several namespaces: the worst), 127 when it cannot be started, 1 when the namespace "
      "cannot be entered, 64 usage error, 143 stopped by SIGTERM.");

  ShellArgs shell;
  auto* shell_cmd = app.add_subcommand(
      "shell", "Start an interactive shell ($SHELL, else /bin/sh) inside a namespace, as `ip netns "
               "exec` would, with the lab and namespace in its prompt (NSTOPO_LAB, "
               "NSTOPO_NAMESPACE).");
  shell_cmd->add_option("namespace", shell.ns, "Namespace name")->required();
  shell_cmd->footer("Example:\n  sudo nstopo shell ns_rifky\n\nExit codes: the shell's own, 1 "
                    "when the namespace cannot be entered, 64 usage error.");

  CaptureArgs capture;
  auto* capture_cmd = app.add_subcommand(
      "capture", "Capture packets on an interface of a namespace with tcpdump (needed at run "
                 "time), on the terminal or into a pcap file for Wireshark.");
  capture_cmd->add_option("target", capture.target, "NAMESPACE:INTERFACE (host:IF on the host)")
      ->required();
  capture_cmd->add_option("-w,--write", capture.write_file, "Write the packets to this pcap file");
  capture_cmd->add_option("tcpdump_args", capture.tcpdump_args,
                          "More tcpdump arguments (a filter, -c COUNT...), after --");
  capture_cmd->footer(command_footer(
      {"sudo nstopo capture ns_rifky:veth_ns_rifky", "sudo nstopo capture ns_rifky:veth_ns_rifky -w web.pcap -- tcp port 4000"},
      {ExitCode::ok, ExitCode::error, ExitCode::usage}));

  LsArgs ls;
  auto* ls_cmd = app.add_subcommand(
      "ls", "List the labs on this machine from their records: file, namespaces, services "
            "running, and whether the lab still matches its file. Read-only, takes no lock.");
  add_output_option(ls_cmd, ls.output);
  ls_cmd->footer(command_footer({"nstopo ls", "nstopo ls -o json"},
                                {ExitCode::ok, ExitCode::error, ExitCode::permission, ExitCode::usage}));

  ShowArgs show;
  auto* show_cmd = app.add_subcommand(
      "show", "Write the live state of namespaces (made by nstopo or not) as a topology file: "
              "namespaces, interfaces, veth links, bridges, addresses, MTUs and routes.");
  show_cmd->add_option("namespaces", show.namespaces, "Namespace names");
  show_cmd->add_flag("--all", show.all, "Every namespace in /run/netns");
  show_cmd
      ->add_option("-o,--output", show.output,
                   "yaml (the default): the topology file itself; json: a document holding it "
                   "and what was left out")
      ->check(CLI::IsMember({"yaml", "json"}, CLI::ignore_case).description(""))
      ->type_name("yaml|json");
  show_cmd->add_option("--name", show.name, "The lab name the file declares (default: show)");
  show_cmd->footer(command_footer(
      {"sudo nstopo show --all > lab.yaml && sudo nstopo apply --adopt lab.yaml", "sudo nstopo show ns_a ns_b -o json"},
      {ExitCode::ok, ExitCode::error, ExitCode::permission, ExitCode::usage}));

  LogsArgs logs;
  auto* logs_cmd = app.add_subcommand("logs", "Print a service's log.");
  logs_cmd->add_option("lab", logs.lab, "Lab name (or its topology file)")->required();
  logs_cmd->add_option("service", logs.service, "NAMESPACE/SERVICE")->required();
  logs_cmd->add_flag("-f,--follow", logs.follow, "Keep printing what is appended");
  logs_cmd->footer(command_footer({"nstopo logs seed ns_rifky/web", "nstopo logs -f lab.yaml ns_a/api"},
                                  {ExitCode::ok, ExitCode::error, ExitCode::usage}));

  // Set last: a subcommand copies its parent's footer when it is made.
  app.footer(kExitCodeHelp);

  GraphArgs graph;
  auto* graph_cmd = app.add_subcommand(
      "graph", "Draw the lab: namespaces (the host apart), links with their interfaces and "
               "addresses, bridges, services; coloured by live state (present, missing, drifted, "
               "conflict) when the lab exists. svg and html need Graphviz's dot.");
  add_topology_file(graph_cmd, graph.file);
  graph_cmd->add_option("-f,--format", graph.format, "dot (default), mermaid, svg, html or json")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, GraphFormat>{{"dot", GraphFormat::dot}, {"mermaid", GraphFormat::mermaid},
                                             {"svg", GraphFormat::svg}, {"html", GraphFormat::html},
                                             {"json", GraphFormat::json}},
          CLI::ignore_case));
  auto* graph_live = graph_cmd->add_flag_callback(
      "--live", [&graph] { graph.live = true; }, "Colour by live state (default: when the lab has records)");
  graph_cmd->add_flag_callback("--no-live", [&graph] { graph.live = false; }, "Draw the file alone")
      ->excludes(graph_live);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    auto format = requested_format(argc, argv);
    if (auto unknown = unknown_command_message(app, argc, argv)) {
      print_usage_error("", *unknown, format);
      return exit_code(ExitCode::usage);
    }
    if (e.get_exit_code() == 0 || !is_document(format)) {  // --help, --version, or text
      int code = app.exit(e);
      return code == 0 ? 0 : exit_code(ExitCode::usage);
    }
    print_usage_error(requested_command(app, argc, argv), e.what(), format);
    return exit_code(ExitCode::usage);
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
    if (*shell_cmd) return run_shell(global, shell);
    if (*capture_cmd) return run_capture(global, capture);
    if (*ls_cmd) return run_ls(global, ls);
    if (*show_cmd) return run_show(global, show);
    if (*graph_cmd) return run_graph(global, graph);
  } catch (const std::exception& e) {
    // The last catch: a dependency threw where nobody expected it. Say so plainly.
    std::fprintf(stderr, "nstopo: internal error: %s\n", e.what());
    return exit_code(ExitCode::error);
  }
  return exit_code(ExitCode::usage);
}

}  // namespace nstopo::cli
