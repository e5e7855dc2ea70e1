#pragma once
// One function per subcommand; each returns the process exit code.
#include <string>
#include <vector>

namespace nstopo::cli {

enum class OutputFormat { text, json };

// Where nstopo keeps its records: --state-dir, else $NSTOPO_STATE_DIR, else /run/nstopo.
struct GlobalOptions {
  std::string state_dir;
  std::string netns_dir = "/run/netns";
};

struct ValidateArgs {
  std::vector<std::string> files;
};
int run_validate(const GlobalOptions& global, const ValidateArgs& args);

struct PlanArgs {
  std::string file;
  OutputFormat output = OutputFormat::text;
  bool detailed_exitcode = false;
  bool adopt = false;
  bool no_wait = false;
};
int run_plan(const GlobalOptions& global, const PlanArgs& args);

struct ApplyArgs {
  std::string file;
  OutputFormat output = OutputFormat::text;
  bool check = false;  // run the file's checks after a successful apply (cmd_check.cpp)
  bool dry_run = false;
  bool adopt = false;
  bool no_wait = false;
};
int run_apply(const GlobalOptions& global, const ApplyArgs& args);

struct DestroyArgs {
  std::string file;  // or:
  std::string name;  // the lab's name, from its state (when the file is gone or edited)
  OutputFormat output = OutputFormat::text;
  bool dry_run = false;
  bool no_wait = false;
};
int run_destroy(const GlobalOptions& global, const DestroyArgs& args);

struct StatusArgs {
  std::string file;
  OutputFormat output = OutputFormat::text;
  bool detailed_exitcode = false;  // 0 all present, 2 drift or missing, 3 conflict, 1 error
};
int run_status(const GlobalOptions& global, const StatusArgs& args);

enum class CheckFormat { text, json, junit };
struct CheckArgs {
  std::string file;
  CheckFormat output = CheckFormat::text;
  std::string junit_file;         // also write JUnit XML there
  std::vector<std::string> only;  // check names; empty: all
};
int run_check(const GlobalOptions& global, const CheckArgs& args);

struct ExecArgs {
  std::string ns;
  std::vector<std::string> command;
};
int run_exec(const GlobalOptions& global, const ExecArgs& args);

struct LogsArgs {
  std::string lab;      // a lab name, or a topology file naming it
  std::string service;  // NS/SERVICE
  bool follow = false;
};
int run_logs(const GlobalOptions& global, const LogsArgs& args);

}  // namespace nstopo::cli
