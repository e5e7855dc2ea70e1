// A service's record keeps where its tcp probe connects; a record from before reads as loopback.
#include <doctest/doctest.h>

#include "state/service_record_json.h"

namespace nstopo::state {
namespace {

model::IpAddress ip(std::string_view text) { return *model::IpAddress::parse(text); }

ServiceRecord web_record() {
  model::Service spec;
  spec.name = "web";
  spec.command = {"python3", "-m", "http.server", "4000"};
  spec.ready.kind = model::ReadyProbe::Kind::tcp;
  spec.ready.port = 4000;
  ServiceRecord record{"ns_a", "web", 812, 777, spec.spec_hash()};
  record.spec = spec;
  return record;
}

}  // namespace

TEST_CASE("a tcp probe's address and targets go through the record and back") {
  auto record = web_record();
  record.spec->ready.address = ip("10.0.0.11");
  record.spec->ready.targets = {ip("10.0.0.11")};
  auto json = service_record_json(record);
  CHECK(json["spec"]["ready"]["address"] == "10.0.0.11");
  CHECK(json["spec"]["ready"]["targets"] == nlohmann::json::array({"10.0.0.11"}));
  auto back = service_record_from_json(json);
  REQUIRE(back.spec);
  CHECK(back.spec->ready.address == ip("10.0.0.11"));
  CHECK(back.spec->ready.targets == std::vector<model::IpAddress>{ip("10.0.0.11")});

  // The namespace's addresses, without a declared one.
  record = web_record();
  record.spec->ready.targets = {ip("10.0.0.11"), ip("fd00::11")};
  json = service_record_json(record);
  CHECK_FALSE(json["spec"]["ready"].contains("address"));
  back = service_record_from_json(json);
  CHECK_FALSE(back.spec->ready.address);
  CHECK(back.spec->ready.targets == std::vector<model::IpAddress>{ip("10.0.0.11"), ip("fd00::11")});
}

TEST_CASE("a record written before probes had addresses reads, and probes loopback") {
  auto json = nlohmann::json::parse(R"({"ns": "ns_a", "name": "web", "pid": 812,
    "start_time": 777, "spec_hash": "0123456789abcdef",
    "spec": {"command": ["python3"], "env": {}, "stop_grace_ms": 5000,
             "ready": {"kind": "tcp", "port": 4000, "argv": [], "timeout_ms": 10000}}})");
  auto record = service_record_from_json(json);
  REQUIRE(record.spec);
  CHECK_FALSE(record.spec->ready.address);
  CHECK(record.spec->ready.targets.empty());
  CHECK(record.spec->ready.tcp_targets() == std::vector<model::IpAddress>{ip("127.0.0.1"), ip("::1")});
  // ... and is written back the same way: nothing new appears in it.
  CHECK(service_record_json(record)["spec"]["ready"] == json["spec"]["ready"]);
}

TEST_CASE("a record with an address that does not parse is refused, naming it") {
  auto json = service_record_json(web_record());
  json["spec"]["ready"]["address"] = "10.0.0.300";
  CHECK_THROWS_WITH_AS(service_record_from_json(json),
                       doctest::Contains("invalid ready address '10.0.0.300'"),
                       nlohmann::json::exception);
}

}  // namespace nstopo::state
