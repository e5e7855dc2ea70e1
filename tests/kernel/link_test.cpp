// Links: veth pairs made in place under their final names, bridges and their ports, the
// attribute changes, moves and deletes, each marked as the lab's.
#include <chrono>
#include <thread>

#include "kernel/netns/netns.h"
#include "kernel/rtnl/link_requests.h"
#include "kernel_fixture.h"

namespace nstopo::kernel::test {
namespace {

TEST_CASE("a veth between the host and a namespace: final names, MTU, MAC, alias on both ends") {
  Lab lab("lab_l1");
  lab.apply(model::CreateNamespace{"kt_l1"});
  int before = lab.kernel->mutating_requests();
  lab.apply(model::CreateVeth{{"host", "kt_h1"},
                              {"kt_l1", "kt_n1"},
                              1400,
                              1300,
                              mac("02:00:00:00:01:01"),
                              mac("02:00:00:00:01:02")});
  // The pair in one request, DAD off on each end (both keep IPv6 link-local), then the
  // alias on each end (RTM_NEWLINK ignores IFLA_IFALIAS for a link it creates).
  CHECK(lab.kernel->mutating_requests() == before + 5);
  CHECK(run("cat /proc/sys/net/ipv6/conf/kt_h1/accept_dad") == "0");
  CHECK(run("ip netns exec kt_l1 cat /proc/sys/net/ipv6/conf/kt_n1/accept_dad") == "0");

  model::ObserveRequest request;
  request.namespaces = {"kt_l1"};
  auto observed = lab.observe(request);
  const auto* host_end = observed.host.find_link("kt_h1");
  const auto* ns_end = observed.namespaces.at("kt_l1").find_link("kt_n1");
  REQUIRE(host_end != nullptr);
  REQUIRE(ns_end != nullptr);
  CHECK(host_end->kind == "veth");
  CHECK(ns_end->kind == "veth");
  CHECK(host_end->mtu == 1400);
  CHECK(ns_end->mtu == 1300);
  CHECK(host_end->mac.to_string() == "02:00:00:00:01:01");
  CHECK(ns_end->mac.to_string() == "02:00:00:00:01:02");
  CHECK(host_end->alias == "nstopo:lab_l1");
  CHECK(ns_end->alias == "nstopo:lab_l1");
  CHECK(host_end->peer_ifindex == ns_end->ifindex);
  CHECK(ns_end->peer_ifindex == host_end->ifindex);
  CHECK(host_end->peer_netnsid.has_value());
  CHECK(ns_end->peer_netnsid.has_value());
  CHECK_FALSE(host_end->up);
  CHECK_FALSE(host_end->master.has_value());
  CHECK(run("ip netns exec kt_l1 ip link show kt_n1").find("alias nstopo:lab_l1") !=
        std::string::npos);

  lab.apply(model::DeleteNamespace{"kt_l1"});  // takes kt_n1, and then its peer, with it
}

TEST_CASE("a veth whose first end is in a namespace and whose peer is in the host") {
  Lab lab("lab_l2");
  lab.apply(model::CreateNamespace{"kt_l2"});
  lab.apply(model::CreateVeth{{"kt_l2", "kt_n2"}, {"host", "kt_h2"}, {}, {}, {}, {}});
  CHECK(lab.observe_one("host").find_link("kt_h2") != nullptr);
  CHECK(lab.observe_one("host").find_link("kt_n2") == nullptr);
  auto inside = lab.observe_one("kt_l2");
  REQUIRE(inside.find_link("kt_n2") != nullptr);
  CHECK(inside.find_link("kt_n2")->alias == "nstopo:lab_l2");
  CHECK(inside.find_link("kt_h2") == nullptr);

  // Deleting the host end deletes the pair.
  lab.apply(model::DeleteLink{"host", "kt_h2", model::LinkKind::veth, model::Endpoint{"kt_l2", "kt_n2"}});
  CHECK(lab.observe_one("kt_l2").find_link("kt_n2") == nullptr);
  lab.apply(model::DeleteNamespace{"kt_l2"});
}

TEST_CASE("a veth between two namespaces; deleting one end removes both") {
  Lab lab("lab_l3");
  lab.apply(model::CreateNamespace{"kt_l3a"});
  lab.apply(model::CreateNamespace{"kt_l3b"});
  lab.apply(model::CreateVeth{{"kt_l3a", "kt_x"}, {"kt_l3b", "kt_y"}, 9000, 9000, {}, {}});
  CHECK(lab.observe_one("host").find_link("kt_x") == nullptr);  // never sat in the host
  auto a = lab.observe_one("kt_l3a");
  auto b = lab.observe_one("kt_l3b");
  REQUIRE(a.find_link("kt_x") != nullptr);
  REQUIRE(b.find_link("kt_y") != nullptr);
  CHECK(a.find_link("kt_x")->mtu == 9000);
  CHECK(b.find_link("kt_y")->alias == "nstopo:lab_l3");

  int before = lab.kernel->mutating_requests();
  lab.apply(model::DeleteLink{"kt_l3a", "kt_x", model::LinkKind::veth, model::Endpoint{"kt_l3b", "kt_y"}});
  CHECK(lab.kernel->mutating_requests() == before + 1);
  CHECK(lab.observe_one("kt_l3a").find_link("kt_x") == nullptr);
  CHECK(lab.observe_one("kt_l3b").find_link("kt_y") == nullptr);
  lab.apply(model::DeleteNamespace{"kt_l3a"});
  lab.apply(model::DeleteNamespace{"kt_l3b"});
}

TEST_CASE("a veth name already taken is refused whole: EEXIST, nothing made") {
  Lab lab("lab_l4");
  lab.apply(model::CreateNamespace{"kt_l4"});
  lab.apply(model::CreateVeth{{"kt_l4", "kt_p"}, {"kt_l4", "kt_q"}, {}, {}, {}, {}});
  auto again = lab.kernel->execute(
      act(model::CreateVeth{{"kt_l4", "kt_p"}, {"kt_l4", "kt_r"}, {}, {}, {}, {}}));
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().kind == ErrorKind::kernel);
  CHECK(again.error().error_number == EEXIST);
  CHECK(again.error().object == "kt_l4:kt_p");
  CHECK(again.error().message == "failed to create veth kt_l4:kt_p <-> kt_l4:kt_r");
  CHECK(again.error().describe().ends_with("(EEXIST)"));
  CHECK(lab.observe_one("kt_l4").find_link("kt_r") == nullptr);
  lab.apply(model::DeleteNamespace{"kt_l4"});
}

TEST_CASE("a bridge in its namespace; ports enslaved and released; attributes and state") {
  Lab lab("lab_l5");
  lab.apply(model::CreateNamespace{"kt_l5"});
  lab.apply(model::CreateBridge{{"kt_l5", "kt_br", 1450, mac("02:00:00:00:05:01")}});
  lab.apply(model::CreateVeth{{"kt_l5", "kt_port"}, {"host", "kt_h5"}, {}, {}, {}, {}});

  auto observed = lab.observe_one("kt_l5");
  const auto* bridge = observed.find_link("kt_br");
  REQUIRE(bridge != nullptr);
  CHECK(bridge->kind == "bridge");
  CHECK(bridge->mtu == 1450);
  CHECK(bridge->mac.to_string() == "02:00:00:00:05:01");
  CHECK(bridge->alias == "nstopo:lab_l5");

  model::SetLinkAttributes attach{"kt_l5", "kt_port"};
  attach.master = "kt_br";
  attach.mtu = 1450;
  attach.mac = mac("02:00:00:00:05:02");
  int before = lab.kernel->mutating_requests();
  lab.apply(attach);
  CHECK(lab.kernel->mutating_requests() == before + 1);  // one request for all three
  lab.apply(model::SetLinkUp{"kt_l5", "kt_port", true});
  lab.apply(model::SetLinkUp{"kt_l5", "kt_br", true});
  observed = lab.observe_one("kt_l5");
  const auto* port = observed.find_link("kt_port");
  REQUIRE(port != nullptr);
  REQUIRE(port->master.has_value());
  CHECK(*port->master == "kt_br");
  CHECK(port->mtu == 1450);
  CHECK(port->mac.to_string() == "02:00:00:00:05:02");
  CHECK(port->up);
  CHECK(observed.find_link("kt_br")->up);

  model::SetLinkAttributes release{"kt_l5", "kt_port"};
  release.master = "";
  release.alias = "";
  lab.apply(release);
  lab.apply(model::SetLinkUp{"kt_l5", "kt_port", false});
  observed = lab.observe_one("kt_l5");
  port = observed.find_link("kt_port");
  REQUIRE(port != nullptr);
  CHECK_FALSE(port->master.has_value());
  CHECK(port->alias.empty());
  CHECK_FALSE(port->up);

  model::SetLinkAttributes adopt{"kt_l5", "kt_port"};
  adopt.alias = "nstopo:lab_l5";
  lab.apply(adopt);
  CHECK(lab.observe_one("kt_l5").find_link("kt_port")->alias == "nstopo:lab_l5");

  model::SetLinkAttributes unknown_master{"kt_l5", "kt_port"};
  unknown_master.master = "kt_nobridge";
  auto refused = lab.kernel->execute(act(unknown_master));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().error_number == ENODEV);
  CHECK(refused.error().message.find("kt_nobridge") != std::string::npos);

  lab.apply(model::DeleteLink{"kt_l5", "kt_br", model::LinkKind::bridge, {}});
  CHECK(lab.observe_one("kt_l5").find_link("kt_br") == nullptr);
  lab.apply(model::DeleteNamespace{"kt_l5"});
}

bool has_ipv6(const model::ObservedNamespace& ns, const std::string& dev) {
  for (const auto& address : ns.addresses)
    if (address.dev == dev && address.prefix.family() == model::Family::inet6) return true;
  return false;
}

TEST_CASE("a new veth joins its bridge and comes up in the request that marks it, and gets no "
          "IPv6 link-local address unless asked") {
  Lab lab("lab_l7");
  lab.apply(model::CreateNamespace{"kt_l7"});
  lab.apply(model::CreateBridge{{"host", "kt_br7"}});
  lab.apply(model::SetLinkUp{"host", "kt_br7", true});

  model::CreateVeth veth{{"host", "kt_h7"}, {"kt_l7", "eth0"}, {}, {}, {}, {}, false, false};
  veth.master_a = "kt_br7";
  veth.up_a = veth.up_b = true;
  int before = lab.kernel->mutating_requests();
  lab.apply(veth);
  // The pair; end a marked, in its bridge and up; end b marked; then b up (see executor.cpp).
  CHECK(lab.kernel->mutating_requests() == before + 4);
  // The control: a pair that asks for link-local addresses gets them once both ends are up.
  model::CreateVeth control{{"host", "kt_h7b"}, {"kt_l7", "eth1"}, {}, {}, {}, {}, true, true};
  control.up_a = control.up_b = true;
  lab.apply(control);

  model::ObservedNamespace host, inside;
  for (int attempt = 0; attempt < 50; ++attempt) {  // the kernel adds link-local at carrier-up
    host = lab.observe_one("host");
    inside = lab.observe_one("kt_l7");
    if (has_ipv6(inside, "eth1")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto* port = host.find_link("kt_h7");
  REQUIRE(port != nullptr);
  REQUIRE(port->master.has_value());
  CHECK(*port->master == "kt_br7");
  CHECK(port->up);
  CHECK(port->alias == "nstopo:lab_l7");
  const auto* eth0 = inside.find_link("eth0");
  REQUIRE(eth0 != nullptr);
  CHECK(eth0->up);
  CHECK(eth0->alias == "nstopo:lab_l7");
  CHECK(has_ipv6(inside, "eth1"));
  CHECK_FALSE(has_ipv6(inside, "eth0"));
  CHECK_FALSE(has_ipv6(host, "kt_h7"));

  // A bridge that is not there: the error names it, and the half-made pair is gone.
  model::CreateVeth orphan{{"host", "kt_h7c"}, {"kt_l7", "eth2"}, {}, {}, {}, {}, false, false};
  orphan.master_a = "kt_nobridge";
  auto refused = lab.kernel->execute(act(orphan));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().error_number == ENODEV);
  CHECK(refused.error().message.find("no bridge kt_nobridge") != std::string::npos);
  CHECK(lab.observe_one("host").find_link("kt_h7c") == nullptr);
  CHECK(lab.observe_one("kt_l7").find_link("eth2") == nullptr);

  lab.apply(model::DeleteLink{"host", "kt_br7", model::LinkKind::bridge, {}});
  lab.apply(model::DeleteNamespace{"kt_l7"});
}

TEST_CASE("a link moved to another namespace (drift repair)") {
  Lab lab("lab_l6");
  lab.apply(model::CreateNamespace{"kt_l6a"});
  lab.apply(model::CreateNamespace{"kt_l6b"});
  lab.apply(model::CreateVeth{{"kt_l6a", "kt_m"}, {"kt_l6a", "kt_m2"}, {}, {}, {}, {}});
  lab.apply(model::MoveLink{"kt_l6a", "kt_m", "kt_l6b"});
  CHECK(lab.observe_one("kt_l6a").find_link("kt_m") == nullptr);
  auto b = lab.observe_one("kt_l6b");
  REQUIRE(b.find_link("kt_m") != nullptr);
  CHECK(b.find_link("kt_m")->alias == "nstopo:lab_l6");  // the mark travels with it
  lab.apply(model::MoveLink{"kt_l6b", "kt_m", "host"});
  CHECK(lab.observe_one("host").find_link("kt_m") != nullptr);
  lab.apply(model::DeleteLink{"host", "kt_m", model::LinkKind::veth, {}});
  lab.apply(model::DeleteNamespace{"kt_l6a"});
  lab.apply(model::DeleteNamespace{"kt_l6b"});
}

TEST_CASE("a link kind this kernel lacks is ErrorKind::unsupported, naming the kind") {
  require_sandbox();
  auto socket = NetlinkSocket::open("host");
  REQUIRE(socket.has_value());
  auto made = create_link(**socket, "dummy", NewLink{"kt_dummy", {}, {}, -1},
                          "failed to create dummy host:kt_dummy", "host:kt_dummy");
  if (made) {
    MESSAGE("skipped: this kernel has the dummy link type");
    REQUIRE(delete_link(**socket, "kt_dummy").has_value());
    return;
  }
  CHECK(made.error().kind == ErrorKind::unsupported);
  CHECK(made.error().error_number == EOPNOTSUPP);
  CHECK(made.error().message ==
        "failed to create dummy host:kt_dummy: this kernel has no 'dummy' link type "
        "(module not available)");
  CHECK(made.error().kernel_message == "Unknown device type");  // the kernel's extended ack
  CHECK(made.error().object == "host:kt_dummy");
}

TEST_CASE("service actions are not the kernel's") {
  Lab lab("lab_l7");
  auto refused = lab.kernel->execute(act(model::StopService{"host", "web"}));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().kind == ErrorKind::internal);
  CHECK(lab.kernel->mutating_requests() == 0);
}

}  // namespace
}  // namespace nstopo::kernel::test
