// `nstopo exec` and the `ip netns exec` environment (sysfs, /etc/netns) in real namespaces.
#include <doctest/doctest.h>
#include <sys/mount.h>

#include <filesystem>

#include "sandbox_support.h"
#include "services/exec.h"
#include "services/service_manager.h"

namespace nstopo::services {
namespace {

using std::chrono::milliseconds;
using namespace testing;

TEST_CASE("exec passes the command's exit code through") {
  TestNamespace ns("ns_exec");
  REQUIRE(ns.ok());
  auto code = exec_in_namespace(kNetnsDir, ns.name(), {"sh", "-c", "exit 7"});
  REQUIRE_OK(code);
  CHECK(*code == 7);
  CHECK(exec_in_namespace(kNetnsDir, ns.name(), {"true"}).value() == 0);
  CHECK(exec_in_namespace(kNetnsDir, ns.name(), {"sh", "-c", "kill -KILL $$"}).value() == 128 + 9);
}

TEST_CASE("exec sees only the namespace's interfaces, in /sys and over netlink") {
  TestNamespace ns("ns_sysfs");
  REQUIRE(ns.ok());
  REQUIRE(run("ip link add sandbox_only type veth peer name sandbox_peer") == 0);
  REQUIRE(run(fmt::format("ip -n {} link add inside0 type veth peer name inside1", ns.name())) == 0);
  std::string mounts_before = read_text("/proc/self/mountinfo");
  auto code = exec_in_namespace(kNetnsDir, ns.name(),
                                {"sh", "-c", "ls /sys/class/net > /run/exec-sysfs.txt && "
                                             "ip -o link show | cut -d' ' -f2 > /run/exec-links.txt"});
  REQUIRE_OK(code);
  CHECK(*code == 0);
  CHECK(read_text("/run/exec-sysfs.txt") == "inside0\ninside1\nlo\n");
  CHECK(read_text("/run/exec-links.txt") == "lo:\ninside1@inside0:\ninside0@inside1:\n");
  // The child's mounts stayed in its own mount namespace.
  CHECK(read_text("/proc/self/mountinfo") == mounts_before);
  run("ip link del sandbox_only");
}

TEST_CASE("exec inherits nstopo's environment and working directory") {
  TestNamespace ns("ns_env");
  REQUIRE(ns.ok());
  ::setenv("NSTOPO_EXEC_PROBE", "inherited", 1);
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path("/run");
  auto code = exec_in_namespace(kNetnsDir, ns.name(),
                                {"sh", "-c", "test \"$NSTOPO_EXEC_PROBE\" = inherited && test \"$PWD\" = /run"});
  std::filesystem::current_path(cwd);
  ::unsetenv("NSTOPO_EXEC_PROBE");
  REQUIRE_OK(code);
  CHECK(*code == 0);
}

TEST_CASE("exec fails clearly for a missing command or namespace") {
  TestNamespace ns("ns_fail");
  REQUIRE(ns.ok());
  auto missing = exec_in_namespace(kNetnsDir, ns.name(), {"no-such-command-here"});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().describe() ==
        "failed to start 'no-such-command-here' in namespace ns_fail: command "
        "'no-such-command-here' not found: No such file or directory (ENOENT)");
  auto nowhere = exec_in_namespace(kNetnsDir, "ns_nowhere", {"true"});
  REQUIRE_FALSE(nowhere);
  CHECK(nowhere.error().describe() ==
        "cannot open namespace ns_nowhere (/run/netns/ns_nowhere): No such file or directory (ENOENT)");
  CHECK_FALSE(exec_in_namespace(kNetnsDir, ns.name(), {}));
}

// /etc/netns/NS/ lives on the real /etc: give the sandbox a writable overlay of /etc (upper
// layer on the sandbox's /run tmpfs), so that nothing outside the sandbox is ever written.
class EtcOverlay {
 public:
  EtcOverlay() {
    std::filesystem::create_directories("/run/etc-overlay/upper");
    std::filesystem::create_directories("/run/etc-overlay/work");
    mounted_ = ::mount("overlay", "/etc", "overlay", 0,
                       "lowerdir=/etc,upperdir=/run/etc-overlay/upper,workdir=/run/etc-overlay/work") == 0;
  }
  EtcOverlay(const EtcOverlay&) = delete;
  EtcOverlay& operator=(const EtcOverlay&) = delete;
  ~EtcOverlay() {
    if (mounted_) ::umount2("/etc", MNT_DETACH);
  }
  bool mounted() const { return mounted_; }

 private:
  bool mounted_ = false;
};

TEST_CASE("files of /etc/netns/NS/ are bound over /etc for services and exec") {
  EtcOverlay overlay;
  if (!overlay.mounted()) {
    MESSAGE("SKIPPED: cannot mount an overlay on /etc in the sandbox");
    return;
  }
  TestNamespace ns("ns_etc");
  REQUIRE(ns.ok());
  std::filesystem::create_directories("/etc/netns/ns_etc");
  write_text("/etc/netns/ns_etc/hosts", "10.0.0.11 rifky.lab\n");
  std::string host_hosts = read_text("/etc/hosts");

  auto code = exec_in_namespace(kNetnsDir, ns.name(), {"sh", "-c", "cat /etc/hosts > /run/exec-hosts.txt"});
  REQUIRE_OK(code);
  CHECK(read_text("/run/exec-hosts.txt") == "10.0.0.11 rifky.lab\n");

  state::StateStore store{kStateDir};
  state::LabState state{.lab = "etc"};
  RecordingSpawner spawner;
  ServiceManager manager(ServiceOptions{.netns_dir = kNetnsDir}, store, state, spawner);
  model::Service cat;
  cat.name = "hosts";
  cat.command = {kPython, "-c", "import time\nprint(open('/etc/hosts').read(), end='', flush=True)\ntime.sleep(300)\n"};
  auto started = manager.execute({model::StartService{ns.name(), cat}, model::Reason::missing()});
  REQUIRE_OK(started);
  std::string log = store.log_path("etc", ns.name(), "hosts");
  CHECK(eventually([&] { return read_text(log) == "10.0.0.11 rifky.lab\n"; }));
  REQUIRE(manager.execute({model::StopService{ns.name(), "hosts", 0, 0}, model::Reason::not_declared()}));

  CHECK(read_text("/etc/hosts") == host_hosts);  // nstopo's own /etc is untouched

  SUBCASE("a file that cannot be bound stops the start, naming it") {
    write_text("/etc/netns/ns_etc/not-in-etc", "x\n");
    auto refused = exec_in_namespace(kNetnsDir, ns.name(), {"true"});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message ==
          "failed to start 'true' in namespace ns_etc: cannot bind /etc/netns/ns_etc/not-in-etc "
          "over /etc/not-in-etc for namespace ns_etc");
  }
}

}  // namespace
}  // namespace nstopo::services
