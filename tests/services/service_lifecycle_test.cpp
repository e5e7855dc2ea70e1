// Services started, probed and stopped in real namespaces (inside the sandbox).
#include <doctest/doctest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <filesystem>

#include <fmt/ranges.h>

#include "kernel/netns/netns_exec.h"
#include "lab_fixture.h"
#include "sandbox_support.h"
#include "services/logs.h"
#include "services/readiness.h"
#include "services/service_manager.h"

namespace nstopo::services {
namespace {

using std::chrono::milliseconds;
using namespace testing;

// GET / over HTTP/1.0 from inside namespace `ns`; the whole response.
std::string http_get(const std::string& ns, uint16_t port) {
  auto socket = kernel::socket_in_namespace(kNetnsDir, ns, AF_INET, SOCK_STREAM);
  REQUIRE(socket);
  timeval five_seconds{5, 0};
  ::setsockopt(socket->get(), SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(socket->get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  std::string request = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n";
  REQUIRE(::write(socket->get(), request.data(), request.size()) ==
          static_cast<ssize_t>(request.size()));
  std::string response;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(socket->get(), buf, sizeof buf)) > 0) response.append(buf, static_cast<size_t>(n));
  return response;
}

ino_t inode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_ino;
}

TEST_CASE("an http server starts in its namespace, answers there, and stops without a trace") {
  Lab lab("http");
  auto web = service("web", {kPython, "-m", "http.server", "4000"});
  web.ready = {model::ReadyProbe::Kind::tcp, 4000, {}, milliseconds(10'000)};
  auto started = lab.start(web);
  REQUIRE_OK(started);
  REQUIRE(lab.ready_after.size() == 1);
  MESSAGE("http.server ready after " << lab.ready_after[0].count() << " ms");

  const auto& record = lab.record("web");
  ProcessId server{record.pid, record.start_time};
  CHECK(record.spec_hash == web.spec_hash());
  CHECK(alive(server));
  CHECK(lab.store.load(lab.state.lab)->services.at("ns_http/web").pid == server.pid);

  // The recorded process is the service's supervisor, in the namespace, in a session of its
  // own, detached from the terminal; the server is its child, in the same namespace.
  CHECK(inode_of(fmt::format("/proc/{}/ns/net", server.pid)) == inode_of("/run/netns/ns_http"));
  auto stat = read_proc_stat(server.pid);
  REQUIRE(stat);
  CHECK(stat->session == server.pid);
  CHECK(stat->pgrp == server.pid);
  CHECK(std::filesystem::read_symlink(fmt::format("/proc/{}/cwd", server.pid)) == "/");
  CHECK(std::filesystem::read_symlink(fmt::format("/proc/{}/fd/0", server.pid)) == "/dev/null");
  auto command = command_of(server.pid);
  REQUIRE(command);
  CHECK(inode_of(fmt::format("/proc/{}/ns/net", *command)) == inode_of("/run/netns/ns_http"));
  CHECK(std::filesystem::read_symlink(fmt::format("/proc/{}/fd/0", *command)) == "/dev/null");
  // Its output goes through a pipe to the supervisor, which writes the log (and caps it).
  auto output = std::filesystem::read_symlink(fmt::format("/proc/{}/fd/1", *command)).string();
  CHECK(output.starts_with("pipe:"));
  CHECK(std::filesystem::read_symlink(fmt::format("/proc/{}/fd/2", *command)) == output);
  // Nothing of nstopo leaked into the server: besides 0, 1, 2 only its own socket(s).
  for (auto& entry : std::filesystem::directory_iterator(fmt::format("/proc/{}/fd", *command))) {
    std::string fd = entry.path().filename().string();
    std::string target = std::filesystem::read_symlink(entry.path()).string();
    if (fd != "0" && fd != "1" && fd != "2")
      CHECK_MESSAGE(target.starts_with("socket:"), "fd " << fd << " -> " << target);
  }
  // ... nor into the supervisor: its signalfd, the log and the read end of that pipe.
  std::set<std::string> supervisor_fds;
  for (auto& entry : std::filesystem::directory_iterator(fmt::format("/proc/{}/fd", server.pid)))
    if (auto fd = entry.path().filename().string(); fd != "0" && fd != "1" && fd != "2")
      supervisor_fds.insert(std::filesystem::read_symlink(entry.path()).string());
  CHECK(supervisor_fds == std::set<std::string>{"anon_inode:[signalfd]", lab.log_path("web"), output});

  std::string response = http_get(lab.ns.name(), 4000);
  CHECK(response.starts_with("HTTP/1.0 200 OK"));
  CHECK(response.find("Directory listing for /") != std::string::npos);
  // ... and only there: the sandbox's own loopback has nothing on port 4000.
  const auto loopback = *model::IpAddress::parse("127.0.0.1");
  CHECK_FALSE(tcp_port_accepting(kNetnsDir, std::string(model::kHostNamespace), loopback, 4000,
                                 milliseconds(200)));
  CHECK(probe_ready_once(kNetnsDir, lab.ns.name(), web, server.pid));

  // The request went to the log, which is private.
  CHECK(eventually([&] { return read_text(lab.log_path("web")).find("\"GET / HTTP/1.0\" 200") != std::string::npos; }));
  struct stat log_stat {};
  REQUIRE(::stat(lab.log_path("web").c_str(), &log_stat) == 0);
  CHECK((log_stat.st_mode & 07777) == 0600);

  auto observed = lab.manager.observe();
  REQUIRE(observed.size() == 1);
  CHECK(observed[0].running);
  CHECK(observed[0].pid == server.pid);

  auto tree = live_process_tree(server.pid);
  REQUIRE(lab.stop("web"));
  for (const auto& p : tree) CHECK_MESSAGE(!alive(p), "pid " << p.pid << " survived");
  CHECK_FALSE(read_proc_stat(server.pid));  // not even a zombie: reaped
  CHECK(lab.state.services.empty());
  CHECK(lab.store.load(lab.state.lab)->services.empty());
  CHECK_FALSE(probe_ready_once(kNetnsDir, lab.ns.name(), web, server.pid));
}

TEST_CASE("stop ends the service's children too") {
  Lab lab("children");
  auto parent = python("parent",
                       "import subprocess, time\n"
                       "for _ in range(3): subprocess.Popen(['sleep', '300'])\n"
                       "open('/run/children-started', 'w').close()\n"
                       "time.sleep(300)\n");
  parent.ready = {model::ReadyProbe::Kind::exec, 0, {"test", "-e", "/run/children-started"},
                  milliseconds(10'000)};
  auto started = lab.start(parent);
  REQUIRE_OK(started);
  int pid = lab.record("parent").pid;
  auto tree = live_process_tree(pid);
  CHECK(tree.size() == 5);  // the supervisor, the python script and its three children
  REQUIRE(lab.stop("parent"));
  for (const auto& p : tree) CHECK_MESSAGE(eventually([&] { return !alive(p); }), "pid " << p.pid << " survived");
}

TEST_CASE("a service deaf to SIGTERM is killed after its grace period") {
  Lab lab("deaf");
  auto deaf = python("deaf",
                     "import signal, time\n"
                     "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                     "open('/run/deaf-armed', 'w').close()\n"
                     "time.sleep(300)\n");
  deaf.ready = {model::ReadyProbe::Kind::exec, 0, {"test", "-e", "/run/deaf-armed"}, milliseconds(10'000)};
  auto started = lab.start(deaf);
  REQUIRE_OK(started);
  ProcessId p{lab.record("deaf").pid, lab.record("deaf").start_time};
  auto begin = std::chrono::steady_clock::now();
  REQUIRE(lab.stop("deaf", milliseconds(400)));
  auto took = std::chrono::steady_clock::now() - begin;
  CHECK(took >= milliseconds(400));
  CHECK(took < milliseconds(2'000));
  CHECK_FALSE(alive(p));
}

TEST_CASE("a service that exits at once fails with its exit status and log tail") {
  Lab lab("quick");
  auto quick = python("quick", "import sys\nprint('cannot bind: boom', flush=True)\nsys.exit(3)\n");
  quick.ready = {model::ReadyProbe::Kind::tcp, 4000, {}, milliseconds(10'000)};
  auto begin = std::chrono::steady_clock::now();
  auto started = lab.start(quick);
  REQUIRE_FALSE(started);
  CHECK(std::chrono::steady_clock::now() - begin < milliseconds(5'000));  // not the timeout
  CHECK(started.error().kind == ErrorKind::service);
  CHECK(started.error().describe() ==
        fmt::format("service ns_quick/quick exited with status 3 before it was ready\n"
                    "last lines of {}:\n  cannot bind: boom\n"
                    "  nstopo: service ns_quick/quick exited with status 3",
                    lab.log_path("quick")));
  CHECK(lab.state.services.empty());
  REQUIRE(lab.spawner.started.size() == 1);
  CHECK_FALSE(read_proc_stat(lab.spawner.started[0].pid));  // reaped, no zombie
}

TEST_CASE("a service never ready fails after its timeout and leaves no process") {
  Lab lab("slow");
  auto slow = python("slow",
                     "import subprocess, time\n"
                     "subprocess.Popen(['sleep', '300'])\n"
                     "print('still warming up', flush=True)\n"
                     "time.sleep(300)\n");
  slow.ready = {model::ReadyProbe::Kind::tcp, 4999, {}, milliseconds(700)};
  auto begin = std::chrono::steady_clock::now();
  std::set<ProcessId> tree;
  lab.spawner.started.clear();
  auto started = lab.start(slow);
  auto took = std::chrono::steady_clock::now() - begin;
  REQUIRE_FALSE(started);
  CHECK(took >= milliseconds(700));
  CHECK(took < milliseconds(6'000));
  CHECK(started.error().message ==
        "service ns_slow/slow not ready after 700ms (tcp port 4999 not accepting on 127.0.0.1 "
        "or ::1 in the service's own processes)");
  CHECK(started.error().describe().find("  still warming up") != std::string::npos);
  REQUIRE(lab.spawner.started.size() == 1);
  CHECK_FALSE(alive(lab.spawner.started[0]));
  // Its child was in its process group: gone too (no `sleep 300` is left in the sandbox).
  CHECK(eventually([] { return run("pgrep -x sleep >/dev/null") != 0; }));
  CHECK(lab.state.services.empty());
}

TEST_CASE("an exec probe that hangs is killed with its own children, and counts as not ready") {
  Lab lab("hungprobe");
  auto server = service("idle", {"sleep", "301"});
  server.ready = {model::ReadyProbe::Kind::exec, 0, {"sh", "-c", "sleep 302 & sleep 303"},
                  milliseconds(600)};
  auto started = lab.start(server);
  REQUIRE_FALSE(started);
  CHECK(started.error().message ==
        "service ns_hungprobe/idle not ready after 600ms (exec probe 'sh -c sleep 302 & sleep 303' "
        "did not exit 0)");
  CHECK(eventually([] { return run("pgrep -x sleep >/dev/null") != 0; }));
}

TEST_CASE("a command that does not exist is a clear error") {
  Lab lab("missing");
  auto started = lab.start(service("ghost", {"no-such-command-here", "--flag"}));
  REQUIRE_FALSE(started);
  CHECK(started.error().kind == ErrorKind::service);
  CHECK(started.error().describe() ==
        "failed to start service ns_missing/ghost: command 'no-such-command-here' not found: "
        "No such file or directory (ENOENT)");
  CHECK(lab.state.services.empty());

  SUBCASE("and so is a working directory that does not exist") {
    auto s = service("lost", {"sleep", "300"});
    s.cwd = "/no/such/dir";
    auto lost = lab.start(s);
    REQUIRE_FALSE(lost);
    CHECK(lost.error().describe() ==
          "failed to start service ns_missing/lost: cannot change directory to /no/such/dir: "
          "No such file or directory (ENOENT)");
  }
  SUBCASE("and a namespace that does not exist") {
    auto ghost = lab.manager.execute(
        {model::StartService{"ns_nowhere", service("x", {"sleep", "300"})}, model::Reason::missing()});
    REQUIRE_FALSE(ghost);
    CHECK(ghost.error().error_number == ENOENT);
    CHECK(ghost.error().message.find("ns_nowhere") != std::string::npos);
  }
}

TEST_CASE("a service runs as its user, with its env and cwd, in a clean environment") {
  Lab lab("user");
  auto who = python("who",
                    "import os, time\n"
                    "print(os.getuid(), os.geteuid(), os.getgid(), os.getgroups(), os.getcwd(), flush=True)\n"
                    "print(sorted(os.environ.items()), flush=True)\n"
                    "time.sleep(300)\n");
  who.user = "nobody";
  who.cwd = "/tmp";
  who.env = {{"GREETING", "hello"}};
  ::setenv("NSTOPO_TEST_SECRET", "must not leak", 1);
  auto started = lab.start(who);
  ::unsetenv("NSTOPO_TEST_SECRET");
  REQUIRE_OK(started);
  REQUIRE(eventually([&] { return read_text(lab.log_path("who")).find("\n[") != std::string::npos; }));
  std::string log = read_text(lab.log_path("who"));
  CHECK(log.starts_with("65534 65534 65534 [65534] /tmp\n"));  // initgroups' list
  CHECK(log.find("('GREETING', 'hello')") != std::string::npos);
  CHECK(log.find("('USER', 'nobody')") != std::string::npos);
  CHECK(log.find("('HOME', '/nonexistent')") != std::string::npos);
  CHECK(log.find("NSTOPO_TEST_SECRET") == std::string::npos);
  CHECK(log.find("NSTOPO_IN_SANDBOX") == std::string::npos);
  REQUIRE(lab.stop("who"));
}

TEST_CASE("a symlink planted at the log path stops the start") {
  Lab lab("planted");
  std::string path = lab.log_path("web");
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  write_text("/run/precious", "precious\n");
  std::filesystem::create_symlink("/run/precious", path);
  auto started = lab.start(service("web", {"sleep", "300"}));
  REQUIRE_FALSE(started);
  CHECK(started.error().kind == ErrorKind::conflict);
  CHECK(lab.spawner.started.empty());
  CHECK(read_text("/run/precious") == "precious\n");
}

TEST_CASE("a service waits for duplicate address detection to finish") {
  Lab lab("dad");
  std::string ns = lab.ns.name();
  REQUIRE(run(fmt::format("ip -n {0} link add v0 type veth peer name v1 && "
                          "ip -n {0} link set v0 up && ip -n {0} link set v1 up && "
                          "ip -n {0} addr add fd00::1/64 dev v0",
                          ns)) == 0);
  auto tentative = kernel::tentative_ipv6_addresses(kNetnsDir, ns);
  REQUIRE(tentative);
  std::string listed = fmt::format("{}", fmt::join(*tentative, ", "));
  CHECK_MESSAGE(listed.find("fd00::1 on v0") != std::string::npos, listed);
  auto begin = std::chrono::steady_clock::now();
  auto started = lab.start(service("after-dad", {"sleep", "300"}));
  REQUIRE_OK(started);
  MESSAGE("waited " << std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - begin).count()
                    << " ms for DAD");
  REQUIRE(lab.spawner.tentative_at_start.size() == 1);
  CHECK(lab.spawner.tentative_at_start[0].empty());
  REQUIRE(lab.stop("after-dad"));
}

}  // namespace
TEST_CASE("a service whose main thread exited while other threads run is still running") {
  // python's http.server answers each request in a thread; when its main thread is gone first,
  // /proc shows the process as a zombie while the other threads still hold its sockets.
  Lab lab("threads");
  auto threads = python("threads",
                        "import ctypes, threading, time\n"
                        "threading.Thread(target=time.sleep, args=(60,)).start()\n"
                        "ctypes.CDLL(None).syscall(60, 0)  # SYS_exit: this thread only\n");
  REQUIRE_OK(lab.start(threads));
  auto command = command_of(lab.record("threads").pid);
  REQUIRE(command);
  int pid = *command;
  // The leader reads 'Z' at once; the process is alive as long as its sleeping thread is.
  CHECK(eventually([&] {
    auto text = read_text(fmt::format("/proc/{}/stat", pid));
    return text.find(") Z ") != std::string::npos;
  }));
  auto observed = lab.manager.observe();
  REQUIRE(observed.size() == 1);
  CHECK(observed[0].running);
  REQUIRE_OK(lab.stop("threads"));
  CHECK_FALSE(read_proc_stat(pid));  // every thread ended, and reaped
}

TEST_CASE("a service that daemonizes is still the lab's: observed, stopped, nothing escapes") {
  Lab lab("daemon");
  // The classic double fork: the command exits 0 at once, its grandchild runs on in a
  // session of its own (what a daemonizing server does).
  auto daemon = python("daemon",
                       "import os, time\n"
                       "if os.fork(): os._exit(0)\n"
                       "os.setsid()\n"
                       "if os.fork(): os._exit(0)\n"
                       "open('/run/daemon-up', 'w').close()\n"
                       "time.sleep(300)\n");
  daemon.ready = {model::ReadyProbe::Kind::exec, 0, {"test", "-e", "/run/daemon-up"}, milliseconds(10'000)};
  REQUIRE_OK(lab.start(daemon));
  int supervisor = lab.record("daemon").pid;
  // The daemon was adopted by its supervisor (a child subreaper), not by init.
  std::set<ProcessId> tree;
  CHECK(eventually([&] {
    tree = live_process_tree(supervisor);
    return tree.size() == 2;  // the supervisor and the daemon; the two forks are gone
  }));
  auto observed = lab.manager.observe();
  REQUIRE(observed.size() == 1);
  CHECK(observed[0].running);  // not started again by the next apply
  // How many it names depends on whether the first fork had exited yet when the command did
  // (1 on an idle machine, 2 under load): the note itself is what matters.
  CHECK(eventually([&] {
    auto log = read_text(lab.log_path("daemon"));
    auto note = log.find("nstopo: service ns_daemon/daemon exited with status 0; ");
    return note != std::string::npos &&
           log.find(" the service running", note) != std::string::npos;
  }));

  REQUIRE_OK(lab.stop("daemon"));
  for (const auto& p : tree) CHECK_MESSAGE(!alive(p), "pid " << p.pid << " escaped");
  CHECK(lab.state.services.empty());
}

TEST_CASE("a supervisor killed by SIGTERM stops its service's whole tree within the grace period") {
  Lab lab("sigterm");
  auto deaf = python("deaf",
                     "import signal, subprocess, time\n"
                     "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                     "subprocess.Popen(['setsid', 'sleep', '300'])\n"
                     "open('/run/sigterm-armed', 'w').close()\n"
                     "time.sleep(300)\n");
  deaf.stop_grace = milliseconds(300);
  deaf.ready = {model::ReadyProbe::Kind::exec, 0, {"test", "-e", "/run/sigterm-armed"}, milliseconds(10'000)};
  REQUIRE_OK(lab.start(deaf));
  int supervisor = lab.record("deaf").pid;
  std::set<ProcessId> tree;
  CHECK(eventually([&] { return (tree = live_process_tree(supervisor)).size() == 3; }));
  auto begin = std::chrono::steady_clock::now();
  REQUIRE(::kill(supervisor, SIGTERM) == 0);  // as anyone would: `kill PID` from ps
  for (const auto& p : tree) CHECK_MESSAGE(eventually([&] { return !alive(p); }), "pid " << p.pid << " survived");
  auto took = std::chrono::steady_clock::now() - begin;
  CHECK(took >= milliseconds(300));
  CHECK(took < milliseconds(2'000));
  CHECK(read_text(lab.log_path("deaf")).find("still running after 300ms: SIGKILL") != std::string::npos);
  REQUIRE_OK(lab.stop("deaf"));
}

TEST_CASE("a chatty service's log is capped while it runs") {
  constexpr uint64_t cap = 64 * 1024;
  Lab lab("chatty", cap);
  // About 4 MiB of output, far past the cap, then it waits.
  auto chatty = python("chatty",
                       "import sys, time\n"
                       "line = 'x' * 99 + '\\n'\n"
                       "for i in range(40000): sys.stdout.write(line)\n"
                       "sys.stdout.write('last line\\n'); sys.stdout.flush()\n"
                       "open('/run/chatty-done', 'w').close()\n"
                       "time.sleep(300)\n");
  chatty.ready = {model::ReadyProbe::Kind::exec, 0, {"test", "-e", "/run/chatty-done"}, milliseconds(10'000)};
  REQUIRE_OK(lab.start(chatty));
  std::string log = lab.log_path("chatty");
  CHECK(eventually([&] { return read_text(log).find("last line") != std::string::npos; }));
  CHECK(std::filesystem::file_size(log) <= cap);
  REQUIRE(std::filesystem::exists(log + ".1"));
  CHECK(std::filesystem::file_size(log + ".1") <= cap);
  CHECK(std::filesystem::file_size(log + ".1") == cap);  // filled to the cap, then rotated
  REQUIRE_OK(lab.stop("chatty"));
}

}  // namespace nstopo::services
