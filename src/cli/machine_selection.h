#pragma once
// `--host NAME` of plan, apply, destroy, status and check: which machine's share of a lab on
// several machines (model/machines.h) this run converges. Without it, the machine whose
// hostname or one of whose addresses matches an entry of the file's `hosts:`.
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "model/topology.h"

namespace nstopo::cli {

// The share of `topology` for the machine `requested` names (or this machine); a lab without
// machines as it is. On a problem says so (as an error document too under -o json/yaml) and
// returns the exit code: usage for a --host the file does not declare (or any --host for a
// lab on one machine), error when no machine, or several, match this one.
std::expected<model::Topology, ExitCode> machine_share(model::Topology topology,
                                                       std::string_view requested,
                                                       OutputFormat format, std::string_view command);

// The one machine of the lab this machine is (by hostname or address), quietly; nullopt when
// none or several match.
std::optional<std::string> this_machine(const model::Topology& topology);

// load_topology_or_report, then machine_share: the file's share for this run, or nullopt after
// saying why, with the exit code in `failed`.
std::optional<model::Topology> load_share_or_report(const std::string& path,
                                                    std::string_view requested,
                                                    OutputFormat format, std::string_view command,
                                                    ExitCode& failed);

}  // namespace nstopo::cli
