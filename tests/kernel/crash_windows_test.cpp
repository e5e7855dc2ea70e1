// What a killed or raced run leaves behind, as the kernel layer records and reports it:
// namespace identities (netns cookies), placeholders of an interrupted delete, links made but
// not yet marked, and deletes of what is gone already. The planner decides what they mean.
#include <sys/mount.h>
#include <sys/stat.h>

#include "kernel/netns/netns.h"
#include "kernel_fixture.h"

namespace nstopo::kernel::test {
namespace {

model::Plan plan_of(std::vector<model::Operation> ops) {
  model::Plan plan;
  for (auto& op : ops) plan.actions.push_back(act(std::move(op)));
  return plan;
}

TEST_CASE("a namespace's identity is recorded when it is made, and a namespace made again "
          "under its name outside nstopo is seen to be another") {
  Lab lab("lab_cw1");
  lab.apply(model::CreateNamespace{"kt_cw1"});
  REQUIRE(lab.state.namespace_cookies.contains("kt_cw1"));
  uint64_t cookie = lab.state.namespace_cookies.at("kt_cw1");
  CHECK(cookie != 0);
  REQUIRE(lab.kernel->finish().has_value());
  auto saved = lab.store.load("lab_cw1");
  REQUIRE(saved.has_value());
  CHECK(saved->namespace_cookies.at("kt_cw1") == cookie);

  model::ObserveRequest request;
  request.namespaces = {"kt_cw1"};
  auto observed = lab.observe(request);
  CHECK(observed.namespaces.at("kt_cw1").cookie == cookie);
  CHECK(observed.recorded_cookies.at("kt_cw1") == cookie);
  CHECK(observed.owned_namespaces.contains("kt_cw1"));

  REQUIRE(succeeds("ip netns del kt_cw1"));
  REQUIRE(succeeds("ip netns add kt_cw1"));
  observed = lab.observe(request);
  CHECK(observed.namespaces.at("kt_cw1").exists);
  CHECK(observed.namespaces.at("kt_cw1").cookie != 0);
  CHECK(observed.namespaces.at("kt_cw1").cookie != cookie);   // another namespace
  CHECK(observed.recorded_cookies.at("kt_cw1") == cookie);    // the record is not rewritten
  REQUIRE(lab.kernel->finish().has_value());
  CHECK(lab.state.namespace_cookies.at("kt_cw1") == cookie);
  REQUIRE(succeeds("ip netns del kt_cw1"));
  REQUIRE(lab.kernel->finish().has_value());
  CHECK_FALSE(lab.state.namespaces.contains("kt_cw1"));
}

TEST_CASE("a namespace recorded without its identity gets it at the next save") {
  Lab lab("lab_cw2");
  REQUIRE(succeeds("ip netns add kt_cw2"));
  lab.state.namespaces.insert("kt_cw2");  // a version-1 record, or one written before creation
  REQUIRE(lab.kernel->finish().has_value());
  auto saved = lab.store.load("lab_cw2");
  REQUIRE(saved.has_value());
  REQUIRE(saved->namespace_cookies.contains("kt_cw2"));
  CHECK(saved->namespace_cookies.at("kt_cw2") == lab.observe_one("kt_cw2").cookie);
  lab.apply(model::DeleteNamespace{"kt_cw2"});
}

TEST_CASE("a delete killed between unmount and unlink leaves a placeholder that keeps its "
          "record until it is removed") {
  Lab lab("lab_cw3");
  lab.apply(model::CreateNamespace{"kt_cw3"});
  REQUIRE(::umount2("/run/netns/kt_cw3", MNT_DETACH) == 0);  // what the kill leaves
  struct stat st {};
  REQUIRE(::lstat("/run/netns/kt_cw3", &st) == 0);
  CHECK(run("ip netns list").find("kt_cw3") != std::string::npos);

  model::ObserveRequest request;
  request.namespaces = {"kt_cw3"};
  auto observed = lab.observe(request);
  CHECK_FALSE(observed.namespaces.at("kt_cw3").exists);
  CHECK(observed.namespaces.at("kt_cw3").placeholder);
  CHECK(observed.owned_namespaces.contains("kt_cw3"));  // still the lab's, to be finished
  REQUIRE(lab.kernel->finish().has_value());
  CHECK(lab.state.namespaces.contains("kt_cw3"));

  lab.apply(model::DeleteNamespace{"kt_cw3"});  // the unlink that was not done
  CHECK(::lstat("/run/netns/kt_cw3", &st) != 0);
  CHECK(run("ip netns list").find("kt_cw3") == std::string::npos);
  REQUIRE(lab.kernel->finish().has_value());
  CHECK_FALSE(lab.state.namespaces.contains("kt_cw3"));
}

TEST_CASE("links a run is about to make are pending in the record until it settles them") {
  Lab lab("lab_cw4");
  lab.apply(model::CreateNamespace{"kt_cw4"});
  auto plan = plan_of({model::CreateVeth{{"host", "kt_p1"}, {"kt_cw4", "kt_q1"}, {}, {}, {}, {}},
                       model::CreateBridge{{"kt_cw4", "kt_br4", {}, {}}}});
  REQUIRE(lab.kernel->prepare(plan).has_value());
  auto saved = lab.store.load("lab_cw4");
  REQUIRE(saved.has_value());
  CHECK(saved->pending_links ==
        std::set<std::string>{"host:kt_p1", "kt_cw4:kt_q1", "kt_cw4:kt_br4"});

  // The veth is made and marked: settled. The bridge is made by someone standing in for a run
  // killed before its mark: still there, unmarked, so it stays pending.
  lab.apply(std::get<model::CreateVeth>(plan.actions[0].op));
  REQUIRE(succeeds("ip -n kt_cw4 link add kt_br4 type bridge"));
  REQUIRE(lab.kernel->finish().has_value());
  CHECK(lab.state.pending_links == std::set<std::string>{"kt_cw4:kt_br4"});
  auto observed = lab.observe_one("kt_cw4");
  REQUIRE(observed.find_link("kt_br4") != nullptr);
  CHECK(observed.find_link("kt_br4")->alias.empty());
  model::ObserveRequest request;
  CHECK(lab.observe(request).pending_links == std::set<std::string>{"kt_cw4:kt_br4"});

  // Marked by the next run: settled.
  model::SetLinkAttributes mark{"kt_cw4", "kt_br4"};
  mark.alias = model::link_owner_alias("lab_cw4");
  mark.old_alias = "";
  lab.apply(mark);
  REQUIRE(lab.kernel->finish().has_value());
  CHECK(lab.state.pending_links.empty());

  // A pending link that is not there (a run killed before it made it) is dropped.
  lab.state.pending_links.insert("kt_cw4:kt_never");
  REQUIRE(lab.kernel->finish().has_value());
  CHECK(lab.state.pending_links.empty());
  lab.apply(model::DeleteNamespace{"kt_cw4"});
}

TEST_CASE("a delete that finds its object gone already succeeds") {
  Lab lab("lab_cw5");
  lab.apply(model::CreateNamespace{"kt_cw5"});
  lab.apply(model::CreateVeth{{"kt_cw5", "kt_a5"}, {"kt_cw5", "kt_b5"}, {}, {}, {}, {}});
  lab.apply(model::SetLinkUp{"kt_cw5", "kt_a5", true});
  lab.apply(model::DeleteLink{"kt_cw5", "kt_a5", model::LinkKind::veth, model::Endpoint{"kt_cw5", "kt_b5"}});
  lab.apply(model::DeleteLink{"kt_cw5", "kt_a5", model::LinkKind::veth, {}});        // ENODEV
  lab.apply(model::DeleteLink{"host", "kt_never5", model::LinkKind::bridge, {}});     // ENODEV, in the host
  lab.apply(model::DeleteAddress{"kt_cw5", "kt_a5", prefix("10.5.0.1/24")});  // no device
  lab.apply(model::DeleteAddress{"kt_cw5", "lo", prefix("10.5.0.1/24")});     // EADDRNOTAVAIL
  lab.apply(model::DeleteAddress{"kt_cw5", "lo", prefix("fd00:5::1/64")});
  model::RouteSpec route{prefix("10.55.0.0/24"), ip("127.0.0.2"), std::nullopt, 0};
  lab.apply(model::DeleteRoute{"kt_cw5", route, model::kOwnerProtocol});      // ESRCH
  model::RouteSpec on_dev{prefix("10.56.0.0/24"), std::nullopt, std::string("kt_a5"), 0};
  lab.apply(model::DeleteRoute{"kt_cw5", on_dev, model::kOwnerProtocol});     // no device
  lab.apply(model::DeleteNamespace{"kt_cw5"});
  lab.apply(model::DeleteNamespace{"kt_cw5"});                                 // ENOENT
  // In a namespace that is gone: gone with it.
  lab.apply(model::DeleteLink{"kt_cw5", "kt_a5", model::LinkKind::veth, {}});
  lab.apply(model::DeleteAddress{"kt_cw5", "kt_a5", prefix("10.5.0.1/24")});
  lab.apply(model::DeleteRoute{"kt_cw5", route, model::kOwnerProtocol});
  // A create still fails when it cannot be done.
  auto refused = lab.kernel->execute(act(model::AddAddress{"kt_cw5", "lo", prefix("10.5.0.1/24")}));
  CHECK_FALSE(refused.has_value());
}

TEST_CASE("an interface with IPv6 runs no duplicate address detection, in a namespace or the "
          "host, for that interface only; no namespace's default changes") {
  Lab lab("lab_cw6");
  std::string host_default = run("cat /proc/sys/net/ipv6/conf/default/accept_dad");
  lab.apply(model::CreateNamespace{"kt_cw6"});
  // Per interface, never per namespace: a /proc/sys/net lookup costs time linear in the
  // number of namespaces, so writing every new namespace's default made big labs superlinear.
  CHECK(run("ip netns exec kt_cw6 cat /proc/sys/net/ipv6/conf/default/accept_dad") ==
        run("unshare --net cat /proc/sys/net/ipv6/conf/default/accept_dad"));
  CHECK(run("ip netns exec kt_cw6 cat /proc/sys/net/ipv6/conf/all/accept_dad") == "0");
  model::CreateVeth veth{{"host", "kt_h6"}, {"kt_cw6", "kt_n6"}, {}, {}, {}, {}};
  lab.apply(veth);
  CHECK(run("cat /proc/sys/net/ipv6/conf/kt_h6/accept_dad") == "0");
  CHECK(run("ip netns exec kt_cw6 cat /proc/sys/net/ipv6/conf/kt_n6/accept_dad") == "0");
  model::CreateVeth quiet{{"host", "kt_h7"}, {"kt_cw6", "kt_n7"}, {}, {}, {}, {}};
  quiet.ipv6_link_local_a = quiet.ipv6_link_local_b = false;  // no IPv6 declared: left alone
  lab.apply(quiet);
  CHECK(run("cat /proc/sys/net/ipv6/conf/kt_h7/accept_dad") == host_default);
  CHECK(run("ip netns exec kt_cw6 cat /proc/sys/net/ipv6/conf/kt_n7/accept_dad") ==
        run("ip netns exec kt_cw6 cat /proc/sys/net/ipv6/conf/default/accept_dad"));
  CHECK(run("cat /proc/sys/net/ipv6/conf/default/accept_dad") == host_default);
  lab.apply(model::DeleteNamespace{"kt_cw6"});
}

}  // namespace
}  // namespace nstopo::kernel::test
