// The executor in front of the families: dispatch by the table, groups by the contract.
#include <doctest/doctest.h>

#include "apply/routing_executor.h"
#include "support/fake_kernel.h"

using namespace nstopo;

namespace {

model::ObservedState empty() {
  model::ObservedState s;
  s.lab = "lab";
  s.host = {.name = "host", .exists = true};
  return s;
}

TEST_CASE("each family's actions go to the executor its row of the table names") {
  testing::FakeKernel links(empty()), files(empty()), processes(empty());
  apply::RoutingExecutor routing({&links, &files, &processes});
  model::Service web;
  web.name = "web";
  web.command = {"true"};
  REQUIRE(routing.execute({model::CreateNamespace{"ns_x"}, model::Reason::differs("test")}));
  REQUIRE(routing.execute({model::SetSysctl{"host", "net.ipv4.ip_forward", "1"}, model::Reason::differs("test")}));
  REQUIRE(routing.execute({model::StartService{"host", web}, model::Reason::differs("test")}));
  CHECK(links.log() == std::vector<std::string>{"+ namespace ns_x"});
  CHECK(files.log() == std::vector<std::string>{"~ sysctl host net.ipv4.ip_forward = 1"});
  CHECK(processes.log() == std::vector<std::string>{"+ service host/web"});
  // prepare and finish reach each distinct executor once.
  CHECK(routing.prepare({}));
  CHECK(routing.finish());
}

TEST_CASE("a group is a run of one groupable kind; anything else is refused, not carried out") {
  std::vector<model::Action> creations{{model::CreateNamespace{"a"}, model::Reason::differs("t")}, {model::CreateNamespace{"b"}, model::Reason::differs("t")}};
  std::vector<model::Action> mixed{{model::CreateNamespace{"a"}, model::Reason::differs("t")}, {model::DeleteNamespace{"b"}, model::Reason::differs("t")}};
  std::vector<model::Action> not_groupable{{model::SetLinkUp{"a", "x", true}, model::Reason::differs("t")},
                                           {model::SetLinkUp{"a", "y", true}, model::Reason::differs("t")}};
  CHECK(apply::is_one_group(creations));
  CHECK_FALSE(apply::is_one_group(mixed));
  CHECK_FALSE(apply::is_one_group(not_groupable));
  CHECK_FALSE(apply::is_one_group({}));

  testing::FakeKernel network(empty()), services(empty());
  apply::RoutingExecutor routing(network, services);
  routing.start_independent(creations);
  CHECK(routing.collect_started(0).result);
  CHECK(routing.collect_started(1).result);
  CHECK(network.log().size() == 2);

  routing.start_independent(mixed);
  auto refused = routing.collect_started(0);
  REQUIRE_FALSE(refused.result);
  CHECK(refused.result.error().kind == ErrorKind::internal);
  CHECK_FALSE(routing.collect_started(1).result);
  CHECK(network.log().size() == 2);  // nothing of the mixed group was carried out
}

}  // namespace
