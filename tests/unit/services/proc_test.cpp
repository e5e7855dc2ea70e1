// /proc parsing, wait statuses and the environment and identity of services.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/netns/netns_exec.h"
#include "services/identity.h"
#include "services/proc.h"
#include "services/readiness.h"

namespace nstopo::services {
namespace {

TEST_CASE("parse_proc_stat counts fields from the last parenthesis") {
  std::string stat =
      "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 200 0 0 0 3 1 0 0 20 0 1 0 "
      "123456789 10000000 500 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
  auto parsed = parse_proc_stat(stat);
  REQUIRE(parsed);
  CHECK(parsed->pid == 4242);
  CHECK(parsed->state == 'S');
  CHECK(parsed->ppid == 1);
  CHECK(parsed->pgrp == 4242);
  CHECK(parsed->session == 4242);
  CHECK(parsed->start_time == 123456789);
  CHECK_FALSE(parsed->ended());
  CHECK(parse_proc_stat("4242 (x) Z 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 77 0 0")->ended());
  CHECK_FALSE(parse_proc_stat("4242 (x) S 1 1"));
  CHECK_FALSE(parse_proc_stat("garbage"));
}

TEST_CASE("process_tree follows parent links, parents first, and only below its root") {
  auto stat = [](int pid, int ppid) {
    ProcStat s;
    s.pid = pid;
    s.ppid = ppid;
    return s;
  };
  std::vector<ProcStat> processes{stat(1, 0), stat(50, 1), stat(10, 1), stat(11, 10),
                                  stat(12, 11), stat(13, 10), stat(99, 50)};
  std::vector<int> pids;
  for (const auto& p : process_tree(10, processes)) pids.push_back(p.pid);
  CHECK(pids == std::vector<int>{10, 11, 13, 12});
  CHECK(process_tree(7, processes).empty());
}

TEST_CASE("process_tree and process_name read this process and its child") {
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  auto tree = process_tree(::getpid());
  bool has_child = false;
  for (const auto& p : tree) has_child = has_child || p.pid == child;
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  REQUIRE(!tree.empty());
  CHECK(tree.front().pid == ::getpid());
  CHECK(has_child);
  CHECK(process_name(::getpid()) != "?");
  CHECK(process_name(-5) == "?");
}

TEST_CASE("read_proc_stat reads this process") {
  auto self = read_proc_stat(::getpid());
  REQUIRE(self);
  CHECK(self->pid == ::getpid());
  CHECK(self->pgrp == ::getpgrp());
  CHECK(self->start_time > 0);
  CHECK(uptime_since(self->start_time).has_value());
}

TEST_CASE("wait statuses read as sentences") {
  CHECK(describe_wait_status(3 << 8) == "exited with status 3");
  CHECK(describe_wait_status(SIGKILL) == "was killed by signal 9 (SIGKILL)");
  CHECK(describe_wait_status(SIGSEGV | 0x80) == "was killed by signal 11 (SIGSEGV)");
}

TEST_CASE("a service's environment is minimal, then its declared env") {
  std::map<std::string, std::string> inherited = {
      {"PATH", "/opt/bin:/usr/bin"}, {"HOME", "/root"}, {"USER", "root"}, {"LANG", "C.UTF-8"}};
  CHECK(service_environment({}, std::nullopt, inherited) ==
        std::vector<std::string>{"HOME=/root", "LANG=C.UTF-8", "PATH=/opt/bin:/usr/bin",
                                 "USER=root"});
  UserIdentity nobody{"nobody", 65534, 65534, {}, "/nonexistent"};
  CHECK(service_environment({{"PORT", "4000"}, {"PATH", "/srv/bin"}}, nobody, inherited) ==
        std::vector<std::string>{"HOME=/nonexistent", "LANG=C.UTF-8", "LOGNAME=nobody",
                                 "PATH=/srv/bin", "PORT=4000", "USER=nobody"});
  CHECK(service_environment({}, std::nullopt, {}) ==
        std::vector<std::string>{"HOME=/",
                                 "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"});
}

TEST_CASE("users resolve by name or number") {
  auto nobody = resolve_user("nobody");
  REQUIRE(nobody);
  CHECK(nobody->uid == 65534);
  CHECK(nobody->name == "nobody");
  auto by_number = resolve_user("65534");
  REQUIRE(by_number);
  CHECK(by_number->name == "nobody");
  auto unnamed = resolve_user("54321");
  REQUIRE(unnamed);
  CHECK(unnamed->uid == 54321);
  CHECK(unnamed->gid == 54321);
  CHECK(unnamed->groups.empty());
  auto unknown = resolve_user("no-such-user-here");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().kind == ErrorKind::service);
  CHECK(unknown.error().message == "unknown user no-such-user-here");
}

TEST_CASE("tentative IPv6 addresses are read from the if_inet6 flags column, link-local left out") {
  std::string if_inet6 =
      "00000000000000000000000000000001 01 80 10 80       lo\n"
      "fd000000000000000000000000000011 02 40 00 40  veth0\n"
      "fe80000000000000a8bbccfffedd0011 02 40 20 c8  veth0\n"
      "fd000000000000000000000000000013 02 40 00 c8  veth0\n"
      "fd000000000000000000000000000012 03 40 00 80  veth1\n";
  CHECK(kernel::parse_tentative_ipv6_addresses(if_inet6) ==
        std::vector<std::string>{"fd00::11 on veth0", "fd00::13 on veth0 (duplicate address found)"});
  CHECK(kernel::parse_tentative_ipv6_addresses("").empty());
  CHECK(kernel::parse_tentative_ipv6_addresses("short line\n").empty());
}

TEST_CASE("interface names are read from /proc/net/dev") {
  const char* net_dev =
      "Inter-|   Receive                            |  Transmit\n"
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes\n"
      "    lo:       0       0    0    0    0     0          0         0        0\n"
      "veth_ns_rifky: 1206      15    0    0    0     0          0         0     1136\n"
      "  eth0:123 4 0 0 0 0 0 0 0\n";
  CHECK(kernel::parse_interface_names(net_dev) ==
        std::vector<std::string>{"lo", "veth_ns_rifky", "eth0"});
  CHECK(kernel::parse_interface_names("").empty());
  CHECK(kernel::parse_interface_names("header\nheader\nno colon here\n").empty());
}

TEST_CASE("durations and unready probes read as sentences") {
  using std::chrono::milliseconds;
  CHECK(format_duration(milliseconds(10'000)) == "10s");
  CHECK(format_duration(milliseconds(1'500)) == "1.5s");
  CHECK(format_duration(milliseconds(250)) == "250ms");
  model::ReadyProbe tcp{model::ReadyProbe::Kind::tcp, 4000, {}, milliseconds(10'000)};
  CHECK(describe_unready(tcp) ==
        "tcp port 4000 not accepting on 127.0.0.1 or ::1 in the service's own processes");
  tcp.targets = {*model::IpAddress::parse("10.0.0.11"), *model::IpAddress::parse("fd00::11"),
                 *model::IpAddress::parse("10.1.0.11")};
  CHECK(describe_unready(tcp) == "tcp port 4000 not accepting on 10.0.0.11, fd00::11 or "
                                 "10.1.0.11 in the service's own processes");
  model::ReadyProbe exec{model::ReadyProbe::Kind::exec, 0, {"curl", "-sf", "http://localhost/"},
                         milliseconds(10'000)};
  CHECK(describe_unready(exec) == "exec probe 'curl -sf http://localhost/' did not exit 0");
}

}  // namespace
}  // namespace nstopo::services
