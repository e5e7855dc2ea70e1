#include "plan/nat_ruleset.h"

#include <algorithm>
#include <cctype>
#include <tuple>
#include <vector>

#include <fmt/format.h>

namespace nstopo::plan {

namespace {

using model::Family;

// "10.0.0.11", or "{ 10.0.0.11, 10.0.0.12 }": nft prints a set of one without its braces.
template <typename T>
std::string set_of(const std::vector<T>& items) {
  std::vector<std::string> texts;
  for (const auto& item : items) texts.push_back(item.to_string());
  if (texts.size() == 1) return texts.front();
  return fmt::format("{{ {} }}", fmt::join(texts, ", "));
}

// The networks of the lab's addresses, each once, without those inside another, in ascending
// order.
std::vector<model::Prefix> lab_networks(const model::Topology& t, Family family) {
  std::vector<model::Prefix> all;
  auto add = [&](const model::Namespace& ns) {
    for (const auto& [name, itf] : ns.interfaces)
      for (const auto& a : itf.addresses)
        if (a.family() == family && !a.address.is_link_local()) all.push_back(a.network());
  };
  add(t.host);
  for (const auto& [name, ns] : t.namespaces) add(ns);
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::vector<model::Prefix> kept;
  for (const auto& p : all) {
    bool inside = std::any_of(all.begin(), all.end(), [&](const model::Prefix& q) {
      return q != p && q.length < p.length && q.contains(p.address);
    });
    if (!inside) kept.push_back(p);
  }
  return kept;
}

std::vector<model::IpAddress> masqueraded(const model::Topology& t, Family family) {
  std::vector<model::IpAddress> sources;
  for (const auto& [name, ns] : t.namespaces) {
    if (!ns.nat || !ns.nat->out) continue;
    for (const auto& [ifname, itf] : ns.interfaces)
      for (const auto& a : itf.addresses)
        if (a.family() == family && !a.address.is_link_local()) sources.push_back(a.address);
  }
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  return sources;
}

std::string target(const model::PortForward& p) {
  if (p.to.family == Family::inet6) return fmt::format("[{}]:{}", p.to.to_string(), p.to_port);
  return fmt::format("{}:{}", p.to.to_string(), p.to_port);
}

std::string dnat_rule(const model::PortForward& p) {
  bool v6 = p.to.family == Family::inet6;
  return fmt::format("meta nfproto {} fib daddr type local {} dport {} dnat {} to {}",
                     v6 ? "ipv6" : "ipv4", to_string(p.protocol), p.host_port, v6 ? "ip6" : "ip",
                     target(p));
}

void chain(std::string& out, std::string_view name, std::string_view type,
           const std::vector<std::string>& rules) {
  if (rules.empty()) return;
  if (out.ends_with("}\n")) out += "\n";  // nft parts chains with a blank line
  out += fmt::format("\tchain {} {{\n\t\t{}\n", name, type);
  for (const auto& rule : rules) out += fmt::format("\t\t{}\n", rule);
  out += "\t}\n";
}

}  // namespace

std::optional<std::string> nat_ruleset(const model::Topology& t) {
  std::vector<model::PortForward> ports;
  bool out = false;
  for (const auto& [name, ns] : t.namespaces) {
    if (!ns.nat) continue;
    out = out || ns.nat->out;
    ports.insert(ports.end(), ns.nat->ports.begin(), ns.nat->ports.end());
  }
  if (!out && ports.empty()) return std::nullopt;
  std::sort(ports.begin(), ports.end(), [](const model::PortForward& a, const model::PortForward& b) {
    return std::tie(a.protocol, a.host_port) < std::tie(b.protocol, b.host_port);
  });

  std::vector<std::string> postrouting, prerouting, output;
  for (Family family : {Family::inet, Family::inet6}) {
    auto sources = masqueraded(t, family);
    if (sources.empty()) continue;
    // Traffic to the lab's own networks keeps its source; one rule per network, as the kernel
    // would merge adjacent networks of one set into a range and list it so, unlike the file.
    const char* ip = family == Family::inet ? "ip" : "ip6";
    for (const auto& network : lab_networks(t, family))
      postrouting.push_back(fmt::format("{} saddr {} {} daddr {} accept", ip, set_of(sources), ip,
                                        network.to_string()));
    postrouting.push_back(fmt::format("{} saddr {} masquerade", ip, set_of(sources)));
  }
  for (const auto& p : ports) {
    prerouting.push_back(dnat_rule(p));
    output.push_back(dnat_rule(p));
    // From the host's loopback the kernel would not route the packet out (a martian source):
    // the lab interface's route_localnet lets it, and this rule gives it a real source.
    if (p.to.family == Family::inet)
      postrouting.push_back(fmt::format("ip saddr 127.0.0.0/8 ip daddr {} {} dport {} masquerade",
                                        p.to.to_string(), to_string(p.protocol), p.to_port));
  }

  std::string text = fmt::format("table inet {} {{\n\tcomment \"{}\"\n", model::nat_table_name(t.name),
                                 model::nat_table_mark(t.name));
  chain(text, "postrouting", "type nat hook postrouting priority srcnat; policy accept;", postrouting);
  chain(text, "prerouting", "type nat hook prerouting priority dstnat; policy accept;", prerouting);
  chain(text, "output", "type nat hook output priority -100; policy accept;", output);
  text += "}\n";
  return text;
}

std::string nat_summary(const model::Topology& t) {
  std::vector<std::string> sources, forwards;
  for (Family family : {Family::inet, Family::inet6})
    for (const auto& a : masqueraded(t, family)) sources.push_back(a.to_string());
  for (const auto& [name, ns] : t.namespaces)
    if (ns.nat)
      for (const auto& p : ns.nat->ports) forwards.push_back(p.to_string());
  std::vector<std::string> parts;
  if (!sources.empty()) parts.push_back(fmt::format("masquerade {}", fmt::join(sources, ", ")));
  if (!forwards.empty()) parts.push_back(fmt::format("forward {}", fmt::join(forwards, ", ")));
  return fmt::format("{}", fmt::join(parts, "; "));
}

bool same_ruleset(std::string_view a, std::string_view b) {
  auto words = [](std::string_view text) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      size_t start = i;
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      if (i > start) out.push_back(text.substr(start, i - start));
    }
    return out;
  };
  return words(a) == words(b);
}

}  // namespace nstopo::plan
