#include "services/listeners.h"

#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "services/proc.h"

namespace nstopo::services {

namespace {

constexpr std::string_view kListenState = "0A";

template <typename T>
std::optional<T> hex(std::string_view text) {
  T value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// The kernel prints each 32-bit word of the address as the hex of its native-order value
// ("0100007F" is 127.0.0.1 on a little-endian machine): copying the value back into memory
// gives the network-order bytes on either byte order.
std::optional<model::IpAddress> parse_address(std::string_view text, model::Family family) {
  size_t words = family == model::Family::inet ? 1 : 4;
  if (text.size() != words * 8) return std::nullopt;
  model::IpAddress address{family, {}};
  for (size_t i = 0; i < words; ++i) {
    auto word = hex<uint32_t>(text.substr(i * 8, 8));
    if (!word) return std::nullopt;
    std::memcpy(address.bytes.data() + i * 4, &*word, 4);
  }
  return address;
}

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    size_t end = pos;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
    if (end > pos) fields.push_back(line.substr(pos, end - pos));
    pos = end;
  }
  return fields;
}

bool is_mapped_v4(const model::IpAddress& v6, const model::IpAddress& v4) {
  if (v6.family != model::Family::inet6 || v4.family != model::Family::inet) return false;
  for (int i = 0; i < 10; ++i)
    if (v6.bytes[i] != 0) return false;
  return v6.bytes[10] == 0xff && v6.bytes[11] == 0xff &&
         std::memcmp(v6.bytes.data() + 12, v4.bytes.data(), 4) == 0;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::vector<TcpListener> parse_tcp_listeners(std::string_view table, model::Family family) {
  std::vector<TcpListener> listeners;
  size_t pos = 0;
  while (pos < table.size()) {
    size_t end = table.find('\n', pos);
    if (end == std::string_view::npos) end = table.size();
    auto fields = fields_of(table.substr(pos, end - pos));
    pos = end + 1;
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
    if (fields.size() < 10 || fields[3] != kListenState) continue;
    auto colon = fields[1].rfind(':');
    if (colon == std::string_view::npos) continue;
    auto address = parse_address(fields[1].substr(0, colon), family);
    auto port = hex<uint16_t>(fields[1].substr(colon + 1));
    uint64_t inode = 0;
    auto [inode_end, error] =
        std::from_chars(fields[9].data(), fields[9].data() + fields[9].size(), inode);
    if (!address || !port || error != std::errc() ||
        inode_end != fields[9].data() + fields[9].size() || inode == 0)
      continue;
    listeners.push_back({*address, *port, inode});
  }
  return listeners;
}

std::vector<uint64_t> listeners_reached(const std::vector<TcpListener>& listeners,
                                        const model::IpAddress& target, uint16_t port) {
  // Tiers, best first: the first that has a listener is what the connect reached.
  std::vector<uint64_t> exact, mapped, wildcard, v6_wildcard;
  for (const auto& listener : listeners) {
    if (listener.port != port) continue;
    if (listener.address == target)
      exact.push_back(listener.inode);
    else if (is_mapped_v4(listener.address, target))
      mapped.push_back(listener.inode);
    else if (listener.address.is_unspecified() && listener.address.family == target.family)
      wildcard.push_back(listener.inode);
    else if (listener.address.is_unspecified() && listener.address.family == model::Family::inet6)
      v6_wildcard.push_back(listener.inode);  // an IPv6 socket taking IPv4 too
  }
  for (auto* tier : {&exact, &mapped, &wildcard, &v6_wildcard})
    if (!tier->empty()) return *tier;
  return {};
}

std::optional<uint64_t> socket_inode(std::string_view fd_link) {
  constexpr std::string_view prefix = "socket:[";
  if (!fd_link.starts_with(prefix) || !fd_link.ends_with(']')) return std::nullopt;
  auto digits = fd_link.substr(prefix.size(), fd_link.size() - prefix.size() - 1);
  uint64_t inode = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), inode);
  if (error != std::errc() || end != digits.data() + digits.size() || digits.empty())
    return std::nullopt;
  return inode;
}

std::string describe_port_holders(uint16_t port, const std::vector<PortHolder>& holders) {
  if (holders.empty())
    return fmt::format("nothing listens on tcp port {} in the service's namespace", port);
  std::string text = fmt::format("tcp port {} is listened on", port);
  for (size_t i = 0; i < holders.size(); ++i) {
    const PortHolder& holder = holders[i];
    text += fmt::format("{} at {} ", i == 0 ? "" : ";", holder.address.to_string());
    if (holder.pid == 0)
      text += "by a process nstopo cannot see";
    else
      text += fmt::format("by pid {} ({}), {}", holder.pid, holder.name,
                          holder.in_tree ? "the service's" : "not the service's");
  }
  return text;
}

namespace {

std::vector<TcpListener> listeners_of(int root) {
  std::vector<TcpListener> listeners =
      parse_tcp_listeners(read_file(fmt::format("/proc/{}/net/tcp", root)), model::Family::inet);
  auto v6 = parse_tcp_listeners(read_file(fmt::format("/proc/{}/net/tcp6", root)),
                                model::Family::inet6);
  listeners.insert(listeners.end(), v6.begin(), v6.end());
  return listeners;
}

// Calls `found(inode)` for each socket fd of `pid` until it returns true; true then.
template <typename F>
bool any_socket_of(int pid, F found) {
  // A process may end while it is read: every step takes an error_code, none throws.
  std::error_code error;
  std::filesystem::directory_iterator fd(fmt::format("/proc/{}/fd", pid), error);
  for (; !error && fd != std::filesystem::directory_iterator(); fd.increment(error)) {
    std::error_code link_error;
    auto link = std::filesystem::read_symlink(fd->path(), link_error);
    if (link_error) continue;
    if (auto inode = socket_inode(link.native()); inode && found(*inode)) return true;
  }
  return false;
}

}  // namespace

std::vector<PortHolder> port_holders(int root, uint16_t port) {
  std::vector<PortHolder> holders;
  if (root <= 0) return holders;
  std::map<uint64_t, size_t> by_inode;
  for (const auto& listener : listeners_of(root))
    if (listener.port == port) {
      by_inode[listener.inode] = holders.size();
      holders.push_back({listener.address, 0, {}, false});
    }
  if (holders.empty()) return holders;
  // The service's tree first: a socket it shares with a process outside is the service's.
  auto claim = [&](const ProcStat& process, bool in_tree) {
    any_socket_of(process.pid, [&](uint64_t inode) {
      auto it = by_inode.find(inode);
      if (it != by_inode.end() && holders[it->second].pid == 0) {
        holders[it->second].pid = process.pid;
        holders[it->second].name = process_name(process.pid);
        holders[it->second].in_tree = in_tree;
      }
      return false;
    });
  };
  auto processes = all_processes();
  auto tree = process_tree(root, processes);
  std::set<int> in_tree;
  for (const auto& process : tree) in_tree.insert(process.pid);
  for (const auto& process : tree)
    if (!process.ended()) claim(process, true);
  for (const auto& process : processes)
    if (!process.ended() && !in_tree.contains(process.pid)) claim(process, false);
  return holders;
}

bool listener_owned_by_tree(int root, const model::IpAddress& target, uint16_t port) {
  if (root <= 0) return false;
  auto reached = listeners_reached(listeners_of(root), target, port);
  if (reached.empty()) return false;
  const std::set<uint64_t> wanted(reached.begin(), reached.end());
  for (const auto& process : process_tree(root))
    if (!process.ended() &&
        any_socket_of(process.pid, [&](uint64_t inode) { return wanted.contains(inode); }))
      return true;
  return false;
}

}  // namespace nstopo::services
