#pragma once
// Which namespaces a multi-namespace `nstopo exec` runs in: those a topology file declares
// (--all FILE), or those a glob matches, among the named namespaces of the netns directory or
// among one lab's (--lab).
#include <optional>
#include <string>
#include <vector>

#include "model/error.h"

namespace nstopo::cli {

// True when `pattern` holds a glob character (*, ? or [): a name never does.
bool is_namespace_glob(const std::string& pattern);

// The names among `candidates` that `glob` matches (fnmatch(3), no flags), sorted, unique.
std::vector<std::string> match_namespaces(const std::string& glob,
                                          const std::vector<std::string>& candidates);

// The namespaces a topology file declares, in name order; the file's diagnostics go to
// stderr when it does not load (nullopt).
std::optional<std::vector<std::string>> declared_namespaces(const std::string& file);

// Named namespaces: the entries of the netns directory.
Result<std::vector<std::string>> named_namespaces(const std::string& netns_dir);

// A lab's namespaces: declared by its file when `lab` is a file, else recorded as the lab's.
Result<std::vector<std::string>> lab_namespaces(const std::string& state_dir,
                                                const std::string& lab);

}  // namespace nstopo::cli
