// status(): each declared object's live state, derived from the plan's findings.
#include <doctest/doctest.h>

#include <filesystem>

#include "parse/load.h"
#include "plan/status.h"
#include "support/observed_yaml.h"

using namespace nstopo;

namespace {

std::map<std::string, plan::StatusEntry> status_of(const std::string& case_name) {
  auto dir = std::filesystem::path(NSTOPO_TESTS_DIR) / "unit/plan/cases" / case_name;
  auto loaded = parse::load_topology_file((dir / "desired.yaml").string());
  REQUIRE(loaded.ok());
  auto observed = testing::load_observed((dir / "observed.yaml").string(), *loaded.topology);
  std::map<std::string, plan::StatusEntry> by_object;
  for (auto& e : plan::status(*loaded.topology, observed))
    by_object[e.kind + " " + e.object] = e;
  return by_object;
}

}  // namespace

TEST_CASE("a missing address is missing; the link it sits on is present") {
  auto s = status_of("address_missing");
  CHECK(s.at("address 10.0.0.11/24 on ns_rifky:veth_ns_rifky").state == plan::LiveState::missing);
  CHECK(s.at("veth ns_rifky:veth_ns_rifky").state == plan::LiveState::present);
  CHECK(s.at("veth host:veth_rifky").state == plan::LiveState::present);
  CHECK(s.at("namespace ns_rifky").state == plan::LiveState::present);
}

TEST_CASE("a link that is down is drifted, and says how") {
  auto s = status_of("link_down");
  auto& link = s.at("veth ns_rifky:veth_ns_rifky");
  CHECK(link.state == plan::LiveState::drifted);
  CHECK(link.detail == "down, declared up");
  CHECK(s.at("veth host:veth_rifky").state == plan::LiveState::present);
}

TEST_CASE("both ends of a deleted veth are missing, their addresses too") {
  auto s = status_of("veth_deleted");
  CHECK(s.at("veth host:veth_rifky").state == plan::LiveState::missing);
  CHECK(s.at("veth ns_rifky:veth_ns_rifky").state == plan::LiveState::missing);
  CHECK(s.at("address 10.0.0.10/24 on host:veth_rifky").state == plan::LiveState::missing);
}

TEST_CASE("a foreign namespace is a conflict") {
  auto s = status_of("foreign_namespace");
  CHECK(s.at("namespace ns_rifky").state == plan::LiveState::conflict);
}

TEST_CASE("a dead service is missing, a changed one drifted") {
  CHECK(status_of("service_dead").at("service ns_rifky/web").state == plan::LiveState::missing);
  auto changed = status_of("service_changed_spec").at("service ns_rifky/web");
  CHECK(changed.state == plan::LiveState::drifted);
  CHECK(changed.detail == "spec changed");
  CHECK(status_of("service_same_spec").at("service ns_rifky/web").state == plan::LiveState::present);
}

TEST_CASE("with a conflict, the objects it kept out of the plan still show their real state") {
  // host:veth_rifky is someone else's; the namespace and the peer end do not exist at all.
  auto s = status_of("foreign_link");
  CHECK(s.at("veth host:veth_rifky").state == plan::LiveState::conflict);
  CHECK(s.at("namespace ns_rifky").state == plan::LiveState::missing);
  CHECK(s.at("veth ns_rifky:veth_ns_rifky").state == plan::LiveState::missing);
  CHECK(s.at("address 10.0.0.11/24 on ns_rifky:veth_ns_rifky").state == plan::LiveState::missing);
  CHECK(s.at("address 10.0.0.10/24 on host:veth_rifky").state == plan::LiveState::missing);
  CHECK(plan::totals(plan::status(*parse::load_topology_text(
                                      "version: 1\nname: x\nnamespaces: {a: {}}\n", "x.yaml")
                                      .topology,
                                  model::ObservedState{}))
            .missing == 1);
}

TEST_CASE("inside a foreign namespace, what exists is present and what does not is missing") {
  auto s = status_of("foreign_namespace_partial");
  CHECK(s.at("namespace ns_rifky").state == plan::LiveState::conflict);
  CHECK(s.at("veth ns_rifky:veth_ns_rifky").state == plan::LiveState::present);
  CHECK(s.at("address 10.0.0.11/24 on ns_rifky:veth_ns_rifky").state == plan::LiveState::present);
  CHECK(s.at("address 10.0.2.11/24 on ns_rifky:veth_ns_rifky").state == plan::LiveState::missing);
  CHECK(s.at("route 10.9.0.0/16 via 10.0.0.10 in ns_rifky").state == plan::LiveState::missing);
  // Drift inside it is drift, not "adopted".
  auto& mtu = s.at("veth ns_rifky:veth_ns_rifky");
  CHECK(mtu.detail.find("adopted") == std::string::npos);
  CHECK(s.at("veth host:veth_rifky").state == plan::LiveState::drifted);
  CHECK(s.at("veth host:veth_rifky").detail == "mtu 1500 != 1400");
}

TEST_CASE("an impairment in place is present; one with another rate is drifted, and says how") {
  auto converged = status_of("impairment_converged");
  CHECK(converged.at("impairment rate 20mbit on ns_rifky:veth_ns_rifky").state ==
        plan::LiveState::present);
  CHECK(converged.at("impairment rate 20mbit on host:veth_rifky").state == plan::LiveState::present);
  auto changed = status_of("impairment_change").at("impairment rate 10mbit on ns_rifky:veth_ns_rifky");
  CHECK(changed.state == plan::LiveState::drifted);
  CHECK(changed.detail == "tbf rate 20mbit limit 150000b != tbf rate 10mbit limit 78884b");
  CHECK(status_of("impairment_foreign_qdisc").at("impairment delay 20ms on ns_rifky:veth_ns_rifky").state ==
        plan::LiveState::conflict);
}

TEST_CASE("name files: an edited one is drifted, an unmarked one a conflict, the others present") {
  auto drift = status_of("names_drift");
  auto& hosts = drift.at("file /etc/netns/ns_a/hosts");
  CHECK(hosts.state == plan::LiveState::drifted);
  CHECK(hosts.detail == "edited outside nstopo, or the lab's names changed");
  CHECK(drift.at("file /etc/netns/ns_a/resolv.conf").state == plan::LiveState::present);
  CHECK(drift.at("file the lab's block in /etc/hosts").state == plan::LiveState::drifted);

  auto fresh = status_of("names_create");
  CHECK(fresh.at("file /etc/netns/ns_a/hosts").state == plan::LiveState::missing);

  auto foreign = status_of("names_foreign_file");
  CHECK(foreign.at("file /etc/netns/ns_a/hosts").state == plan::LiveState::conflict);
  CHECK(foreign.at("file the lab's block in /etc/hosts").state == plan::LiveState::conflict);
  CHECK(foreign.at("file /etc/netns/ns_a/resolv.conf").state == plan::LiveState::missing);
}
