// Addresses and routes: marked as ours (IFA_PROTO, rtm_protocol), observed back with the
// mark, refused with the kernel's own words.
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "kernel/unique_fd.h"
#include "kernel_fixture.h"

namespace nstopo::kernel::test {
namespace {

// Listens on address:PORT here (the sandbox's host) and connects to it through `prefix_command`.
bool tcp_listener_reachable(const model::IpAddress& address, const std::string& prefix_command) {
  UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(listener);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  std::memcpy(&local.sin_addr, address.bytes.data(), 4);
  REQUIRE(::bind(listener.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) == 0);
  REQUIRE(::listen(listener.get(), 4) == 0);
  socklen_t length = sizeof local;
  REQUIRE(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&local), &length) == 0);
  return succeeds(fmt::format("{} timeout 5 bash -c 'exec 3<>/dev/tcp/{}/{}'", prefix_command,
                              address.to_string(), ntohs(local.sin_port)));
}

// A namespace joined to the host by a veth, both ends up.
void make_wire(Lab& lab, const std::string& ns, const std::string& inside,
               const std::string& outside) {
  lab.apply(model::CreateNamespace{ns});
  lab.apply(model::CreateVeth{{ns, inside}, {"host", outside}, {}, {}, {}, {}});
  lab.apply(model::SetLinkUp{ns, inside, true});
  lab.apply(model::SetLinkUp{"host", outside, true});
}

TEST_CASE("addresses carry IFA_PROTO and come back as ours; duplicates are EEXIST") {
  Lab lab("lab_a1");
  make_wire(lab, "kt_a1", "kt_e1", "kt_he1");
  lab.apply(model::AddAddress{"host", "kt_he1", prefix("10.77.1.1/24"), true});
  lab.apply(model::AddAddress{"kt_a1", "kt_e1", prefix("10.77.1.2/24"), true});
  lab.apply(model::AddAddress{"kt_a1", "kt_e1", prefix("fd00:77:1::2/64"), true});

  int before = lab.kernel->mutating_requests();
  auto observed = lab.observe_one("kt_a1");
  CHECK(lab.kernel->mutating_requests() == before);  // observing changes nothing
  const auto* v4 = find_address(observed, "10.77.1.2/24");
  const auto* v6 = find_address(observed, "fd00:77:1::2/64");
  REQUIRE(v4 != nullptr);
  REQUIRE(v6 != nullptr);
  CHECK(v4->dev == "kt_e1");
  CHECK(v4->proto == model::kOwnerProtocol);
  CHECK(v6->proto == model::kOwnerProtocol);
  CHECK((v6->flags & IFA_F_NODAD) != 0);
  CHECK_FALSE(v6->tentative());
  CHECK(v4->scope == 0);  // RT_SCOPE_UNIVERSE
  // Kernel-made addresses are not marked.
  const auto* loopback = find_address(observed, "127.0.0.1/8");
  REQUIRE(loopback != nullptr);
  CHECK(loopback->proto == 0);
  // Traffic flows: a TCP connection from inside the namespace to a listener in the host
  // (no ping on this machine; the kernel completes the handshake from the listen backlog).
  CHECK(tcp_listener_reachable(ip("10.77.1.1"), "ip netns exec kt_a1"));

  auto again =
      lab.kernel->execute(act(model::AddAddress{"kt_a1", "kt_e1", prefix("10.77.1.2/24"), true}));
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().kind == ErrorKind::kernel);
  CHECK(again.error().error_number == EEXIST);
  CHECK(again.error().object == "kt_a1:kt_e1");
  CHECK(again.error().message == "failed to add address 10.77.1.2/24 to kt_a1:kt_e1");
  CHECK_FALSE(again.error().kernel_message.empty());
  CHECK(again.error().describe() == "failed to add address 10.77.1.2/24 to kt_a1:kt_e1: " +
                                        again.error().kernel_message + " (EEXIST)");

  auto no_device =
      lab.kernel->execute(act(model::AddAddress{"kt_a1", "kt_none", prefix("10.77.9.1/24"), true}));
  REQUIRE_FALSE(no_device.has_value());
  CHECK(no_device.error().error_number == ENODEV);
  CHECK(no_device.error().describe() ==
        "failed to add address 10.77.9.1/24 to kt_a1:kt_none: No such device (ENODEV)");

  lab.apply(model::DeleteAddress{"kt_a1", "kt_e1", prefix("10.77.1.2/24")});
  lab.apply(model::DeleteAddress{"kt_a1", "kt_e1", prefix("fd00:77:1::2/64")});
  observed = lab.observe_one("kt_a1");
  CHECK(find_address(observed, "10.77.1.2/24") == nullptr);
  CHECK(find_address(observed, "fd00:77:1::2/64") == nullptr);
  lab.apply(model::DeleteNamespace{"kt_a1"});
}

TEST_CASE("routes carry our protocol, metric, gateway and device, and come back so") {
  Lab lab("lab_a2");
  make_wire(lab, "kt_a2", "kt_e2", "kt_he2");
  lab.apply(model::AddAddress{"host", "kt_he2", prefix("10.77.2.1/24"), true});
  lab.apply(model::AddAddress{"kt_a2", "kt_e2", prefix("10.77.2.2/24"), true});
  lab.apply(model::AddAddress{"kt_a2", "kt_e2", prefix("fd00:77:2::2/64"), true});

  model::RouteSpec via_dev{prefix("10.88.0.0/16"), ip("10.77.2.1"), "kt_e2", 10};
  model::RouteSpec default_route{
      model::Prefix::default_route(model::Family::inet), ip("10.77.2.1"), {}, 0};
  model::RouteSpec v6_dev{prefix("fd00:88::/64"), {}, "kt_e2", 5};
  lab.apply(model::AddRoute{"kt_a2", via_dev});
  lab.apply(model::AddRoute{"kt_a2", default_route});  // no device: the kernel finds kt_e2
  lab.apply(model::AddRoute{"kt_a2", v6_dev});

  auto observed = lab.observe_one("kt_a2");
  const auto* r1 = find_route(observed, "10.88.0.0/16");
  const auto* r2 = find_route(observed, "0.0.0.0/0");
  const auto* r3 = find_route(observed, "fd00:88::/64");
  REQUIRE(r1 != nullptr);
  REQUIRE(r2 != nullptr);
  REQUIRE(r3 != nullptr);
  CHECK(r1->protocol == model::kOwnerProtocol);
  CHECK(r1->metric == 10);
  REQUIRE(r1->via.has_value());
  CHECK(r1->via->to_string() == "10.77.2.1");
  CHECK(r1->dev == "kt_e2");
  CHECK(r1->table == 254);
  CHECK(r2->dev == "kt_e2");
  CHECK(r2->protocol == model::kOwnerProtocol);
  CHECK(r3->protocol == model::kOwnerProtocol);
  CHECK(r3->metric == 5);
  CHECK_FALSE(r3->via.has_value());
  // The kernel's own route for the address's subnet, and nothing from the local table.
  const auto* subnet = find_route(observed, "10.77.2.0/24");
  REQUIRE(subnet != nullptr);
  CHECK(subnet->protocol == 2);  // RTPROT_KERNEL
  CHECK(find_route(observed, "10.77.2.2/32") == nullptr);
  CHECK(find_route(observed, "127.0.0.0/8") == nullptr);
  CHECK(run("ip netns exec kt_a2 ip route show proto 78").find("10.88.0.0/16 via 10.77.2.1") !=
        std::string::npos);

  lab.apply(model::DeleteRoute{"kt_a2", via_dev, model::kOwnerProtocol});
  lab.apply(model::DeleteRoute{"kt_a2", default_route, model::kOwnerProtocol});
  lab.apply(model::DeleteRoute{"kt_a2", v6_dev, model::kOwnerProtocol});
  observed = lab.observe_one("kt_a2");
  CHECK(find_route(observed, "10.88.0.0/16") == nullptr);
  CHECK(find_route(observed, "0.0.0.0/0") == nullptr);
  CHECK(find_route(observed, "fd00:88::/64") == nullptr);
  lab.apply(model::DeleteNamespace{"kt_a2"});
}

TEST_CASE("a refused route carries the kernel's extended-ack text and the errno name") {
  Lab lab("lab_a3");
  make_wire(lab, "kt_a3", "kt_e3", "kt_he3");
  lab.apply(model::AddAddress{"kt_a3", "kt_e3", prefix("10.77.3.2/24"), true});
  model::RouteSpec unreachable{prefix("10.99.0.0/16"), ip("192.0.2.1"), "kt_e3", 0};
  auto refused = lab.kernel->execute(act(model::AddRoute{"kt_a3", unreachable}));
  REQUIRE_FALSE(refused.has_value());
  const Error& error = refused.error();
  CHECK(error.kind == ErrorKind::kernel);
  CHECK(error.message == "failed to add route 10.99.0.0/16 via 192.0.2.1 dev kt_e3 in kt_a3");
  CHECK(error.object == "kt_a3");
  // The kernel's sentence, not strerror's.
  CHECK(error.kernel_message == "Nexthop has invalid gateway");
  CHECK(error.describe() ==
        error.message + ": Nexthop has invalid gateway (" + errno_name(error.error_number) + ")");
  CHECK(find_route(lab.observe_one("kt_a3"), "10.99.0.0/16") == nullptr);
  lab.apply(model::DeleteNamespace{"kt_a3"});
}

}  // namespace
}  // namespace nstopo::kernel::test
