// nstopo shell NS: the user's shell ($SHELL, else /bin/sh) inside the namespace, entered as
// `nstopo exec` enters it (ip netns exec semantics), with the lab and namespace in its prompt.
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/namespace_access.h"
#include "cli/render.h"
#include "services/exec.h"
#include "state/state_store.h"

namespace nstopo::cli {

namespace {

// The lab whose record holds `ns`; "" when none does (or the records cannot be read: the
// prompt then shows the namespace alone, which is no reason to refuse a shell).
std::string lab_of(const std::string& state_dir, const std::string& ns) {
  state::StateStore store(state_dir);
  for (const auto& lab : store.labs()) {
    auto state = store.load(lab);
    if (state && state->namespaces.contains(ns)) return lab;
  }
  return "";
}

}  // namespace

int run_shell(const GlobalOptions& global, const ShellArgs& args) {
  if (auto problem = namespace_entry_problem(args.ns, "nstopo shell")) {
    print_error(*problem);
    return exit_code(exit_code_for(*problem));
  }
  const char* user_shell = std::getenv("SHELL");
  std::string shell = user_shell && *user_shell ? user_shell : "/bin/sh";
  std::string lab = lab_of(global.state_dir, args.ns);
  std::string where = lab.empty() ? args.ns : fmt::format("{}:{}", lab, args.ns);

  // The prompt: PS1 for sh and bash; bash's rc files usually set PS1 again, and Debian's show
  // $debian_chroot in front of it, so that is set too. The names are checked (letters,
  // digits, '_', '-', '.'): nothing in them means anything to a shell.
  bool bash = std::filesystem::path(shell).filename() == "bash";
  std::string sign = ::geteuid() == 0 ? "#" : "$";
  std::string ps1 = bash ? fmt::format("({}) \\u@\\h:\\w\\$ ", where) : fmt::format("({}) {} ", where, sign);
  ::setenv("PS1", ps1.c_str(), 1);
  ::setenv("debian_chroot", where.c_str(), 1);
  ::setenv("NSTOPO_NAMESPACE", args.ns.c_str(), 1);
  if (lab.empty())
    ::unsetenv("NSTOPO_LAB");
  else
    ::setenv("NSTOPO_LAB", lab.c_str(), 1);

  auto code = services::exec_in_namespace(global.netns_dir, args.ns, {shell});
  if (!code) {
    Error error = code.error();
    if (error.error_number == ENOENT && error.message.find(shell) != std::string::npos)
      error.notes.push_back(fmt::format("$SHELL is {}; set SHELL to a shell that exists", shell));
    print_error(error);
    return exit_code(exit_code_for(error));
  }
  return *code;
}

}  // namespace nstopo::cli
