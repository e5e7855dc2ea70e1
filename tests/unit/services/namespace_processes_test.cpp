// Processes still inside a lab namespace that is deleted: which ones are found, and how they
// are stopped (against the fake spawner).
#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include "fake_spawner.h"
#include "services/service_manager.h"
#include "temp_dir.h"

namespace nstopo::services {
namespace {

using std::chrono::milliseconds;
using testing::FakeSpawner;
using testing::TempDir;

struct Fixture {
  TempDir dir;
  state::StateStore store{dir.path()};
  state::LabState state{.lab = "lab1"};
  FakeSpawner spawner;
  ServiceManager manager{ServiceOptions{.netns_dir = "/run/netns", .lab = "lab1"}, store, state,
                         spawner};

  // A process of the machine: in the lab's namespace unless `inode` says otherwise.
  void process(int pid, int ppid, std::string command, uint64_t inode = FakeSpawner::kLabNamespaceInode) {
    spawner.others.push_back({pid, 'S', ppid, pid, pid, 1'000u + static_cast<uint64_t>(pid)});
    spawner.command_lines[pid] = std::move(command);
    if (inode != FakeSpawner::kLabNamespaceInode) spawner.netns_inodes[pid] = inode;
  }
};

model::Service web_service() {
  model::Service s;
  s.name = "web";
  s.command = {"/usr/bin/python3", "-m", "http.server", "4000"};
  return s;
}

TEST_CASE("the processes of a namespace are found, but never a service's, nstopo's or init") {
  Fixture f;
  // A recorded service (pid 4242, its supervisor) and its command below it.
  REQUIRE(f.manager.execute({model::StartService{"ns_a", web_service()}, model::Reason::missing()}));
  f.process(4300, 4242, "python3 -m http.server 4000");
  f.process(500, 1, "bash");                // `ip netns exec ns_a bash`
  f.process(501, 500, "sleep 1000");        // ... and what it started
  f.process(600, 1, "sshd", 4026531000);    // elsewhere: the host, say
  f.process(1, 0, "init");                  // never, wherever it is
  f.process(::getppid(), 1, "sudo nstopo destroy");  // nstopo's own parents, never
  auto found = f.manager.processes_in({"ns_a"});
  REQUIRE(found.size() == 1);
  CHECK(found.at("ns_a") == std::vector<model::NamespaceProcess>{{500, 1'500, "bash"},
                                                                 {501, 1'501, "sleep 1000"}});
  CHECK(f.manager.processes_in({}).empty());
}

TEST_CASE("namespace processes get SIGTERM, and SIGKILL only if they outlive the grace period") {
  Fixture f;
  f.process(500, 1, "bash");
  f.process(501, 500, "python3 deaf.py");
  f.spawner.deaf.insert(501);
  model::StopNamespaceProcesses sweep{"ns_a", {{500, 1'500, "bash"}, {501, 1'501, "python3 deaf.py"}},
                                      milliseconds(300)};
  auto before = f.spawner.clock;
  REQUIRE(f.manager.execute({sweep, model::Reason::not_declared("still in use")}));
  CHECK(f.spawner.signals ==
        std::vector<std::pair<int, int>>{{500, SIGTERM}, {501, SIGTERM}, {501, SIGKILL}});
  CHECK(f.spawner.clock - before >= milliseconds(300));
  CHECK(f.spawner.clock - before < milliseconds(400));
}

TEST_CASE("a namespace process that is no longer the one observed is not signalled") {
  Fixture f;
  f.process(500, 1, "bash");
  f.process(501, 1, "sleep 1000", 4026531000);  // in another namespace now (setns)
  model::StopNamespaceProcesses sweep{"ns_a", {{500, 999, "bash"},  // another start time: reused
                                               {501, 1'501, "sleep 1000"}}};
  REQUIRE(f.manager.execute({sweep, model::Reason::not_declared("still in use")}));
  CHECK(f.spawner.signals.empty());
}

TEST_CASE("a namespace process that survives SIGKILL is an error naming it") {
  Fixture f;
  f.process(500, 1, "cat /dev/stuck");
  f.spawner.deaf.insert(500);
  // A process in uninterruptible sleep: SIGKILL does not end it either (the fake ends its
  // "others" on SIGKILL, so it is put back running before every check).
  f.spawner.before_status = [&](int) { f.spawner.others[0].state = 'D'; };
  model::StopNamespaceProcesses sweep{"ns_a", {{500, 1'500, "cat /dev/stuck"}}, milliseconds(100)};
  auto stopped = f.manager.execute({sweep, model::Reason::not_declared("still in use")});
  REQUIRE_FALSE(stopped);
  CHECK(stopped.error().kind == ErrorKind::service);
  CHECK(stopped.error().message == "processes in namespace ns_a survived SIGKILL: 500 (cat /dev/stuck)");
}

}  // namespace
}  // namespace nstopo::services
