#include "cli/machine_selection.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstring>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/render.h"
#include "cli/topology_file.h"
#include "model/machines.h"
#include "model/suggest.h"

namespace nstopo::cli {

namespace {

// This machine's addresses (every interface of the namespace nstopo runs in).
std::set<model::IpAddress> own_addresses() {
  std::set<model::IpAddress> found;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return found;
  for (ifaddrs* entry = list; entry; entry = entry->ifa_next) {
    if (!entry->ifa_addr) continue;
    model::IpAddress ip;
    if (entry->ifa_addr->sa_family == AF_INET) {
      ip.family = model::Family::inet;
      std::memcpy(ip.bytes.data(), &reinterpret_cast<sockaddr_in*>(entry->ifa_addr)->sin_addr, 4);
    } else if (entry->ifa_addr->sa_family == AF_INET6) {
      ip.family = model::Family::inet6;
      std::memcpy(ip.bytes.data(), &reinterpret_cast<sockaddr_in6*>(entry->ifa_addr)->sin6_addr, 16);
    } else {
      continue;
    }
    found.insert(ip);
  }
  freeifaddrs(list);
  return found;
}

std::string own_hostname() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

std::string machine_list(const model::Topology& topology) {
  std::vector<std::string> names;
  for (auto& machine : topology.machines)
    names.push_back(fmt::format("{} ({})", machine.name, machine.address.to_string()));
  return fmt::format("{}", fmt::join(names, ", "));
}

// The machines whose name is this hostname (or its first label) or whose address is one of
// this machine's.
std::vector<const model::Machine*> matching_machines(const model::Topology& topology,
                                                     std::string& hostname) {
  hostname = own_hostname();
  std::string short_name = hostname.substr(0, hostname.find('.'));
  auto addresses = own_addresses();
  std::vector<const model::Machine*> matches;
  for (auto& machine : topology.machines)
    if (machine.name == hostname || machine.name == short_name ||
        addresses.contains(machine.address))
      matches.push_back(&machine);
  return matches;
}

}  // namespace

std::optional<std::string> this_machine(const model::Topology& topology) {
  std::string hostname;
  auto matches = matching_machines(topology, hostname);
  if (matches.size() != 1) return std::nullopt;
  return matches.front()->name;
}

std::expected<model::Topology, ExitCode> machine_share(model::Topology topology,
                                                       std::string_view requested,
                                                       OutputFormat format, std::string_view command) {
  auto refuse = [&](std::string message, std::string hint = {}) {
    Error error{ErrorKind::invalid_input, std::move(message)};
    if (!hint.empty()) error.notes.push_back("hint: " + hint);
    print_error(command, error, format);
    return std::unexpected(requested.empty() ? ExitCode::error : ExitCode::usage);
  };
  if (topology.machines.empty()) {
    if (requested.empty()) return topology;
    return refuse(fmt::format("--host {}: {} declares no machines (a 'hosts:' map); it is a lab "
                              "on one machine",
                              requested, topology.file),
                  "leave --host out");
  }
  if (!requested.empty()) {
    if (!topology.find_machine(requested)) {
      std::vector<std::string_view> names;
      for (auto& machine : topology.machines) names.push_back(machine.name);
      std::string hint = model::did_you_mean(requested, names);
      return refuse(fmt::format("--host {}: {} declares no such machine; its machines are {}",
                                requested, topology.file, machine_list(topology)),
                    hint);
    }
    return model::share(topology, requested);
  }
  std::string hostname;
  auto matches = matching_machines(topology, hostname);
  if (matches.size() == 1) return model::share(topology, matches.front()->name);
  if (matches.empty())
    return refuse(fmt::format("this machine (hostname '{}') is none of the machines of {}: "
                              "no name or underlay address matches; its machines are {}",
                              hostname, topology.file, machine_list(topology)),
                  "pass --host NAME to say which share of the lab this machine runs");
  std::vector<std::string> names;
  for (auto* machine : matches) names.push_back(machine->name);
  return refuse(fmt::format("this machine matches several machines of {}: {}", topology.file,
                            fmt::join(names, ", ")),
                "pass --host NAME to say which one it is");
}

std::optional<model::Topology> load_share_or_report(const std::string& path,
                                                    std::string_view requested,
                                                    OutputFormat format, std::string_view command,
                                                    ExitCode& failed) {
  failed = ExitCode::error;
  auto topology = load_topology_or_report(path, format, command);
  if (!topology) return std::nullopt;
  auto share = machine_share(std::move(*topology), requested, format, command);
  if (!share) {
    failed = share.error();
    return std::nullopt;
  }
  return std::move(*share);
}

}  // namespace nstopo::cli
