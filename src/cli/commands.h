#pragma once
// One function per subcommand; each returns the process exit code.
#include <optional>
#include <string>
#include <vector>

namespace nstopo::cli {

// text for people; json and yaml are the same documents (schemas/output.schema.json).
enum class OutputFormat { text, json, yaml };
inline bool is_document(OutputFormat format) { return format != OutputFormat::text; }

enum class Verbosity { quiet, normal, verbose };  // -q: errors only; -v: every line, even on a TTY
enum class ColorChoice { automatic, always, never };

// Options every command takes, anywhere on the line.
struct GlobalOptions {
  std::string state_dir;  // --state-dir, else $NSTOPO_STATE_DIR, else /run/nstopo
  std::string netns_dir = "/run/netns";
  Verbosity verbosity = Verbosity::normal;
  ColorChoice color = ColorChoice::automatic;
  // --service-starts: at most this many services starting at once; nullopt: the service
  // layer's default (services::kDefaultParallelStarts).
  std::optional<unsigned> service_starts;
};

struct ValidateArgs {
  std::vector<std::string> files;
  OutputFormat output = OutputFormat::text;
};
int run_validate(const GlobalOptions& global, const ValidateArgs& args);

struct PlanArgs {
  std::string file;
  OutputFormat output = OutputFormat::text;
  bool detailed_exitcode = false;
  bool adopt = false;
  bool no_wait = false;
  std::string machine;  // --host: which machine's share of the lab (cli/machine_selection.h)
};
int run_plan(const GlobalOptions& global, const PlanArgs& args);

struct ApplyArgs {
  std::string file;
  OutputFormat output = OutputFormat::text;
  bool check = false;  // run the file's checks after a successful apply (cmd_check.cpp)
  bool dry_run = false;
  bool adopt = false;
  bool no_wait = false;
  bool force = false;  // despite warnings (a declared address a foreign host interface uses)
  std::string machine;  // --host: which machine's share of the lab (cli/machine_selection.h)
};
int run_apply(const GlobalOptions& global, const ApplyArgs& args);

struct DestroyArgs {
  std::string file;  // or:
  std::string name;  // the lab's name, from its state (when the file is gone or edited)
  OutputFormat output = OutputFormat::text;
  bool dry_run = false;
  bool no_wait = false;
  std::string machine;  // --host: which machine's share of the lab (cli/machine_selection.h)
};
int run_destroy(const GlobalOptions& global, const DestroyArgs& args);

struct StatusArgs {
  std::string file;
  OutputFormat output = OutputFormat::text;
  bool detailed_exitcode = false;  // 0 all present, 2 drift or missing, 3 conflict, 1 error
  std::string machine;  // --host: which machine's share of the lab (cli/machine_selection.h)
};
int run_status(const GlobalOptions& global, const StatusArgs& args);

enum class CheckFormat { text, json, junit };
struct CheckArgs {
  std::string file;
  CheckFormat output = CheckFormat::text;
  std::string junit_file;         // also write JUnit XML there
  std::vector<std::string> only;  // check names; empty: all
  std::string machine;  // --host: which machine's share of the lab (cli/machine_selection.h)
};
int run_check(const GlobalOptions& global, const CheckArgs& args);

struct ExecArgs {
  std::string ns;  // a name, or a glob (*, ?, [...]): every namespace it matches
  std::vector<std::string> command;
  std::string all_file;  // --all FILE: every namespace the file declares
  std::string lab;       // --lab LAB|FILE: a glob matches that lab's namespaces only
  size_t jobs = 8;       // several namespaces: at most this many commands at once
};
int run_exec(const GlobalOptions& global, const ExecArgs& args);
int run_exec_many(const GlobalOptions& global, const ExecArgs& args);  // cmd_exec_many.cpp

struct ShellArgs {
  std::string ns;
};
int run_shell(const GlobalOptions& global, const ShellArgs& args);

struct CaptureArgs {
  std::string target;  // NS:IF
  std::string write_file;
  std::vector<std::string> tcpdump_args;
};
int run_capture(const GlobalOptions& global, const CaptureArgs& args);

struct LsArgs {
  OutputFormat output = OutputFormat::text;
};
int run_ls(const GlobalOptions& global, const LsArgs& args);

// `nstopo show`: live namespaces written as a topology file (cli/cmd_show.cpp).
struct ShowArgs {
  std::vector<std::string> namespaces;
  bool all = false;
  std::string output = "yaml";  // yaml or json
  std::string name;             // the lab name the file gets
};
int run_show(const GlobalOptions& global, const ShowArgs& args);

struct LogsArgs {
  std::string lab;      // a lab name, or a topology file naming it
  std::string service;  // NS/SERVICE
  bool follow = false;
};
int run_logs(const GlobalOptions& global, const LogsArgs& args);

enum class GraphFormat { dot, mermaid, svg, html, json };
struct GraphArgs {
  std::string file;
  GraphFormat format = GraphFormat::dot;
  std::optional<bool> live;  // --live / --no-live; unset: live when the lab has records
};
int run_graph(const GlobalOptions& global, const GraphArgs& args);

}  // namespace nstopo::cli
