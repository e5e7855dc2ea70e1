// The lab record and its lock: a lock that holds across a destroy that removes it, records
// that nobody but root could have written, in the format of version 2 (and version 1 read).
// Kernel-free, but run in the sandbox (root, a private /run): it changes owners and modes.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "state/state_store.h"

namespace nstopo::state::test {
namespace {

// Refuses to go on outside the sandbox: these tests chown and chmod under /run.
void require_sandbox() {
  const char* marker = std::getenv("NSTOPO_IN_SANDBOX");
  REQUIRE_MESSAGE((marker != nullptr && std::string_view(marker) == "1"),
                  "run through tests/integration/sandbox.sh");
  REQUIRE_MESSAGE(::geteuid() == 0, "the state tests need root");
}

namespace fs = std::filesystem;

// A fresh state directory under the sandbox's private /run, removed at scope end.
struct StateDir {
  StateDir() {
    require_sandbox();
    std::string pattern = "/run/nstopo-store-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~StateDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string path;
};

std::string text_of(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string error_of(const Result<LabState>& loaded) {
  REQUIRE_FALSE(loaded.has_value());
  return loaded.error().describe();
}

// True when `fd` becomes readable within `ms`.
bool readable_within(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, ms) == 1;
}

TEST_CASE("a waiter that gets a lock its holder removed with the lab starts again on the new one") {
  StateDir dir;
  StateStore store(dir.path);
  int go[2], waiting[2], got[2];
  REQUIRE(::pipe(go) == 0);
  REQUIRE(::pipe(waiting) == 0);
  REQUIRE(::pipe(got) == 0);
  // Forked before the lock is taken: a child must not inherit the holder's descriptor.
  pid_t waiter = ::fork();
  REQUIRE(waiter >= 0);
  if (waiter == 0) {
    char byte = 0;
    if (::read(go[0], &byte, 1) != 1) ::_exit(1);
    auto held = store.lock("lab_l1", true, [&] { (void)!::write(waiting[1], "w", 1); });
    (void)!::write(got[1], held ? "g" : "e", 1);
    ::_exit(0);
  }
  auto first = store.lock("lab_l1", true, [] {});
  REQUIRE(first.has_value());
  REQUIRE(::write(go[1], "x", 1) == 1);
  REQUIRE(readable_within(waiting[0], 5000));  // it waits on the first lock file

  // A destroy: removes the lab (lock file last) while holding it; a newcomer makes a new lab
  // directory and lock and takes it; then the destroy ends.
  REQUIRE(store.remove("lab_l1").has_value());
  CHECK_FALSE(fs::exists(dir.path + "/lab_l1"));
  auto second = store.lock("lab_l1", false, [] {});
  REQUIRE(second.has_value());
  *first = LabLock();  // released: the waiter gets a deleted file, and must not count it

  CHECK_FALSE(readable_within(got[0], 300));  // still waiting: the newcomer holds the lab
  *second = LabLock();
  REQUIRE(readable_within(got[0], 5000));
  char answer = 0;
  REQUIRE(::read(got[0], &answer, 1) == 1);
  CHECK(answer == 'g');
  int status = 0;
  REQUIRE(::waitpid(waiter, &status, 0) == waiter);
  for (int fd : {go[0], go[1], waiting[0], waiting[1], got[0], got[1]}) ::close(fd);
}

TEST_CASE("two holders never coexist while others remove the lab directory under them") {
  StateDir dir;
  // Outside the lab directory, which the holders keep removing.
  std::string marker = dir.path + "/holder";
  constexpr int kProcesses = 4, kRounds = 60;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      StateStore store(dir.path);
      for (int round = 0; round < kRounds; ++round) {
        auto held = store.lock("lab_race", true, [] {});
        if (!held) ::_exit(2);
        int fd = ::open(marker.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
        if (fd < 0) ::_exit(1);  // another holder is inside
        ::close(fd);
        // Some work on the lab: its record, then (every other round) a destroy's removal.
        LabState state;
        state.lab = "lab_race";
        if (!store.save(state)) ::_exit(3);
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        if (::unlink(marker.c_str()) != 0) ::_exit(4);
        if ((round + p) % 2 == 0 && !store.remove("lab_race")) ::_exit(5);
      }
      ::_exit(0);
    }
    children.push_back(child);
  }
  for (pid_t child : children) {
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CAPTURE(child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);  // 1: two holders at once
  }
}

TEST_CASE("remove leaves no file of the lab, and a missing state directory is made private") {
  StateDir dir;
  std::string state_dir = dir.path + "/state";
  StateStore store(state_dir);
  auto held = store.lock("lab_rm", true, [] {});
  REQUIRE(held.has_value());
  struct stat st {};
  REQUIRE(::lstat(state_dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0700);
  LabState state;
  state.lab = "lab_rm";
  REQUIRE(store.save(state).has_value());
  fs::create_directories(state_dir + "/lab_rm/logs/ns_a");
  write_text(state_dir + "/lab_rm/logs/ns_a/web.log", "hello\n");
  REQUIRE(store.remove("lab_rm").has_value());
  CHECK_FALSE(fs::exists(state_dir + "/lab_rm"));
  CHECK(store.remove("lab_rm").has_value());  // nothing left: nothing to do
}

TEST_CASE("a state directory writable by others is refused, naming it, its owner and mode") {
  StateDir dir;
  REQUIRE(::chmod(dir.path.c_str(), 0777) == 0);
  StateStore store(dir.path);
  auto held = store.lock("lab_t1", true, [] {});
  REQUIRE_FALSE(held.has_value());
  CHECK(held.error().describe() ==
        fmt::format("state directory {} is owned by root with mode 0777; nstopo trusts only what "
                    "is owned by root and not writable by group or others (chown root {} and "
                    "chmod go-w {})",
                    dir.path, dir.path, dir.path));
  CHECK(error_of(store.load("lab_t1")).starts_with("state directory " + dir.path));
  LabState state;
  state.lab = "lab_t1";
  CHECK_FALSE(store.save(state).has_value());
  CHECK_FALSE(fs::exists(dir.path + "/lab_t1"));  // nothing is made in it
}

TEST_CASE("a lab directory owned by another user is refused") {
  StateDir dir;
  std::string lab_dir = dir.path + "/lab_t2";
  REQUIRE(::mkdir(lab_dir.c_str(), 0700) == 0);
  write_text(lab_dir + "/state.json", R"({"version": 1, "lab": "lab_t2", "namespaces": ["ns_x"]})");
  REQUIRE(::chown(lab_dir.c_str(), 65534, 65534) == 0);
  StateStore store(dir.path);
  std::string why = error_of(store.load("lab_t2"));
  CHECK(why.find("lab directory " + lab_dir + " is owned by uid 65534 with mode 0700") !=
        std::string::npos);
  CHECK(why.find("chown root " + lab_dir) != std::string::npos);
  auto held = store.lock("lab_t2", true, [] {});
  REQUIRE_FALSE(held.has_value());
  CHECK(held.error().describe().find("owned by uid 65534") != std::string::npos);
  CHECK_FALSE(store.remove("lab_t2").has_value());  // and nothing of it is touched
  CHECK(fs::exists(lab_dir + "/state.json"));
}

TEST_CASE("a record writable by others, or owned by another user, is refused") {
  StateDir dir;
  StateStore store(dir.path);
  LabState state;
  state.lab = "lab_t3";
  state.namespaces = {"ns_x"};
  REQUIRE(store.save(state).has_value());
  std::string path = dir.path + "/lab_t3/state.json";
  REQUIRE(::chmod(path.c_str(), 0666) == 0);
  CHECK(error_of(store.load("lab_t3")).starts_with("state file " + path +
                                                    " is owned by root with mode 0666"));
  REQUIRE(::chmod(path.c_str(), 0600) == 0);
  REQUIRE(::chown(path.c_str(), 65534, 65534) == 0);
  CHECK(error_of(store.load("lab_t3")).starts_with("state file " + path + " is owned by uid 65534"));
}

TEST_CASE("a record of another lab is refused, naming both") {
  StateDir dir;
  StateStore store(dir.path);
  LabState other;
  other.lab = "lab_other";
  other.namespaces = {"ns_victim"};
  REQUIRE(store.save(other).has_value());
  REQUIRE(::mkdir((dir.path + "/lab_mine").c_str(), 0700) == 0);
  fs::copy_file(dir.path + "/lab_other/state.json", dir.path + "/lab_mine/state.json");
  CHECK(error_of(store.load("lab_mine")) ==
        fmt::format("state file {}/lab_mine/state.json is the record of lab 'lab_other', not of "
                    "lab lab_mine; nstopo will not act on it (remove it to forget the lab)",
                    dir.path));
}

TEST_CASE("a symlinked lab directory, or record, is refused and not followed") {
  StateDir dir;
  StateStore store(dir.path);
  LabState real;
  real.lab = "lab_t5";
  REQUIRE(store.save(real).has_value());
  REQUIRE(::rename((dir.path + "/lab_t5").c_str(), (dir.path + "/elsewhere").c_str()) == 0);
  REQUIRE(::symlink((dir.path + "/elsewhere").c_str(), (dir.path + "/lab_t5").c_str()) == 0);
  CHECK(error_of(store.load("lab_t5")) ==
        fmt::format("lab directory {}/lab_t5 is a symlink; nstopo follows none in its state "
                    "(remove it)",
                    dir.path));
  auto held = store.lock("lab_t5", true, [] {});
  REQUIRE_FALSE(held.has_value());
  CHECK_FALSE(fs::exists(dir.path + "/elsewhere/lock"));  // nothing made through the link
  CHECK_FALSE(store.remove("lab_t5").has_value());
  CHECK(fs::exists(dir.path + "/elsewhere/state.json"));

  REQUIRE(::mkdir((dir.path + "/lab_t6").c_str(), 0700) == 0);
  REQUIRE(::symlink((dir.path + "/elsewhere/state.json").c_str(),
                    (dir.path + "/lab_t6/state.json").c_str()) == 0);
  CHECK(error_of(store.load("lab_t6")).find("is a symlink") != std::string::npos);
}

TEST_CASE("a lab name that is no single path component reaches nothing outside the state dir") {
  StateDir dir;
  StateStore store(dir.path + "/state");
  REQUIRE(::mkdir((dir.path + "/state").c_str(), 0700) == 0);
  write_text(dir.path + "/precious", "keep\n");
  for (const char* lab : {"..", ".", "", "a/../.."}) {
    CAPTURE(lab);
    CHECK_FALSE(store.remove(lab).has_value());
    CHECK_FALSE(store.load(lab).has_value());
    CHECK_FALSE(store.lock(lab, false, [] {}).has_value());
  }
  CHECK(fs::exists(dir.path + "/precious"));
}

TEST_CASE("version 2 records namespace identities and pending links; version 1 reads as unknown") {
  StateDir dir;
  StateStore store(dir.path);
  REQUIRE(::mkdir((dir.path + "/lab_v").c_str(), 0700) == 0);
  write_text(dir.path + "/lab_v/state.json",
             R"({"version": 1, "lab": "lab_v", "file": "/t.yaml", "namespaces": ["ns_a", "ns_b"],
                 "services": {}})");
  auto loaded = store.load("lab_v");
  REQUIRE(loaded.has_value());
  CHECK(loaded->namespaces == std::set<std::string>{"ns_a", "ns_b"});
  CHECK(loaded->namespace_cookies.empty());
  CHECK(loaded->pending_links.empty());

  loaded->namespace_cookies["ns_a"] = 4097;
  loaded->pending_links = {"host:veth_a", "ns_a:eth0"};
  REQUIRE(store.save(*loaded).has_value());
  auto json = nlohmann::json::parse(text_of(dir.path + "/lab_v/state.json"));
  CHECK(json["version"] == 2);
  CHECK(json["namespaces"] == nlohmann::json::parse(R"({"ns_a": {"cookie": 4097}, "ns_b": {}})"));
  CHECK(json["pending_links"] == nlohmann::json::parse(R"(["host:veth_a", "ns_a:eth0"])"));
  auto again = store.load("lab_v");
  REQUIRE(again.has_value());
  CHECK(again->namespace_cookies == std::map<std::string, uint64_t>{{"ns_a", 4097}});
  CHECK(again->pending_links == loaded->pending_links);
  CHECK(again->topology_file == "/t.yaml");
}

}  // namespace
}  // namespace nstopo::state::test
