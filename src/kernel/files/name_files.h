#pragma once
// The lab's name files on disk (what they hold is decided in model/name_files.h): the files
// of /etc/netns/NS/ and the lab's block of /etc/hosts. Plain file system calls, no decisions:
// every write is whole and atomic (a temp file beside it, fsync, rename), so a reader (a
// resolver inside `ip netns exec`) sees the old file or the new one, never half of one.
// `etc_dir` is /etc, but for tests.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/error.h"

namespace nstopo::kernel {

using NameFileMap = std::map<std::pair<std::string, std::string>, std::string>;

// Adds ETC/netns/NS/FILE of each model::kNameFiles that exists, for each NS of `namespaces`,
// to `out`, keyed (ns, file).
Result<void> read_name_files(const std::string& etc_dir, const std::vector<std::string>& namespaces,
                             NameFileMap& out);
// Writes ETC/netns/NS/FILE (making ETC/netns and ETC/netns/NS, mode 0755, if missing).
Result<void> write_name_file(const std::string& etc_dir, const std::string& ns,
                             const std::string& file, const std::string& content);
// Deletes ETC/netns/NS/FILE (gone already: fine), then ETC/netns/NS if that left it empty.
Result<void> remove_name_file(const std::string& etc_dir, const std::string& ns,
                              const std::string& file);

// The lab's block of ETC/hosts: its body (nullopt when the file has none), or in `problem`
// why its markers make no block. A missing ETC/hosts has no block.
struct HostBlockRead {
  std::optional<std::string> body;
  std::string problem;
};
Result<HostBlockRead> read_host_block(const std::string& etc_dir, const std::string& lab);
// Rewrites ETC/hosts with the lab's block set to `body` (nullopt: removed), every line outside
// the block kept, the file's mode and owner kept. Refused when the markers make no block.
Result<void> write_host_block(const std::string& etc_dir, const std::string& lab,
                              const std::optional<std::string>& body);

}  // namespace nstopo::kernel
