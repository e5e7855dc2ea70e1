// ServiceManager against the fake spawner: what it records, signals and reports.
#include <doctest/doctest.h>
#include <signal.h>

#include "fake_spawner.h"
#include "services/readiness.h"
#include "services/service_manager.h"
#include "temp_dir.h"

namespace nstopo::services {
namespace {

using std::chrono::milliseconds;
using testing::FakeSpawner;
using testing::TempDir;

model::Service web_service() {
  model::Service s;
  s.name = "web";
  s.command = {"/usr/bin/python3", "-m", "http.server", "4000"};
  s.env = {{"GREETING", "hello"}};
  s.ready.kind = model::ReadyProbe::Kind::tcp;
  s.ready.port = 4000;
  s.ready.timeout = milliseconds(300);
  s.stop_grace = milliseconds(500);
  return s;
}

model::Action start_action(const model::Service& s, std::string ns = "ns_a") {
  return {model::StartService{std::move(ns), s}, model::Reason::missing()};
}

model::Action stop_action(std::string ns, std::string name, int pid, uint64_t start_time,
                          milliseconds grace = milliseconds(500)) {
  return {model::StopService{std::move(ns), std::move(name), pid, start_time, grace}, model::Reason::not_declared()};
}

struct Fixture {
  TempDir dir;
  state::StateStore store{dir.path()};
  state::LabState state{.lab = "lab1"};
  FakeSpawner spawner;
  std::vector<std::string> ready_reports;
  ServiceManager manager{ServiceOptions{.netns_dir = "/run/netns",
                                        .lab = "lab1",
                                        .on_ready =
                                            [this](const std::string& ns, const std::string& name,
                                                   int pid, milliseconds waited) {
                                              ready_reports.push_back(fmt::format(
                                                  "{}/{} pid {} after {}ms", ns, name, pid,
                                                  waited.count()));
                                            }},
                         store, state, spawner};

  state::LabState saved() const { return store.load("lab1").value(); }
  std::string log_path() const { return store.log_path("lab1", "ns_a", "web"); }
};

TEST_CASE("start records pid, start time and spec hash, saves them, and reports readiness") {
  Fixture f;
  auto s = web_service();
  int attempts_needed = 3;
  f.spawner.ready = [&](int attempt) { return attempt + 1 >= attempts_needed; };
  REQUIRE(f.manager.execute(start_action(s)));

  REQUIRE(f.spawner.started.size() == 1);
  const ProcessSpec& spec = f.spawner.started[0];
  CHECK(spec.label == "ns_a/web");
  CHECK(spec.ns == "ns_a");
  CHECK(spec.netns_dir == "/run/netns");
  CHECK(spec.argv == s.command);
  CHECK(spec.env == s.env);
  CHECK(spec.cwd == "/");  // the default working directory
  CHECK_FALSE(spec.user);

  auto saved = f.saved();
  REQUIRE(saved.services.count("ns_a/web") == 1);
  const auto& record = saved.services.at("ns_a/web");
  CHECK(record.ns == "ns_a");
  CHECK(record.name == "web");
  CHECK(record.pid == 4242);
  CHECK(record.start_time == 777'000);
  CHECK(record.spec_hash == s.spec_hash());
  CHECK(f.state.services.at("ns_a/web").pid == 4242);
  CHECK(f.spawner.signals.empty());

  // Polled with a growing pause: 20 ms, then 40 ms, before the third attempt succeeded.
  CHECK(f.spawner.probe_attempts == 3);
  CHECK(f.spawner.sleeps == std::vector<milliseconds>{milliseconds(20), milliseconds(40)});
  CHECK(f.ready_reports == std::vector<std::string>{"ns_a/web pid 4242 after 60ms"});
}

TEST_CASE("the pause between readiness attempts doubles up to 200 ms") {
  Fixture f;
  auto s = web_service();
  s.ready.timeout = milliseconds(10'000);
  f.spawner.ready = [](int attempt) { return attempt == 7; };
  REQUIRE(f.manager.execute(start_action(s)));
  CHECK(f.spawner.sleeps == std::vector<milliseconds>{milliseconds(20), milliseconds(40),
                                                      milliseconds(80), milliseconds(160),
                                                      milliseconds(200), milliseconds(200),
                                                      milliseconds(200)});
}

TEST_CASE("a service without a probe is ready once it stayed up 100 ms") {
  Fixture f;
  auto s = web_service();
  s.ready.kind = model::ReadyProbe::Kind::none;
  REQUIRE(f.manager.execute(start_action(s)));
  CHECK(f.spawner.probe_attempts == 0);
  CHECK(f.spawner.slept() == milliseconds(100));
  CHECK(f.ready_reports.size() == 1);
}

TEST_CASE("a service without a probe that exits at once fails its start with its status") {
  Fixture f;
  auto s = web_service();
  s.ready.kind = model::ReadyProbe::Kind::none;
  f.spawner.before_status = [&](int pid) {
    if (f.spawner.clock - std::chrono::steady_clock::time_point{} < milliseconds(50)) return;
    auto& p = f.spawner.processes.at(pid);
    p.state = ProcessStatus::State::exited;
    p.group_alive = false;
    p.wait_status = 1 << 8;  // exit status 1
  };
  auto started = f.manager.execute(start_action(s));
  REQUIRE_FALSE(started);
  CHECK(started.error().message == "service ns_a/web exited with status 1 before it was ready");
  CHECK(f.saved().services.empty());
}

TEST_CASE("a declared cwd and user reach the spawner") {
  Fixture f;
  auto s = web_service();
  s.cwd = "/srv/www";
  s.user = "nobody";
  REQUIRE(f.manager.execute(start_action(s)));
  CHECK(f.spawner.started.at(0).cwd == "/srv/www");
  CHECK(f.spawner.started.at(0).user == "nobody");
}

TEST_CASE("a start the spawner refuses surfaces its error and records nothing") {
  Fixture f;
  f.spawner.start_error =
      Error{ErrorKind::service, "failed to start service ns_a/web: command 'pythn3' not found",
            "ns_a/web", ENOENT};
  auto started = f.manager.execute(start_action(web_service()));
  REQUIRE_FALSE(started);
  CHECK(started.error().kind == ErrorKind::service);
  CHECK(started.error().message == "failed to start service ns_a/web: command 'pythn3' not found");
  CHECK(started.error().error_number == ENOENT);
  CHECK(f.state.services.empty());
  CHECK(f.saved().services.empty());
  CHECK(f.ready_reports.empty());
}

TEST_CASE("a service never ready is stopped after its timeout, with its log tail") {
  Fixture f;
  std::string output;
  for (int i = 1; i <= 12; ++i) output += fmt::format("line {}\n", i);
  f.spawner.output_on_start = output;
  f.spawner.ready = [](int) { return false; };
  auto started = f.manager.execute(start_action(web_service()));
  REQUIRE_FALSE(started);
  CHECK(started.error().kind == ErrorKind::service);
  CHECK(started.error().object == "ns_a/web");
  std::string expected = fmt::format(
      "last lines of {}:\n"
      "  line 3\n  line 4\n  line 5\n  line 6\n  line 7\n  line 8\n  line 9\n  line 10\n"
      "  line 11\n  line 12",
      f.log_path());
  CHECK(started.error().message ==
        "service ns_a/web not ready after 300ms (tcp port 4000 not accepting on 127.0.0.1 or "
        "::1 in the service's own processes)");
  CHECK(started.error().notes == std::vector<std::string>{expected});
  // Waited exactly its timeout, then stopped the process it started.
  CHECK(f.spawner.clock - std::chrono::steady_clock::time_point{} == milliseconds(300));
  CHECK(f.spawner.signals == std::vector<std::pair<int, int>>{{4242, SIGTERM}});
  CHECK(f.spawner.released == std::vector<int>{4242});
  CHECK(f.state.services.empty());
  CHECK(f.saved().services.empty());
  CHECK(f.ready_reports.empty());
}

TEST_CASE("an exec probe attempt may take all the time left; a tcp attempt at most 1 s") {
  Fixture f;
  auto s = web_service();
  s.ready = {model::ReadyProbe::Kind::exec, 0, {"/usr/bin/curl", "-sf", "http://localhost/"},
             milliseconds(10'000)};
  // A health check that takes 2.5 s and succeeds: cut at 1 s, it would never pass.
  f.spawner.probe_takes = milliseconds(2'500);
  REQUIRE(f.manager.execute(start_action(s)));
  REQUIRE(f.spawner.probe_timeouts.size() == 1);
  CHECK(f.spawner.probe_timeouts[0] == milliseconds(10'000));
  CHECK(f.ready_reports == std::vector<std::string>{"ns_a/web pid 4242 after 2500ms"});

  // A second, failing attempt gets what is left after the first and the pause between.
  Fixture g;
  g.spawner.probe_takes = milliseconds(3'000);
  g.spawner.ready = [](int attempt) { return attempt > 0; };
  REQUIRE(g.manager.execute(start_action(s)));
  REQUIRE(g.spawner.probe_timeouts.size() == 2);
  CHECK(g.spawner.probe_timeouts[0] == milliseconds(10'000));
  CHECK(g.spawner.probe_timeouts[1] == milliseconds(10'000 - 3'000 - 20));

  // tcp: a connect that hangs is given up after 1 s and tried again.
  Fixture h;
  auto tcp = web_service();
  tcp.ready.timeout = milliseconds(5'000);
  h.spawner.ready = [](int attempt) { return attempt > 0; };
  REQUIRE(h.manager.execute(start_action(tcp)));
  CHECK(h.spawner.probe_timeouts == std::vector<milliseconds>{milliseconds(1'000), milliseconds(1'000)});
}

TEST_CASE("status's single attempt: a connect is cut short, an exec probe gets its timeout") {
  FakeSpawner spawner;
  auto s = web_service();
  s.ready.timeout = milliseconds(3'000);
  CHECK(probe_ready_once(spawner, ProcessSpec{}, s, 812, milliseconds(500)));
  s.ready = {model::ReadyProbe::Kind::exec, 0, {"/usr/bin/curl", "-sf", "http://localhost/"},
             milliseconds(3'000)};
  CHECK(probe_ready_once(spawner, ProcessSpec{}, s, 812, milliseconds(500)));
  CHECK(spawner.probe_timeouts == std::vector<milliseconds>{milliseconds(500), milliseconds(3'000)});
  CHECK(spawner.probe_owners == std::vector<int>{812, 812});
}

TEST_CASE("each probe attempt is told the service's supervisor, whose tree must own a listener") {
  Fixture f;
  f.spawner.ready = [](int attempt) { return attempt > 1; };
  REQUIRE(f.manager.execute(start_action(web_service())));
  CHECK(f.spawner.probe_owners == std::vector<int>{4242, 4242, 4242});
}

TEST_CASE("a service not ready says who holds its port, before its log tail") {
  Fixture f;
  f.spawner.ready = [](int) { return false; };
  f.spawner.unready_explanation =
      "tcp port 4000 is listened on at 0.0.0.0 by pid 812 (nc), not the service's";
  auto started = f.manager.execute(start_action(web_service()));
  REQUIRE_FALSE(started);
  REQUIRE(started.error().notes.size() == 2);
  CHECK(started.error().notes[0] == f.spawner.unready_explanation);
  CHECK(started.error().notes[1].starts_with("(its log"));
}

TEST_CASE("a failed start whose process cannot be killed keeps its record and says so") {
  Fixture f;
  f.spawner.ready = [&](int) {
    auto& p = f.spawner.processes.at(4242);
    p.ignores_sigterm = p.survives_sigkill = true;
    return false;
  };
  auto started = f.manager.execute(start_action(web_service()));
  REQUIRE_FALSE(started);
  REQUIRE(started.error().notes.size() == 2);
  CHECK(started.error().notes[1] ==
        "processes of service ns_a/web (process group 4242) survived SIGKILL");
  CHECK(f.saved().services.count("ns_a/web") == 1);
}

TEST_CASE("a service that exits before it is ready fails at once with its exit status") {
  Fixture f;
  f.spawner.output_on_start = "Traceback (most recent call last):\nOSError: [Errno 98] Address in use\n";
  f.spawner.ready = [](int) { return false; };
  int statuses = 0;
  f.spawner.before_status = [&](int pid) {
    if (++statuses == 2) {  // it dies between the first and second look
      auto& p = f.spawner.processes.at(pid);
      p.state = ProcessStatus::State::exited;
      p.wait_status = 1 << 8;  // exit status 1
      p.group_alive = false;
    }
  };
  auto started = f.manager.execute(start_action(web_service()));
  REQUIRE_FALSE(started);
  CHECK(started.error().describe() ==
        fmt::format("service ns_a/web exited with status 1 before it was ready\n"
                    "last lines of {}:\n"
                    "  Traceback (most recent call last):\n"
                    "  OSError: [Errno 98] Address in use",
                    f.log_path()));
  CHECK(f.spawner.sleeps.size() == 1);  // did not wait for the timeout
  CHECK(f.spawner.signals.empty());     // nothing left to signal
  CHECK(f.spawner.released == std::vector<int>{4242});  // but reaped
  CHECK(f.saved().services.empty());
}

TEST_CASE("an early exit with an empty log says so") {
  Fixture f;
  f.spawner.before_status = [&](int pid) {
    auto& p = f.spawner.processes.at(pid);
    p.state = ProcessStatus::State::exited;
    p.wait_status = SIGSEGV;
    p.group_alive = false;
  };
  auto started = f.manager.execute(start_action(web_service()));
  REQUIRE_FALSE(started);
  CHECK(started.error().describe() ==
        fmt::format("service ns_a/web was killed by signal 11 (SIGSEGV) before it was ready\n"
                    "(its log {} is empty)",
                    f.log_path()));
}

TEST_CASE("stop signals the group when the recorded pid still has its start time") {
  Fixture f;
  REQUIRE(f.manager.execute(start_action(web_service())));
  REQUIRE(f.manager.execute(stop_action("ns_a", "web", 4242, 777'000)));
  CHECK(f.spawner.signals == std::vector<std::pair<int, int>>{{4242, SIGTERM}});
  CHECK(f.state.services.empty());
  CHECK(f.saved().services.empty());
}

TEST_CASE("a service deaf to SIGTERM is killed by its supervisor when its grace period is over") {
  Fixture f;
  REQUIRE(f.manager.execute(start_action(web_service())));
  f.spawner.processes.at(4242).ignores_sigterm = true;
  f.spawner.processes.at(4242).supervisor_grace = milliseconds(1'000);
  auto before = f.spawner.clock;
  REQUIRE(f.manager.execute(stop_action("ns_a", "web", 4242, 777'000, milliseconds(1'000))));
  // nstopo asked once; the supervisor did the rest, and nstopo had no need to step in.
  CHECK(f.spawner.signals == std::vector<std::pair<int, int>>{{4242, SIGTERM}});
  CHECK(f.spawner.killed_trees.empty());
  CHECK(f.spawner.clock - before >= milliseconds(1'000));
  CHECK(f.spawner.clock - before < milliseconds(1'200));
  CHECK(f.saved().services.empty());
}

TEST_CASE("nstopo kills the whole tree when a supervisor itself does not end") {
  Fixture f;
  REQUIRE(f.manager.execute(start_action(web_service())));
  auto& process = f.spawner.processes.at(4242);
  process.ignores_sigterm = true;
  process.supervisor_wedged = true;  // stopped by SIGSTOP, say
  auto before = f.spawner.clock;
  REQUIRE(f.manager.execute(stop_action("ns_a", "web", 4242, 777'000, milliseconds(1'000))));
  // The supervisor had its grace period and a margin; then every process below it, deepest
  // first, and its group.
  CHECK(f.spawner.killed_trees == std::vector<int>{4242});
  CHECK(f.spawner.clock - before >= milliseconds(2'000));
  CHECK(f.spawner.clock - before < milliseconds(2'200));
  CHECK(f.spawner.signals[0] == std::pair<int, int>{4242, SIGTERM});
  CHECK(f.saved().services.empty());
}

TEST_CASE("an unsupervised record (from an older nstopo) is stopped by its group") {
  Fixture f;
  REQUIRE(f.manager.execute(start_action(web_service())));
  f.state.services.begin()->second.token.clear();
  f.spawner.processes.at(4242).ignores_sigterm = true;
  f.spawner.processes.at(4242).supervisor_grace.reset();
  auto before = f.spawner.clock;
  REQUIRE(f.manager.execute(stop_action("ns_a", "web", 4242, 777'000, milliseconds(1'000))));
  CHECK(f.spawner.signals == std::vector<std::pair<int, int>>{{4242, SIGTERM}, {4242, SIGKILL}});
  CHECK(f.spawner.killed_trees.empty());
  CHECK(f.spawner.clock - before >= milliseconds(1'000));
  CHECK(f.spawner.clock - before < milliseconds(1'200));
  CHECK(f.saved().services.empty());
}

TEST_CASE("a group that survives SIGKILL is an error and the record is kept") {
  Fixture f;
  REQUIRE(f.manager.execute(start_action(web_service())));
  auto& p = f.spawner.processes.at(4242);
  p.ignores_sigterm = true;
  p.survives_sigkill = true;
  auto stopped = f.manager.execute(stop_action("ns_a", "web", 4242, 777'000));
  REQUIRE_FALSE(stopped);
  CHECK(stopped.error().kind == ErrorKind::service);
  CHECK(stopped.error().message ==
        "processes of service ns_a/web (process group 4242) survived SIGKILL");
  CHECK(f.saved().services.count("ns_a/web") == 1);
}

TEST_CASE("a reused pid is never signalled; the record is dropped") {
  Fixture f;
  REQUIRE(f.manager.execute(start_action(web_service())));
  f.spawner.processes.at(4242).start_time = 999'999;  // another process got the pid
  REQUIRE(f.manager.execute(stop_action("ns_a", "web", 4242, 777'000)));
  CHECK(f.spawner.signals.empty());
  CHECK(f.state.services.empty());
  CHECK(f.saved().services.empty());
}

TEST_CASE("a dead service's group is not signalled; the record is dropped") {
  Fixture f;
  REQUIRE(f.manager.execute(start_action(web_service())));
  f.spawner.processes.erase(4242);
  REQUIRE(f.manager.execute(stop_action("ns_a", "web", 4242, 777'000)));
  CHECK(f.spawner.signals.empty());
  CHECK(f.saved().services.empty());
}

TEST_CASE("StopService with pid 0 stops what the state records") {
  Fixture f;
  REQUIRE(f.manager.execute(start_action(web_service())));
  REQUIRE(f.manager.execute(stop_action("ns_a", "web", 0, 0)));
  CHECK(f.spawner.signals == std::vector<std::pair<int, int>>{{4242, SIGTERM}});
  CHECK(f.saved().services.empty());

  SUBCASE("and does nothing when nothing is recorded") {
    REQUIRE(f.manager.execute(stop_action("ns_a", "web", 0, 0)));
    CHECK(f.spawner.signals.size() == 1);
  }
}

TEST_CASE("a start while the recorded process still runs is refused") {
  Fixture f;
  REQUIRE(f.manager.execute(start_action(web_service())));
  auto again = f.manager.execute(start_action(web_service()));
  REQUIRE_FALSE(again);
  CHECK(again.error().message == "service ns_a/web is already running as pid 4242; it must be stopped first");
  CHECK(f.spawner.started.size() == 1);

  SUBCASE("but a dead one is simply replaced") {
    f.spawner.processes.at(4242).state = ProcessStatus::State::exited;
    REQUIRE(f.manager.execute(start_action(web_service())));
    CHECK(f.saved().services.at("ns_a/web").pid == 4243);
  }
}

TEST_CASE("a start waits for tentative IPv6 addresses to settle") {
  Fixture f;
  f.spawner.tentative = {{"fd00::1 on eth0"}, {"fd00::1 on eth0"}, {}};
  REQUIRE(f.manager.execute(start_action(web_service())));
  CHECK(f.spawner.tentative_checks == 3);
  CHECK(f.spawner.started.size() == 1);
}

TEST_CASE("addresses still tentative after the wait stop the start") {
  Fixture f;
  f.spawner.tentative = {{"fd00::1 on eth0", "fe80::1 on eth0"}};
  auto started = f.manager.execute(start_action(web_service()));
  REQUIRE_FALSE(started);
  CHECK(started.error().kind == ErrorKind::service);
  CHECK(started.error().message ==
        "service ns_a/web not started: IPv6 addresses of namespace ns_a still tentative after 3s "
        "(duplicate address detection): fd00::1 on eth0, fe80::1 on eth0");
  CHECK(f.spawner.started.empty());
  CHECK(f.spawner.slept() >= milliseconds(3'000));
}

TEST_CASE("observe reports each record with whether it still runs") {
  Fixture f;
  auto s = web_service();
  REQUIRE(f.manager.execute(start_action(s)));
  auto other = s;
  other.name = "dns";
  REQUIRE(f.manager.execute(start_action(other, "ns_b")));
  f.spawner.processes.at(4243).start_time = 1;  // ns_b/dns: its pid was reused

  auto observed = f.manager.observe();
  REQUIRE(observed.size() == 2);
  CHECK(observed[0].ns == "ns_a");
  CHECK(observed[0].name == "web");
  CHECK(observed[0].pid == 4242);
  CHECK(observed[0].start_time == 777'000);
  CHECK(observed[0].spec_hash == s.spec_hash());
  CHECK(observed[0].running);
  CHECK(observed[1].ns == "ns_b");
  CHECK_FALSE(observed[1].running);
}

TEST_CASE("a non-service action is an internal error") {
  Fixture f;
  auto done = f.manager.execute({model::CreateNamespace{"ns_a"}, model::Reason::missing()});
  REQUIRE_FALSE(done);
  CHECK(done.error().kind == ErrorKind::internal);
}

TEST_CASE("the log goes under the lab's state directory, private, appended across starts") {
  Fixture f;
  f.spawner.output_on_start = "first\n";
  REQUIRE(f.manager.execute(start_action(web_service())));
  REQUIRE(f.manager.execute(stop_action("ns_a", "web", 0, 0)));
  f.spawner.output_on_start = "second\n";
  REQUIRE(f.manager.execute(start_action(web_service())));
  CHECK(testing::read_text(f.log_path()) == "first\nsecond\n");
  CHECK((std::filesystem::status(f.log_path()).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("a record naming pid 1 or a process of another namespace is never signalled") {
  Fixture f;
  REQUIRE(f.manager.execute(start_action(web_service())));
  SUBCASE("pid 1: signalling its group would reach every process") {
    f.spawner.processes[1] = {777'000};
    f.state.services.at("ns_a/web").pid = 1;
    CHECK_FALSE(f.manager.observe().front().running);
    REQUIRE(f.manager.execute(stop_action("ns_a", "web", 1, 777'000)));
  }
  SUBCASE("a process with the recorded start time, in another namespace") {
    f.spawner.netns_inodes[4242] = 4026531840;  // the host's, say
    CHECK_FALSE(f.manager.observe().front().running);
    REQUIRE(f.manager.execute(stop_action("ns_a", "web", 4242, 777'000)));
  }
  SUBCASE("nstopo itself") {
    int self = ::getpid();
    f.spawner.processes[self] = {777'000};
    REQUIRE(f.manager.execute(stop_action("ns_a", "web", self, 777'000)));
  }
  CHECK(f.spawner.signals.empty());
}

TEST_CASE("the record keeps the stop grace, the spec and the namespace of a started service") {
  Fixture f;
  auto s = web_service();
  REQUIRE(f.manager.execute(start_action(s)));
  auto record = f.saved().services.at("ns_a/web");
  CHECK(record.stop_grace == milliseconds(500));
  REQUIRE(record.spec);
  CHECK(record.spec->spec_hash() == s.spec_hash());
  CHECK(record.netns_inode == FakeSpawner::kLabNamespaceInode);
  auto observed = f.manager.observe().front();
  CHECK(observed.stop_grace == milliseconds(500));
  CHECK(observed.spec->command == s.command);
}

TEST_CASE("stops of a run go out side by side: two stubborn services take one grace period") {
  Fixture f;
  auto a = web_service();
  auto b = web_service();
  b.name = "api";
  REQUIRE(f.manager.execute(start_action(a)));
  REQUIRE(f.manager.execute(start_action(b)));
  f.spawner.processes.at(4242).ignores_sigterm = true;
  f.spawner.processes.at(4243).ignores_sigterm = true;
  f.spawner.processes.at(4242).supervisor_grace = milliseconds(1'000);
  f.spawner.processes.at(4243).supervisor_grace = milliseconds(1'000);
  std::vector<model::Action> stops{stop_action("ns_a", "web", 4242, 777'000, milliseconds(1'000)),
                                   stop_action("ns_a", "api", 4243, 777'001, milliseconds(1'000))};
  auto before = f.spawner.clock;
  f.manager.start_independent(stops);
  CHECK(f.manager.collect_started(0).result);
  CHECK(f.manager.collect_started(1).result);
  CHECK(f.spawner.clock - before >= milliseconds(1'000));
  CHECK(f.spawner.clock - before < milliseconds(1'200));  // one after the other: 2 s
  CHECK(f.spawner.signals == std::vector<std::pair<int, int>>{{4242, SIGTERM}, {4243, SIGTERM}});
  CHECK(f.saved().services.empty());
}

TEST_CASE("each stop of a run keeps its own grace period") {
  Fixture f;
  auto a = web_service();
  auto b = web_service();
  b.name = "api";
  REQUIRE(f.manager.execute(start_action(a)));
  REQUIRE(f.manager.execute(start_action(b)));
  f.spawner.processes.at(4242).ignores_sigterm = true;
  f.spawner.processes.at(4243).ignores_sigterm = true;
  f.spawner.processes.at(4242).supervisor_grace = milliseconds(300);
  f.spawner.processes.at(4243).supervisor_grace = milliseconds(3'000);
  std::vector<model::Action> stops{stop_action("ns_a", "web", 4242, 777'000, milliseconds(300)),
                                   stop_action("ns_a", "api", 4243, 777'001, milliseconds(3'000))};
  auto before = f.spawner.clock;
  f.manager.start_independent(stops);
  (void)f.manager.collect_started(0);
  (void)f.manager.collect_started(1);
  CHECK(f.spawner.clock - before >= milliseconds(3'000));
  CHECK(f.spawner.clock - before < milliseconds(3'200));
  // web's supervisor killed it after its 300 ms, api's only after its 3 s.
  CHECK(*f.spawner.processes.at(4242).ends_at - before == milliseconds(300));
  CHECK(*f.spawner.processes.at(4243).ends_at - before == milliseconds(3'000));
  CHECK(f.spawner.signals == std::vector<std::pair<int, int>>{{4242, SIGTERM}, {4243, SIGTERM}});
  CHECK(f.spawner.killed_trees.empty());
}

TEST_CASE("the intent is recorded, with the supervisor's token, before anything is forked") {
  Fixture f;
  std::optional<state::ServiceRecord> at_fork;
  std::string token;
  f.spawner.before_start = [&](const SupervisedStart& how) {
    token = how.token;
    at_fork = f.saved().services.at("ns_a/web");
  };
  REQUIRE(f.manager.execute(start_action(web_service())));
  REQUIRE(at_fork);
  CHECK(at_fork->pid == 0);
  CHECK(at_fork->token == token);
  CHECK(token.size() == 32);
  CHECK(f.spawner.supervised[0].grace == web_service().stop_grace);
  CHECK(f.spawner.supervised[0].log_path == f.log_path());
  auto record = f.saved().services.at("ns_a/web");
  CHECK(record.pid == 4242);
  CHECK(record.token == token);  // the same supervisor, now with its pid
}

TEST_CASE("a failed start leaves no intent behind") {
  Fixture f;
  f.spawner.start_error = Error{ErrorKind::service, "command 'x' not found", "ns_a/web", ENOENT};
  REQUIRE_FALSE(f.manager.execute(start_action(web_service())));
  CHECK(f.state.services.empty());
  CHECK(f.saved().services.empty());
}

// A run killed between the fork and the record of the pid: the record holds the token only.
Fixture& killed_before_the_pid_was_recorded(Fixture& f) {
  state::ServiceRecord intent{"ns_a", "web", 0, 0, web_service().spec_hash()};
  intent.token = "0123456789abcdef0123456789abcdef";
  intent.netns_inode = FakeSpawner::kLabNamespaceInode;
  intent.stop_grace = milliseconds(500);
  intent.spec = web_service();
  f.state.services["ns_a/web"] = intent;
  f.spawner.processes[5000] = testing::FakeProcess{123'456};
  f.spawner.supervisors[intent.token] = StartedProcess{5000, 123'456};
  return f;
}

TEST_CASE("a supervisor whose pid was never recorded is found by its token and adopted") {
  Fixture f;
  killed_before_the_pid_was_recorded(f);
  auto observed = f.manager.observe();
  REQUIRE(observed.size() == 1);
  CHECK(observed[0].running);  // not started a second time
  CHECK(observed[0].pid == 5000);
  CHECK(f.state.services.at("ns_a/web").start_time == 123'456);
  // ... and it is stopped like any other.
  REQUIRE(f.manager.execute(stop_action("ns_a", "web", 5000, 123'456)));
  CHECK(f.spawner.signals == std::vector<std::pair<int, int>>{{5000, SIGTERM}});
  CHECK(f.saved().services.empty());
}

TEST_CASE("a token found on a process in another namespace is not adopted") {
  Fixture f;
  killed_before_the_pid_was_recorded(f);
  f.spawner.netns_inodes[5000] = 4026532777;  // someone copied the token onto their process
  auto observed = f.manager.observe();
  REQUIRE(observed.size() == 1);
  CHECK_FALSE(observed[0].running);
  CHECK(f.state.services.at("ns_a/web").pid == 0);
  REQUIRE(f.manager.execute(stop_action("ns_a", "web", 0, 0)));
  CHECK(f.spawner.signals.empty());
}

TEST_CASE("an intent whose supervisor never started is a service not running") {
  Fixture f;
  killed_before_the_pid_was_recorded(f);
  f.spawner.supervisors.clear();
  f.spawner.processes.clear();
  auto observed = f.manager.observe();
  REQUIRE(observed.size() == 1);
  CHECK_FALSE(observed[0].running);
}

}  // namespace
}  // namespace nstopo::services
