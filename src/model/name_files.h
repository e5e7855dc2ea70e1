#pragma once
// Names that resolve: the files a lab writes so that its nodes find each other by name.
// Pure: what each file holds is rendered here from the topology; the kernel layer only reads
// and writes them (kernel/files/name_files.h), the planner compares (plan/diff_name_files.cpp).
//
//   /etc/netns/NS/hosts        every lab node's addresses, as "ADDR NODE NODE.LAB", plus
//                              localhost; `ip netns exec`, nstopo's services and `nstopo exec`
//                              bind it over /etc/hosts (kernel/netns/netns_exec.h)
//   /etc/netns/NS/resolv.conf  the namespace's `dns:` (nameservers, search)
//   /etc/hosts (host: true)    the node lines, between "# BEGIN nstopo lab LAB" and
//                              "# END nstopo lab LAB"; nothing outside them is touched
//
// Every file nstopo writes begins with name_file_mark(LAB): a file without the lab's mark is
// never overwritten or deleted (a conflict names it instead).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/topology.h"

namespace nstopo::model {

inline constexpr std::string_view kHostsFile = "hosts";
inline constexpr std::string_view kResolvConfFile = "resolv.conf";
// The files looked for in /etc/netns/NS of every namespace of the lab.
inline constexpr std::string_view kNameFiles[] = {kHostsFile, kResolvConfFile};

// "# nstopo lab LAB: generated, do not edit": the first line of every file nstopo writes.
std::string name_file_mark(std::string_view lab);
// The lab whose mark is the first line of `content`, if any.
std::optional<std::string> name_file_owner(std::string_view content);

// The files namespace `ns` (not the host) should have, file name -> content; none when the
// topology declares neither `hosts:` nor the namespace's `dns:`.
std::vector<std::pair<std::string, std::string>> desired_name_files(const Topology& topology,
                                                                    const Namespace& ns);
// The lab's block of /etc/hosts, its marker lines left out; nullopt unless `hosts: {host: true}`.
std::optional<std::string> desired_host_block(const Topology& topology);

// Where the lab's block stands in a whole /etc/hosts.
struct HostsBlock {
  enum class State { absent, found, unbalanced };
  State state = State::absent;
  std::string body;  // found: the lines between the markers, each with its newline
  std::string problem;  // unbalanced: what is wrong, for the conflict
};
std::string host_block_begin(std::string_view lab);  // "# BEGIN nstopo lab LAB"
std::string host_block_end(std::string_view lab);    // "# END nstopo lab LAB"
HostsBlock find_host_block(std::string_view hosts, std::string_view lab);
// `hosts` with the lab's block replaced by `body` (nullopt: removed; absent before: appended),
// every other line as it was. Only for a file whose block is not unbalanced.
std::string replace_host_block(std::string_view hosts, std::string_view lab,
                               const std::optional<std::string>& body);

}  // namespace nstopo::model
