#include "state/service_record_json.h"

namespace nstopo::state {

namespace {

using std::chrono::milliseconds;

std::string_view probe_kind_name(model::ReadyProbe::Kind kind) {
  switch (kind) {
    case model::ReadyProbe::Kind::none: return "none";
    case model::ReadyProbe::Kind::tcp: return "tcp";
    case model::ReadyProbe::Kind::exec: return "exec";
  }
  return "none";
}

model::ReadyProbe::Kind probe_kind(const std::string& name) {
  if (name == "tcp") return model::ReadyProbe::Kind::tcp;
  if (name == "exec") return model::ReadyProbe::Kind::exec;
  return model::ReadyProbe::Kind::none;
}

nlohmann::json spec_json(const model::Service& service) {
  nlohmann::json json = {{"command", service.command},
                         {"env", service.env},
                         {"stop_grace_ms", service.stop_grace.count()},
                         {"ready",
                          {{"kind", probe_kind_name(service.ready.kind)},
                           {"port", service.ready.port},
                           {"argv", service.ready.argv},
                           {"timeout_ms", service.ready.timeout.count()}}}};
  if (service.cwd) json["cwd"] = *service.cwd;
  if (service.user) json["user"] = *service.user;
  // Only when set: a record written before tcp probes had addresses reads as loopback.
  if (service.ready.address) json["ready"]["address"] = service.ready.address->to_string();
  if (!service.ready.targets.empty()) {
    auto targets = nlohmann::json::array();
    for (const auto& target : service.ready.targets) targets.push_back(target.to_string());
    json["ready"]["targets"] = std::move(targets);
  }
  return json;
}

model::Service spec_from_json(const std::string& name, const nlohmann::json& json) {
  model::Service service;
  service.name = name;
  service.command = json.at("command").get<std::vector<std::string>>();
  service.env = json.at("env").get<std::map<std::string, std::string>>();
  service.stop_grace = milliseconds(json.at("stop_grace_ms").get<int64_t>());
  if (json.contains("cwd")) service.cwd = json.at("cwd").get<std::string>();
  if (json.contains("user")) service.user = json.at("user").get<std::string>();
  const auto& ready = json.at("ready");
  service.ready.kind = probe_kind(ready.at("kind").get<std::string>());
  service.ready.port = ready.at("port").get<uint16_t>();
  service.ready.argv = ready.at("argv").get<std::vector<std::string>>();
  service.ready.timeout = milliseconds(ready.at("timeout_ms").get<int64_t>());
  // An address that does not parse (a tampered record) is an error like any other bad field.
  auto address = [](const nlohmann::json& text) {
    auto parsed = model::IpAddress::parse(text.get<std::string>());
    if (!parsed)
      throw nlohmann::json::other_error::create(
          501, "invalid ready address '" + text.get<std::string>() + "'", &text);
    return *parsed;
  };
  if (ready.contains("address")) service.ready.address = address(ready.at("address"));
  if (ready.contains("targets"))
    for (const auto& target : ready.at("targets")) service.ready.targets.push_back(address(target));
  return service;
}

}  // namespace

nlohmann::json service_record_json(const ServiceRecord& r) {
  nlohmann::json json = {{"ns", r.ns},
                         {"name", r.name},
                         {"pid", r.pid},
                         {"start_time", r.start_time},
                         {"spec_hash", r.spec_hash}};
  if (r.netns_inode != 0) json["netns_inode"] = r.netns_inode;
  if (r.stop_grace) json["stop_grace_ms"] = r.stop_grace->count();
  if (r.spec) json["spec"] = spec_json(*r.spec);
  if (!r.token.empty()) json["token"] = r.token;
  return json;
}

ServiceRecord service_record_from_json(const nlohmann::json& json) {
  ServiceRecord r;
  r.ns = json.at("ns").get<std::string>();
  r.name = json.at("name").get<std::string>();
  r.pid = json.at("pid").get<int>();
  r.start_time = json.at("start_time").get<uint64_t>();
  r.spec_hash = json.at("spec_hash").get<std::string>();
  r.netns_inode = json.value("netns_inode", uint64_t{0});
  if (json.contains("stop_grace_ms"))
    r.stop_grace = milliseconds(json.at("stop_grace_ms").get<int64_t>());
  if (json.contains("spec")) r.spec = spec_from_json(r.name, json.at("spec"));
  r.token = json.value("token", std::string());
  return r;
}

}  // namespace nstopo::state
