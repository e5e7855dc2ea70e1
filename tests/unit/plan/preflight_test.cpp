// The checks before any change (plan/preflight.h): each decision from facts the observer
// gathered, with the fake observed state standing in for the kernel.
#include <doctest/doctest.h>

#include "plan/planner.h"
#include "plan/preflight.h"
#include "support/test_labs.h"

using namespace nstopo;

namespace {

constexpr const char* kLab = R"(version: 1
name: seed
host:
  interfaces:
    veth_h:
      addresses: [10.0.0.10/24]
namespaces:
  ns_a:
    interfaces:
      eth0:
        addresses: [10.0.0.11/24]
    sysctls:
      net.ipv4.ip_forwardd: 1
      net.ipv4.conf.eth0.rp_filterr: 0
      net.ipv4.conf.default.rp_filter: 0
    services:
      web:
        command: [no-such-cmd, --port, "80"]
      ok:
        command: [sleep, "1"]
links:
  - endpoints: [host:veth_h, ns_a:eth0]
)";

model::ObservedAddress address(const char* dev, const char* prefix, uint8_t scope = 0) {
  return {.dev = dev, .prefix = *model::Prefix::parse(prefix), .scope = scope};
}

std::vector<std::string> messages(const std::vector<plan::Finding>& findings,
                                  plan::Finding::Severity severity) {
  std::vector<std::string> out;
  for (const auto& f : findings)
    if (f.severity == severity) out.push_back(f.message);
  return out;
}

}  // namespace

TEST_CASE("preflight: an address a foreign host interface holds is a warning naming both") {
  auto desired = testing::topology_from(kLab);
  auto observed = testing::empty_host();
  observed.host.links.push_back({.name = "eth9", .ifindex = 7, .kind = "veth"});
  observed.host.links.push_back({.name = "mine", .ifindex = 8, .alias = "nstopo:seed"});
  observed.host.addresses.push_back(address("eth9", "10.0.0.11/16"));
  observed.host.addresses.push_back(address("mine", "10.0.0.10/24"));     // the lab's own link
  observed.host.addresses.push_back(address("lo", "127.0.0.1/8", 254));   // host scope

  auto warnings = messages(plan::host_address_clashes(desired, observed), plan::Finding::Severity::warning);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] ==
        "seed.yaml:10:7: address 10.0.0.11 declared on ns_a:eth0 is already used on the host by "
        "interface eth9 (not lab seed's): traffic for it may go to either");
  auto all = plan::plan(desired, observed).findings;
  REQUIRE_FALSE(all.empty());
  CHECK(all[0].key.to_string() == "address 10.0.0.11/24 on ns_a:eth0");
}

TEST_CASE("preflight: a declared host interface is no foreign one, even unmarked") {
  auto desired = testing::topology_from(kLab);
  auto observed = testing::empty_host();
  observed.host.links.push_back({.name = "veth_h", .ifindex = 7, .kind = "veth"});
  observed.host.addresses.push_back(address("veth_h", "10.0.0.10/24"));
  CHECK(plan::host_address_clashes(desired, observed).empty());  // a conflict, not a warning
}

TEST_CASE("preflight: the observe request probes sysctls (templates for declared interfaces) and commands") {
  auto desired = testing::topology_from(kLab);
  auto request = plan::observe_request(desired, {});
  std::set<std::string> want{"net.ipv4.conf.default.rp_filter", "net.ipv4.conf.default.rp_filterr",
                             "net.ipv4.ip_forwardd"};
  CHECK(request.sysctl_probes["ns_a"] == want);
  CHECK(request.sysctl_probes["host"] == want);  // for a namespace made in this run
  CHECK(request.commands.contains({"no-such-cmd", std::nullopt}));
  CHECK(request.commands.contains({"sleep", std::nullopt}));
  // An interface the namespace does not declare is probed as it is.
  CHECK(plan::sysctl_probe_key(desired.namespaces.at("ns_a"), "net.ipv4.conf.lo.rp_filter") ==
        "net.ipv4.conf.lo.rp_filter");
}

TEST_CASE("preflight: a sysctl the kernel lacks is an error with did-you-mean; a fresh namespace asks the host") {
  auto desired = testing::topology_from(kLab);
  auto observed = testing::empty_host();  // ns_a does not exist yet: the host answers
  observed.host.absent_sysctls["net.ipv4.ip_forwardd"] = {"net.ipv4.conf", "net.ipv4.ip_forward",
                                                          "net.ipv4.ip_local_port_range"};
  observed.host.absent_sysctls["net.ipv4.conf.default.rp_filterr"] = {
      "net.ipv4.conf.default.forwarding", "net.ipv4.conf.default.rp_filter"};
  auto errors = messages(plan::plan(desired, observed).findings, plan::Finding::Severity::error);
  REQUIRE(errors.size() == 2);  // nothing is known of the commands: no finding about them
  CHECK(errors[0] ==
        "seed.yaml:8:3: sysctl 'net.ipv4.conf.eth0.rp_filterr' of namespace ns_a does not exist "
        "in this kernel (checked as 'net.ipv4.conf.default.rp_filterr'); did you mean "
        "'net.ipv4.conf.eth0.rp_filter'?");
  CHECK(errors[1] ==
        "seed.yaml:8:3: sysctl 'net.ipv4.ip_forwardd' of namespace ns_a does not exist in this "
        "kernel; did you mean 'net.ipv4.ip_forward'?");

  // Once the namespace exists, its own kernel answers, not the host's.
  observed.namespaces["ns_a"] = {.name = "ns_a", .exists = true};
  CHECK(plan::plan(desired, observed).findings.empty());
  observed.namespaces["ns_a"].absent_sysctls["net.ipv4.ip_forwardd"] = {"net.ipv4.ip_forward"};
  CHECK(messages(plan::plan(desired, observed).findings, plan::Finding::Severity::error).size() == 1);
}

TEST_CASE("preflight: a service command not found on its PATH, or not executable, is an error") {
  auto desired = testing::topology_from(kLab);
  auto observed = testing::empty_host();
  using State = model::CommandFound::State;
  observed.commands[{"no-such-cmd", std::nullopt}] = {State::missing, "", "/usr/bin:/bin"};
  observed.commands[{"sleep", std::nullopt}] = {State::found, "/usr/bin/sleep", "/usr/bin:/bin"};
  auto findings = plan::plan(desired, observed).findings;
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].severity == plan::Finding::Severity::error);
  CHECK(findings[0].key.to_string() == "ns_a/web");
  CHECK(findings[0].message ==
        "seed.yaml:17:7: service ns_a/web: command 'no-such-cmd': not found on PATH /usr/bin:/bin");

  observed.commands[{"no-such-cmd", std::nullopt}] = {State::not_executable, "/usr/bin/no-such-cmd",
                                                      "/usr/bin:/bin"};
  findings = plan::plan(desired, observed).findings;
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message.ends_with("command 'no-such-cmd': '/usr/bin/no-such-cmd' is not an "
                                      "executable file"));
}
