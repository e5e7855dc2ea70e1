#include "model/name_files.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace nstopo::model {

namespace {

constexpr std::string_view kMarkPrefix = "# nstopo lab ";
constexpr std::string_view kMarkSuffix = ": generated, do not edit";

// "ADDR NODE NODE.LAB" for each of a node's declared addresses (link-local ones left out:
// they need an interface to be reached), interfaces by name, addresses in file order.
void add_node_lines(std::string& out, const Topology& topology, const Namespace& ns) {
  for (const auto& [ifname, iface] : ns.interfaces)
    for (const auto& prefix : iface.addresses) {
      if (prefix.address.is_link_local()) continue;
      out += fmt::format("{} {} {}.{}\n", prefix.address.to_string(), ns.name, ns.name,
                         topology.name);
    }
}

std::string node_lines(const Topology& topology) {
  std::string out;
  add_node_lines(out, topology, topology.host);
  for (const auto& [name, ns] : topology.namespaces) add_node_lines(out, topology, ns);
  return out;
}

// The line of `text` that starts at `pos`, without its newline; `next` is where the next
// one starts.
std::string_view line_at(std::string_view text, size_t pos, size_t& next) {
  size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) {
    next = text.size();
    return text.substr(pos);
  }
  next = end + 1;
  return text.substr(pos, end - pos);
}

// Where the block's lines start and end: [begin, end) covers both markers and their newlines.
struct BlockSpan {
  size_t begin = std::string_view::npos, end = std::string_view::npos;
  size_t body_begin = 0, body_end = 0;
  int begins = 0, ends = 0;
  bool end_before_begin = false;
};

BlockSpan scan(std::string_view hosts, std::string_view lab) {
  BlockSpan span;
  std::string begin_line = host_block_begin(lab), end_line = host_block_end(lab);
  for (size_t pos = 0, next = 0; pos < hosts.size(); pos = next) {
    std::string_view line = line_at(hosts, pos, next);
    if (line == begin_line) {
      ++span.begins;
      span.begin = pos;
      span.body_begin = next;
    } else if (line == end_line) {
      ++span.ends;
      if (span.begins == 0) span.end_before_begin = true;
      span.body_end = pos;
      span.end = next;
    }
  }
  return span;
}

}  // namespace

std::string name_file_mark(std::string_view lab) {
  return fmt::format("{}{}{}", kMarkPrefix, lab, kMarkSuffix);
}

std::optional<std::string> name_file_owner(std::string_view content) {
  std::string_view first = content.substr(0, content.find('\n'));
  if (!first.starts_with(kMarkPrefix) || !first.ends_with(kMarkSuffix)) return std::nullopt;
  first.remove_prefix(kMarkPrefix.size());
  first.remove_suffix(kMarkSuffix.size());
  if (first.empty()) return std::nullopt;
  return std::string(first);
}

std::vector<std::pair<std::string, std::string>> desired_name_files(const Topology& topology,
                                                                    const Namespace& ns) {
  std::vector<std::pair<std::string, std::string>> files;
  std::string mark = name_file_mark(topology.name) + "\n";
  if (topology.hosts.declared)
    // Bound over /etc/hosts inside the namespace, so it replaces the host's file there:
    // localhost must be in it too.
    files.emplace_back(std::string(kHostsFile),
                       mark + "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n" +
                           node_lines(topology));
  if (ns.dns) {
    std::string text = mark;
    for (const auto& server : ns.dns->nameservers)
      text += fmt::format("nameserver {}\n", server.to_string());
    if (!ns.dns->search.empty()) text += fmt::format("search {}\n", fmt::join(ns.dns->search, " "));
    files.emplace_back(std::string(kResolvConfFile), std::move(text));
  }
  return files;
}

std::optional<std::string> desired_host_block(const Topology& topology) {
  if (!topology.hosts.declared || !topology.hosts.host) return std::nullopt;
  return node_lines(topology);
}

std::string host_block_begin(std::string_view lab) {
  return fmt::format("# BEGIN nstopo lab {}", lab);
}
std::string host_block_end(std::string_view lab) { return fmt::format("# END nstopo lab {}", lab); }

HostsBlock find_host_block(std::string_view hosts, std::string_view lab) {
  BlockSpan span = scan(hosts, lab);
  HostsBlock block;
  if (span.begins == 0 && span.ends == 0) return block;
  if (span.begins != 1 || span.ends != 1 || span.end_before_begin) {
    block.state = HostsBlock::State::unbalanced;
    block.problem = fmt::format("/etc/hosts has {} '{}' and {} '{}' line(s){}", span.begins,
                                host_block_begin(lab), span.ends, host_block_end(lab),
                                span.end_before_begin ? ", the end first" : "");
    return block;
  }
  block.state = HostsBlock::State::found;
  block.body = std::string(hosts.substr(span.body_begin, span.body_end - span.body_begin));
  return block;
}

std::string replace_host_block(std::string_view hosts, std::string_view lab,
                               const std::optional<std::string>& body) {
  std::string block;
  if (body) block = fmt::format("{}\n{}{}\n", host_block_begin(lab), *body, host_block_end(lab));
  BlockSpan span = scan(hosts, lab);
  if (span.begins == 1 && span.ends == 1 && !span.end_before_begin)
    return fmt::format("{}{}{}", hosts.substr(0, span.begin), block, hosts.substr(span.end));
  std::string out(hosts);
  if (!block.empty() && !out.empty() && !out.ends_with('\n')) out += '\n';
  return out + block;
}

}  // namespace nstopo::model
