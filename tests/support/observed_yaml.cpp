#include "support/observed_yaml.h"

#include "parse/values.h"

#include <yaml-cpp/yaml.h>

#include <stdexcept>

#include "model/name_files.h"

namespace nstopo::testing {

namespace {

uint8_t mark(const YAML::Node& node, uint8_t fallback) {
  if (!node) return fallback;
  auto text = node.as<std::string>();
  if (text == "ours") return model::kOwnerProtocol;
  if (text == "kernel") return 2;  // RTPROT_KERNEL
  return static_cast<uint8_t>(std::stoi(text));
}

model::ObservedNamespace load_namespace(const std::string& name, const YAML::Node& node,
                                        const std::string& lab) {
  model::ObservedNamespace ns{.name = name, .exists = true};
  // `placeholder: true`: the file is there, the namespace is not.
  if (node["placeholder"] && node["placeholder"].as<bool>()) {
    ns.exists = false;
    ns.placeholder = true;
  }
  ns.cookie = node["cookie"].as<uint64_t>(0);
  for (auto l : node["links"]) {
    model::ObservedLink link;
    link.name = l["name"].as<std::string>();
    link.kind = l["kind"].as<std::string>("veth");
    link.ifindex = l["ifindex"].as<int>(0);
    link.peer_ifindex = l["peer"].as<int>(0);
    link.mtu = l["mtu"].as<uint32_t>(1500);
    link.up = l["up"].as<bool>(true);
    if (l["master"]) link.master = l["master"].as<std::string>();
    if (l["mac"]) link.mac = *model::MacAddress::parse(l["mac"].as<std::string>());
    if (l["ipv6_link_local"]) link.ipv6_link_local = l["ipv6_link_local"].as<bool>();
    if (l["isolated"]) link.isolated = l["isolated"].as<bool>();
    // `vxlan: {vni: 7, remote: 192.0.2.2, local: 192.0.2.1, port: 4789}`
    if (auto v = l["vxlan"]) {
      model::Vxlan vxlan{.vni = v["vni"].as<uint32_t>(),
                         .remote = *model::IpAddress::parse(v["remote"].as<std::string>())};
      if (v["local"]) vxlan.local = *model::IpAddress::parse(v["local"].as<std::string>());
      vxlan.port = v["port"].as<uint16_t>(4789);
      link.vxlan = vxlan;
    }
    auto alias = l["alias"].as<std::string>("");
    link.alias = alias == "ours" ? model::link_owner_alias(lab) : alias;
    ns.links.push_back(link);
  }
  for (auto a : node["addresses"]) {
    model::ObservedAddress address;
    address.dev = a["dev"].as<std::string>();
    address.prefix = *model::Prefix::parse(a["prefix"].as<std::string>());
    address.proto = mark(a["proto"], 0);
    ns.addresses.push_back(address);
  }
  for (auto r : node["routes"]) {
    model::ObservedRoute route;
    auto to = r["to"].as<std::string>();
    if (to == "default" || to == "default6")
      route.to = model::Prefix::default_route(to == "default" ? model::Family::inet
                                                              : model::Family::inet6);
    else
      route.to = model::Prefix::parse(to)->network();
    if (r["via"]) route.via = *model::IpAddress::parse(r["via"].as<std::string>());
    route.dev = r["dev"].as<std::string>("");
    route.metric = r["metric"].as<uint32_t>(0);
    route.protocol = mark(r["protocol"], 4);  // RTPROT_STATIC: what `ip route add` uses
    ns.routes.push_back(route);
  }
  // qdiscs: [{dev: D, handle: ours | default | MAJOR (hex), kind: tbf, rate: 20mbit, ...}]:
  // the settings as declared (model::qdisc_spec of them).
  for (auto q : node["qdiscs"]) {
    model::ObservedQdisc qdisc;
    qdisc.dev = q["dev"].as<std::string>();
    auto handle = q["handle"].as<std::string>("ours");
    qdisc.handle = handle == "ours"      ? model::kImpairmentHandle
                   : handle == "default" ? 0u
                                         : static_cast<uint32_t>(std::stoul(handle, nullptr, 16) << 16);
    model::Impairment impairment;
    if (q["rate"]) impairment.rate = *parse::parse_rate(q["rate"].as<std::string>(), "rate");
    if (q["delay"]) impairment.delay = *parse::parse_delay(q["delay"].as<std::string>(), "delay");
    if (q["jitter"]) impairment.jitter = *parse::parse_delay(q["jitter"].as<std::string>(), "jitter");
    if (q["loss"]) impairment.loss = *parse::parse_percent(q["loss"].as<std::string>(), "loss");
    if (q["limit"]) impairment.limit = q["limit"].as<uint32_t>();
    if (!impairment.empty()) qdisc.spec = model::qdisc_spec(impairment);
    qdisc.kind = q["kind"].as<std::string>(std::string(model::to_string(qdisc.spec.kind)));
    ns.qdiscs.push_back(qdisc);
  }
  for (auto s : node["sysctls"]) ns.sysctls[s.first.as<std::string>()] = s.second.as<std::string>();
  for (auto p : node["processes"])
    ns.processes.push_back({p["pid"].as<int>(), p["start_time"].as<uint64_t>(1),
                            p["command"].as<std::string>("?")});
  return ns;
}

}  // namespace

model::ObservedState load_observed(const std::string& path, const model::Topology& desired) {
  auto root = YAML::LoadFile(path);
  model::ObservedState state;
  state.lab = desired.name;
  for (auto n : root["owned_namespaces"]) state.owned_namespaces.insert(n.as<std::string>());
  for (auto c : root["recorded_cookies"])
    state.recorded_cookies[c.first.as<std::string>()] = c.second.as<uint64_t>();
  for (auto l : root["pending_links"]) state.pending_links.insert(l.as<std::string>());
  state.host = load_namespace(std::string(model::kHostNamespace), root["host"], desired.name);
  for (auto n : root["namespaces"]) {
    auto name = n.first.as<std::string>();
    state.namespaces[name] = load_namespace(name, n.second, desired.name);
  }
  // Declared namespaces that the file does not list are missing, as the observer reports.
  for (auto& [name, ns] : desired.namespaces)
    if (!state.namespaces.contains(name)) state.namespaces[name] = {.name = name, .exists = false};
  // host_sysctl_records: {KEY: {original: V, set: V}}; other_labs_host_sysctls: {KEY: LAB}.
  for (auto r : root["host_sysctl_records"])
    state.host_sysctl_records[r.first.as<std::string>()] = {r.second["original"].as<std::string>(),
                                                            r.second["set"].as<std::string>()};
  for (auto r : root["other_labs_host_sysctls"])
    state.host_sysctls_of_other_labs[r.first.as<std::string>()] = r.second.as<std::string>();
  // nat_table: {marked: BOOL, ruleset: TEXT}; nftables_unavailable: WORDS.
  if (auto t = root["nat_table"])
    state.nat_table = model::ObservedNatTable{t["marked"].as<bool>(true), t["ruleset"].as<std::string>()};
  state.nftables_unavailable = root["nftables_unavailable"].as<std::string>("");
  // name_files: {NS: {FILE: CONTENT}}; host: {hosts: BODY} is the lab's block of /etc/hosts.
  // A content of "ours" (or starting "ours\n") stands for the lab's mark line.
  for (auto n : root["name_files"])
    for (auto f : n.second) {
      auto content = f.second.as<std::string>();
      if (content == "ours" || content.starts_with("ours\n"))
        content = model::name_file_mark(desired.name) + content.substr(4);
      state.name_files[{n.first.as<std::string>(), f.first.as<std::string>()}] = content;
    }
  state.host_block_problem = root["host_block_problem"].as<std::string>("");
  for (auto s : root["services"]) {
    model::ObservedService service;
    service.ns = s["ns"].as<std::string>();
    service.name = s["name"].as<std::string>();
    service.pid = s["pid"].as<int>();
    service.start_time = s["start_time"].as<uint64_t>(1);
    service.running = s["running"].as<bool>(true);
    auto spec = s["spec"].as<std::string>("current");
    if (spec == "current") {
      auto* ns = desired.find_namespace(service.ns);
      if (!ns || !ns->services.contains(service.name))
        throw std::runtime_error("spec: current names an undeclared service in " + path);
      service.spec_hash = ns->services.at(service.name).spec_hash();
    } else {
      service.spec_hash = spec;
    }
    state.services.push_back(service);
  }
  return state;
}

}  // namespace nstopo::testing
