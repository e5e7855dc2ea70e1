#include "cli/namespace_selection.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>

#include "cli/topology_file.h"
#include "parse/names.h"
#include "state/state_store.h"

namespace nstopo::cli {

bool is_namespace_glob(const std::string& pattern) {
  return pattern.find_first_of("*?[") != std::string::npos;
}

std::vector<std::string> match_namespaces(const std::string& glob,
                                          const std::vector<std::string>& candidates) {
  std::vector<std::string> matched;
  for (const auto& name : candidates)
    if (::fnmatch(glob.c_str(), name.c_str(), 0) == 0) matched.push_back(name);
  std::sort(matched.begin(), matched.end());
  matched.erase(std::unique(matched.begin(), matched.end()), matched.end());
  return matched;
}

std::optional<std::vector<std::string>> declared_namespaces(const std::string& file) {
  auto topology = load_topology_or_report(file);
  if (!topology) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& [name, ns] : topology->namespaces) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<std::string>> named_namespaces(const std::string& netns_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (auto& entry : std::filesystem::directory_iterator(netns_dir, ec)) {
    auto name = entry.path().filename().string();
    // Only what could be entered by name: a stray file with a strange name is no namespace.
    if (!parse::namespace_name_problem(name)) names.push_back(name);
  }
  if (ec && ec != std::errc::no_such_file_or_directory)
    return fail(ErrorKind::internal, fmt::format("cannot list the namespaces in {}", netns_dir),
                netns_dir, ec.value());
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<std::string>> lab_namespaces(const std::string& state_dir,
                                                const std::string& lab) {
  if (std::filesystem::is_regular_file(lab)) {
    auto declared = declared_namespaces(lab);
    if (!declared)
      return fail(ErrorKind::invalid_input, fmt::format("{} is not a valid topology file", lab), lab);
    return *declared;
  }
  if (auto problem = parse::lab_name_problem(lab))
    return fail(ErrorKind::usage,
                fmt::format("--lab '{}' is neither a topology file nor a lab name", lab), lab);
  auto state = state::StateStore(state_dir).load(lab);
  if (!state) return std::unexpected(state.error());
  if (state->namespaces.empty())
    return fail(ErrorKind::invalid_input,
                fmt::format("lab {} has no namespaces on record (is it applied?)", lab), lab);
  return std::vector<std::string>(state->namespaces.begin(), state->namespaces.end());
}

}  // namespace nstopo::cli
