// nstopo capture NS:IF [-w FILE.pcap] [-- tcpdump args]: tcpdump (a runtime dependency, not
// linked) run inside the namespace as `nstopo exec` runs a command, on that interface. The
// namespace and the interface are checked first, so a typo gets nstopo's message, not
// tcpdump's.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/namespace_access.h"
#include "cli/render.h"
#include "kernel/netns/netns_exec.h"
#include "services/exec.h"

namespace nstopo::cli {

namespace {

// tcpdump as the command's PATH lookup would find it (execvp), or "" when it is not there.
std::string find_in_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path && *path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
  while (true) {
    size_t colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) return "";
    dirs.remove_prefix(colon + 1);
  }
}

}  // namespace

int run_capture(const GlobalOptions& global, const CaptureArgs& args) {
  auto usage = [&](std::string message) {
    print_error({ErrorKind::usage, std::move(message), args.target});
    return exit_code(ExitCode::usage);
  };
  auto colon = args.target.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == args.target.size())
    return usage(fmt::format("'{}' is not NAMESPACE:INTERFACE (e.g. ns_rifky:veth_ns_rifky, "
                             "host:veth_rifky)",
                             args.target));
  std::string ns = args.target.substr(0, colon), ifname = args.target.substr(colon + 1);
  if (auto problem = namespace_entry_problem(ns, "nstopo capture")) {
    print_error(*problem);
    return exit_code(exit_code_for(*problem));
  }
  if (find_in_path("tcpdump").empty()) {
    Error error{ErrorKind::invalid_input,
                "nstopo capture runs tcpdump, which is not installed (not found in PATH)", "tcpdump"};
    error.notes.push_back("install it: apt-get install tcpdump");
    print_error(error);
    return exit_code(ExitCode::error);
  }

  // "any" is tcpdump's every-interface pseudo-device; anything else must exist in there.
  if (ifname != "any") {
    auto names = kernel::interface_names(global.netns_dir, ns);
    if (!names) {
      Error error = names.error();
      if (error.error_number == ENOENT)
        error.message = fmt::format("namespace {} does not exist ({}/{} is missing)", ns,
                                    global.netns_dir, ns);
      print_error(error);
      return exit_code(exit_code_for(error));
    }
    if (std::find(names->begin(), names->end(), ifname) == names->end()) {
      std::sort(names->begin(), names->end());
      print_error({ErrorKind::invalid_input,
                   fmt::format("namespace {} has no interface {} (it has: {})", ns, ifname,
                               fmt::join(*names, ", ")),
                   args.target});
      return exit_code(ExitCode::error);
    }
  }

  std::vector<std::string> argv{"tcpdump", "-i", ifname};
  if (!args.write_file.empty()) {
    // Packet-buffered (-U): a pcap opened while the capture runs already holds what was seen.
    argv.insert(argv.end(), {"-U", "-w", args.write_file});
  }
  argv.insert(argv.end(), args.tcpdump_args.begin(), args.tcpdump_args.end());
  auto code = services::exec_in_namespace(global.netns_dir, ns, argv);
  if (!code) {
    print_error(code.error());
    return exit_code(exit_code_for(code.error()));
  }
  return *code;
}

}  // namespace nstopo::cli
