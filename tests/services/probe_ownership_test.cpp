// tcp readiness in real namespaces: a probe counts only the service's own listener, on the
// address it is told (or the namespace's), never whoever happens to hold the port.
#include <doctest/doctest.h>
#include <signal.h>

#include "lab_fixture.h"
#include "sandbox_support.h"
#include "services/listeners.h"
#include "services/readiness.h"

namespace nstopo::services {
namespace {

using namespace testing;

model::IpAddress ip(std::string_view text) { return *model::IpAddress::parse(text); }

model::ReadyProbe tcp_probe(uint16_t port, std::vector<model::IpAddress> targets,
                            milliseconds timeout) {
  model::ReadyProbe probe{model::ReadyProbe::Kind::tcp, port, {}, timeout};
  probe.targets = std::move(targets);
  if (probe.targets.size() == 1) probe.address = probe.targets.front();
  return probe;
}

// A process the test starts in namespace `ns` itself, outside any lab: killed at scope end.
class Bystander {
 public:
  Bystander(const std::string& ns, const std::string& command) {
    const std::string pid_file = fmt::format("/run/bystander-{}.pid", ns);
    ok_ = run(fmt::format("ip netns exec {} {} >/dev/null 2>&1 & echo $! >{}", ns, command,
                          pid_file)) == 0;
    pid_ = std::atoi(read_text(pid_file).c_str());
  }
  Bystander(const Bystander&) = delete;
  Bystander& operator=(const Bystander&) = delete;
  ~Bystander() {
    if (pid_ > 0) ::kill(pid_, SIGKILL);
  }
  bool ok() const { return ok_ && pid_ > 0; }
  int pid() const { return pid_; }

 private:
  bool ok_ = false;
  int pid_ = 0;
};

// Adds `addresses` (with /32) to the namespace's loopback, where a server can bind them.
void add_addresses(const std::string& ns, std::initializer_list<std::string_view> addresses) {
  for (auto address : addresses)
    REQUIRE(run(fmt::format("ip -n {} addr add {}/32 dev lo", ns, address)) == 0);
}

}  // namespace

TEST_CASE("a tcp probe is not fooled by another process holding the port") {
  Lab lab("impostor");
  Bystander impostor(lab.ns.name(), fmt::format("{} -m http.server 4000 --bind 0.0.0.0", kPython));
  REQUIRE(impostor.ok());
  const auto loopback = ip("127.0.0.1");
  REQUIRE(eventually([&] {
    return tcp_port_accepting(kNetnsDir, lab.ns.name(), loopback, 4000, milliseconds(200));
  }));

  // The service itself never listens: a probe that only connects would call it ready.
  auto idle = python("idle", "import time\ntime.sleep(300)\n");
  idle.ready = tcp_probe(4000, {}, milliseconds(1'000));
  auto started = lab.start(idle);
  REQUIRE_FALSE(started);
  CHECK(started.error().message ==
        "service ns_impostor/idle not ready after 1s (tcp port 4000 not accepting on 127.0.0.1 "
        "or ::1 in the service's own processes)");
  REQUIRE_FALSE(started.error().notes.empty());
  CHECK(started.error().notes[0] ==
        fmt::format("tcp port 4000 is listened on at 0.0.0.0 by pid {} (python3), not the "
                    "service's",
                    impostor.pid()));
  // The port was taken all along, by the bystander alone; the failed start left nothing.
  CHECK(tcp_port_accepting(kNetnsDir, lab.ns.name(), loopback, 4000, milliseconds(200)));
  REQUIRE(lab.spawner.started.size() == 1);
  CHECK_FALSE(alive(lab.spawner.started[0]));
  CHECK(lab.state.services.empty());
  // The listener is the bystander's, and not in the (ended) service's tree.
  CHECK_FALSE(listener_owned_by_tree(lab.spawner.started[0].pid, loopback, 4000));
  CHECK(listener_owned_by_tree(impostor.pid(), loopback, 4000));
}

TEST_CASE("a service listening on one declared address is ready there, and only there") {
  Lab lab("bound");
  add_addresses(lab.ns.name(), {"10.79.0.1", "10.79.0.2"});
  auto web = service("web", {kPython, "-m", "http.server", "4000", "--bind", "10.79.0.1"});

  SUBCASE("probed on its address: ready") {
    web.ready = tcp_probe(4000, {ip("10.79.0.1")}, milliseconds(10'000));
    REQUIRE_OK(lab.start(web));
    const auto& record = lab.record("web");
    CHECK(probe_ready_once(kNetnsDir, lab.ns.name(), web, record.pid));
    // Not on loopback, where it does not listen: the old probe would have waited in vain.
    auto on_loopback = web;
    on_loopback.ready = tcp_probe(4000, {}, milliseconds(10'000));
    CHECK_FALSE(probe_ready_once(kNetnsDir, lab.ns.name(), on_loopback, record.pid));
    REQUIRE(lab.stop("web"));
  }
  SUBCASE("probed on the namespace's addresses: ready when one of them accepts") {
    web.ready = tcp_probe(4000, {ip("10.79.0.2"), ip("10.79.0.1")}, milliseconds(10'000));
    REQUIRE_OK(lab.start(web));
    REQUIRE(lab.stop("web"));
  }
  SUBCASE("probed on another address: not ready, naming it") {
    web.ready = tcp_probe(4000, {ip("10.79.0.2")}, milliseconds(1'500));
    auto started = lab.start(web);
    REQUIRE_FALSE(started);
    CHECK(started.error().message ==
          "service ns_bound/web not ready after 1.5s (tcp port 4000 not accepting on 10.79.0.2 "
          "in the service's own processes)");
    REQUIRE(lab.spawner.started.size() == 1);
    REQUIRE_FALSE(started.error().notes.empty());
    CHECK_MESSAGE(started.error().notes[0].starts_with(
                      "tcp port 4000 is listened on at 10.79.0.1 by pid "),
                  started.error().notes[0]);
    CHECK(started.error().notes[0].ends_with("(python3), the service's"));
    CHECK_FALSE(alive(lab.spawner.started[0]));
  }
}

// A listener on port 4000 of `address` with SO_REUSEPORT (so that a wildcard one and a
// specific one can coexist), in Python.
std::string reuseport_listener(std::string_view address) {
  return fmt::format(
      "import socket, time\n"
      "s = socket.socket()\n"
      "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)\n"
      "s.bind(('{}', 4000))\n"
      "s.listen()\n"
      "time.sleep(300)\n",
      address);
}

TEST_CASE("a wildcard listener is reached on every address; a bystander's specific one wins") {
  Lab lab("wildcard");
  add_addresses(lab.ns.name(), {"10.79.1.1", "10.79.1.2"});
  auto web = python("web", reuseport_listener("0.0.0.0"));
  web.ready = tcp_probe(4000, {ip("10.79.1.1"), ip("10.79.1.2")}, milliseconds(10'000));
  REQUIRE_OK(lab.start(web));
  const int supervisor = lab.record("web").pid;
  CHECK(listener_owned_by_tree(supervisor, ip("10.79.1.1"), 4000));
  CHECK(listener_owned_by_tree(supervisor, ip("10.79.1.2"), 4000));

  // A process bound to 10.79.1.2 itself takes the connects to that address (the kernel
  // prefers it to the wildcard): there the service is not the one answering.
  write_text("/run/squatter.py", reuseport_listener("10.79.1.2"));
  Bystander squatter(lab.ns.name(), fmt::format("{} /run/squatter.py", kPython));
  REQUIRE(squatter.ok());
  REQUIRE(eventually([&] { return listener_owned_by_tree(squatter.pid(), ip("10.79.1.2"), 4000); }));
  CHECK_FALSE(listener_owned_by_tree(supervisor, ip("10.79.1.2"), 4000));
  CHECK(listener_owned_by_tree(supervisor, ip("10.79.1.1"), 4000));
  // Ready still: one of its targets is its own.
  CHECK(probe_ready_once(kNetnsDir, lab.ns.name(), web, supervisor));
  auto squatted = web;
  squatted.ready = tcp_probe(4000, {ip("10.79.1.2")}, milliseconds(10'000));
  CHECK_FALSE(probe_ready_once(kNetnsDir, lab.ns.name(), squatted, supervisor));
  REQUIRE(lab.stop("web"));
}

}  // namespace nstopo::services
