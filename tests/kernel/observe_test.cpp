// Sysctls per namespace, and one observe of many namespaces at once.
#include <linux/netconf.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdlib>

#include "kernel/sysctl/netconf.h"
#include "kernel/sysctl/sysctl.h"
#include "kernel_fixture.h"

namespace nstopo::kernel::test {
namespace {

TEST_CASE("sysctl keys map to /proc/sys/net paths and nothing else") {
  CHECK(sysctl_path("net.ipv4.ip_forward") == "/proc/sys/net/ipv4/ip_forward");
  CHECK(sysctl_path("net.ipv4.conf.eth0/100.forwarding") ==
        "/proc/sys/net/ipv4/conf/eth0.100/forwarding");
  CHECK(sysctl_path("net/ipv6/conf/all/forwarding") == "/proc/sys/net/ipv6/conf/all/forwarding");
  CHECK_FALSE(sysctl_path("kernel.hostname"));
  CHECK_FALSE(sysctl_path("net..ipv4"));
  CHECK_FALSE(sysctl_path("net/../kernel/hostname"));
  CHECK_FALSE(sysctl_path("net.ipv4."));
}

TEST_CASE("a sysctl set in a namespace is observed there and nowhere else") {
  Lab lab("lab_s1");
  lab.apply(model::CreateNamespace{"kt_s1"});
  model::ObserveRequest request;
  request.namespaces = {"kt_s1"};
  request.sysctls["kt_s1"] = {"net.ipv4.ip_forward", "net.ipv4.conf.kt_missing.forwarding"};
  request.sysctls["host"] = {"net.ipv4.ip_forward"};
  auto before = lab.observe(request);
  CHECK(before.namespaces.at("kt_s1").sysctls.at("net.ipv4.ip_forward") == "0");
  std::string host_value = before.host.sysctls.at("net.ipv4.ip_forward");

  int requests = lab.kernel->mutating_requests();
  lab.apply(model::SetSysctl{"kt_s1", "net.ipv4.ip_forward", "1", "0"});
  CHECK(lab.kernel->mutating_requests() == requests + 1);
  auto after = lab.observe(request);
  const auto& inside = after.namespaces.at("kt_s1").sysctls;
  CHECK(inside.at("net.ipv4.ip_forward") == "1");
  CHECK_FALSE(inside.contains("net.ipv4.conf.kt_missing.forwarding"));  // no such interface yet
  CHECK(after.host.sysctls.at("net.ipv4.ip_forward") == host_value);
  CHECK(run("ip netns exec kt_s1 cat /proc/sys/net/ipv4/ip_forward") == "1");

  auto bad = lab.kernel->execute(act(model::SetSysctl{"kt_s1", "kernel.hostname", "x", {}}));
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().kind == ErrorKind::invalid_input);
  auto refused =
      lab.kernel->execute(act(model::SetSysctl{"kt_s1", "net.ipv4.ip_forward", "x", {}}));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().error_number == EINVAL);
  CHECK(refused.error().message == "failed to set sysctl net.ipv4.ip_forward = x in kt_s1");
  CHECK(run("readlink /proc/thread-self/ns/net") == run("readlink /proc/1/ns/net"));
  lab.apply(model::DeleteNamespace{"kt_s1"});
}

TEST_CASE("the sysctls netconf carries are recognised by key") {
  auto forward = netconf_key("net.ipv4.ip_forward");
  REQUIRE(forward.has_value());
  CHECK(forward->family == AF_INET);
  CHECK(forward->device == "all");
  CHECK(forward->attribute == NETCONFA_FORWARDING);
  auto dotted = netconf_key("net.ipv4.conf.eth0/100.rp_filter");
  REQUIRE(dotted.has_value());
  CHECK(dotted->device == "eth0.100");
  CHECK(dotted->attribute == NETCONFA_RP_FILTER);
  auto ndp = netconf_key("net.ipv6.conf.default.proxy_ndp");
  REQUIRE(ndp.has_value());
  CHECK(ndp->family == AF_INET6);
  CHECK(ndp->attribute == NETCONFA_PROXY_NEIGH);
  CHECK_FALSE(netconf_key("net.ipv6.conf.all.rp_filter"));  // IPv6 has none
  CHECK_FALSE(netconf_key("net.ipv4.conf.all.accept_redirects"));
  CHECK_FALSE(netconf_key("net.core.somaxconn"));
}

TEST_CASE("sysctls read through netconf and through /proc agree with /proc") {
  Lab lab("lab_s2");
  lab.apply(model::CreateNamespace{"kt_s2"});
  lab.apply(model::CreateVeth{{"kt_s2", "kt_d.1"}, {"kt_s2", "kt_d2"}, {}, {}, {}, {}});
  const std::map<std::string, std::string> wanted{
      {"net.ipv4.ip_forward", "1"},
      {"net.ipv4.conf.all.rp_filter", "2"},
      {"net.ipv4.conf.kt_d/1.rp_filter", "1"},
      {"net.ipv4.conf.default.proxy_arp", "1"},
      {"net.ipv6.conf.kt_d2.forwarding", "1"},
      {"net.ipv4.conf.kt_d2.accept_redirects", "0"},  // not in netconf: /proc
      {"net.core.somaxconn", "1000"},                 // not in netconf: /proc
  };
  model::ObserveRequest request;
  request.namespaces = {"kt_s2"};
  for (const auto& [key, value] : wanted) {
    lab.apply(model::SetSysctl{"kt_s2", key, value, {}});
    request.sysctls["kt_s2"].insert(key);
  }
  request.sysctls["kt_s2"].insert("net.ipv4.conf.kt_nodev.forwarding");
  auto observed = lab.observe(request).namespaces.at("kt_s2").sysctls;
  CHECK(observed.size() == wanted.size());  // the missing device's key is absent
  for (const auto& [key, value] : wanted) {
    CAPTURE(key);
    REQUIRE(observed.contains(key));
    CHECK(observed.at(key) == value);
    auto path = sysctl_path(key);
    REQUIRE(path.has_value());
    CHECK(run("ip netns exec kt_s2 cat " + *path) == value);
  }
  lab.apply(model::DeleteNamespace{"kt_s2"});
}

// NSTOPO_KERNEL_TEST_NAMESPACES sets the count (default 100) to measure larger labs.
TEST_CASE("one observe reads many namespaces, each with its own links, addresses and routes") {
  Lab lab("lab_o1");
  int count = 100;
  if (const char* wanted = std::getenv("NSTOPO_KERNEL_TEST_NAMESPACES")) count = std::atoi(wanted);
  model::ObserveRequest request;
  auto made_start = std::chrono::steady_clock::now();
  model::Plan plan;  // as apply does: every namespace recorded in one write
  for (int i = 0; i < count; ++i)
    plan.actions.push_back(act(model::CreateNamespace{fmt::format("kt_o{}", i)}));
  REQUIRE(lab.kernel->prepare(plan).has_value());
  for (int i = 0; i < count; ++i) {
    std::string ns = fmt::format("kt_o{}", i);
    std::string host_end = fmt::format("kt_ho{}", i);
    lab.apply(model::CreateNamespace{ns});
    lab.apply(model::CreateVeth{{ns, "eth0"}, {"host", host_end}, {}, {}, {}, {}});
    lab.apply(model::SetLinkUp{ns, "eth0", true});
    auto address = prefix(fmt::format("10.{}.{}.2/24", 100 + i / 256, i % 256));
    lab.apply(model::AddAddress{ns, "eth0", address, true});
    lab.apply(model::AddRoute{ns, model::RouteSpec{prefix("10.200.0.0/16"), {}, "eth0", 7}});
    request.namespaces.insert(ns);
    request.sysctls[ns] = {"net.ipv4.ip_forward"};
  }
  auto made = std::chrono::steady_clock::now() - made_start;
  request.namespaces.insert("kt_o_missing");

  auto start = std::chrono::steady_clock::now();
  auto observed = lab.observe(request);
  auto took = std::chrono::steady_clock::now() - start;
  // A second observe reuses the sockets of the first.
  start = std::chrono::steady_clock::now();
  auto again = lab.observe(request);
  auto took_again = std::chrono::steady_clock::now() - start;
  using ms = std::chrono::duration<double, std::milli>;
  MESSAGE(fmt::format("{} namespaces: made in {:.0f} ms; observed in {:.1f} ms, again in {:.1f} ms",
                      count, ms(made).count(), ms(took).count(), ms(took_again).count()));

  CHECK(observed.namespaces.size() == static_cast<size_t>(count + 1));
  CHECK_FALSE(observed.namespaces.at("kt_o_missing").exists);
  CHECK(observed.owned_namespaces.size() == static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    const auto& ns = observed.namespaces.at(fmt::format("kt_o{}", i));
    REQUIRE(ns.exists);
    CHECK(ns.links.size() == 2);  // lo and eth0
    const auto* eth0 = ns.find_link("eth0");
    REQUIRE(eth0 != nullptr);
    CHECK(eth0->up);
    CHECK(find_address(ns, fmt::format("10.{}.{}.2/24", 100 + i / 256, i % 256)) != nullptr);
    const auto* route = find_route(ns, "10.200.0.0/16");
    REQUIRE(route != nullptr);
    CHECK(route->metric == 7);
    CHECK(ns.sysctls.at("net.ipv4.ip_forward") == "0");
    CHECK(observed.host.find_link(fmt::format("kt_ho{}", i)) != nullptr);
  }
  CHECK(again.namespaces.size() == observed.namespaces.size());

  for (int i = 0; i < count; ++i) lab.apply(model::DeleteNamespace{fmt::format("kt_o{}", i)});
}

}  // namespace
}  // namespace nstopo::kernel::test
