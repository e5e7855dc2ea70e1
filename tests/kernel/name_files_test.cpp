// The name files on disk (kernel/files/name_files.h), in a private ETC directory: written
// whole through a rename (a new inode, never a half-written file), read back, removed with
// their directory, and the host's block rewritten with every other line, mode and owner kept.
#include <doctest/doctest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kernel/files/name_files.h"

namespace nstopo::kernel::test {

namespace {

namespace fs = std::filesystem;

struct Etc {
  Etc() {
    std::string pattern = "/tmp/nstopo-etc-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
  }
  ~Etc() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string operator/(const std::string& relative) const { return dir + "/" + relative; }
  std::string dir;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void put(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

ino_t inode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_ino;
}

}  // namespace

TEST_CASE("a namespace's file is written through a rename, read back and removed with its dir") {
  Etc etc;
  REQUIRE(write_name_file(etc.dir, "ns_a", "hosts", "one\n"));
  CHECK(slurp(etc / "netns/ns_a/hosts") == "one\n");
  auto first = inode(etc / "netns/ns_a/hosts");
  REQUIRE(write_name_file(etc.dir, "ns_a", "hosts", "two\n"));
  CHECK(slurp(etc / "netns/ns_a/hosts") == "two\n");
  CHECK(inode(etc / "netns/ns_a/hosts") != first);  // replaced, not rewritten in place
  CHECK_FALSE(fs::exists(etc / "netns/ns_a/.hosts.nstopo"));

  NameFileMap read;
  REQUIRE(read_name_files(etc.dir, {"ns_a"}, read));
  REQUIRE(read.size() == 1);
  CHECK(read.at({"ns_a", "hosts"}) == "two\n");
  NameFileMap none;
  REQUIRE(read_name_files(etc.dir, {"ns_missing"}, none));
  CHECK(none.empty());

  REQUIRE(write_name_file(etc.dir, "ns_a", "resolv.conf", "nameserver 10.0.0.1\n"));
  REQUIRE(remove_name_file(etc.dir, "ns_a", "hosts"));
  CHECK(fs::exists(etc / "netns/ns_a"));  // resolv.conf is still in it
  REQUIRE(remove_name_file(etc.dir, "ns_a", "resolv.conf"));
  CHECK_FALSE(fs::exists(etc / "netns/ns_a"));
  CHECK(fs::exists(etc / "netns"));
  CHECK(remove_name_file(etc.dir, "ns_a", "hosts"));  // gone already: fine
}

TEST_CASE("the files of many namespaces are read in one call, the missing ones skipped") {
  Etc etc;
  NameFileMap before_any;
  REQUIRE(read_name_files(etc.dir, {"ns_a", "ns_b"}, before_any));  // no ETC/netns at all
  CHECK(before_any.empty());
  REQUIRE(write_name_file(etc.dir, "ns_a", "hosts", "a\n"));
  REQUIRE(write_name_file(etc.dir, "ns_c", "resolv.conf", "nameserver 10.0.0.3\n"));
  NameFileMap read;
  REQUIRE(read_name_files(etc.dir, {"ns_a", "ns_b", "ns_c"}, read));
  REQUIRE(read.size() == 2);
  CHECK(read.at({"ns_a", "hosts"}) == "a\n");
  CHECK(read.at({"ns_c", "resolv.conf"}) == "nameserver 10.0.0.3\n");
}

TEST_CASE("a directory that holds a file of someone else's stays") {
  Etc etc;
  REQUIRE(write_name_file(etc.dir, "ns_a", "hosts", "x\n"));
  put(etc / "netns/ns_a/nsswitch.conf", "hosts: files\n");
  REQUIRE(remove_name_file(etc.dir, "ns_a", "hosts"));
  CHECK(slurp(etc / "netns/ns_a/nsswitch.conf") == "hosts: files\n");
}

TEST_CASE("a symlinked namespace directory or file is not followed") {
  Etc etc;
  fs::create_directories(etc / "netns");
  fs::create_directories(etc / "elsewhere");
  fs::create_directory_symlink(etc / "elsewhere", etc / "netns/ns_a");
  auto refused = write_name_file(etc.dir, "ns_a", "hosts", "x\n");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("/netns/ns_a") != std::string::npos);
  CHECK_FALSE(fs::exists(etc / "elsewhere/hosts"));
  fs::remove(etc / "netns/ns_a");
  fs::create_directories(etc / "netns/ns_b");
  put(etc / "target", "secret\n");
  fs::create_symlink(etc / "target", etc / "netns/ns_b/hosts");
  NameFileMap read;
  CHECK_FALSE(read_name_files(etc.dir, {"ns_b"}, read));
}

TEST_CASE("the host's block: every other line, the mode and the owner are kept") {
  Etc etc;
  put(etc / "hosts", "127.0.0.1 localhost\n10.1.1.1 mine\n");
  REQUIRE(::chmod((etc / "hosts").c_str(), 0640) == 0);
  REQUIRE(::chown((etc / "hosts").c_str(), 1234, 5678) == 0);
  REQUIRE(write_host_block(etc.dir, "lab1", std::string("10.0.0.2 a a.lab1\n")));
  CHECK(slurp(etc / "hosts") ==
        "127.0.0.1 localhost\n10.1.1.1 mine\n# BEGIN nstopo lab lab1\n10.0.0.2 a a.lab1\n"
        "# END nstopo lab lab1\n");
  struct stat st {};
  REQUIRE(::stat((etc / "hosts").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(st.st_uid == 1234);
  CHECK(st.st_gid == 5678);

  auto read = read_host_block(etc.dir, "lab1");
  REQUIRE(read);
  CHECK(read->body == "10.0.0.2 a a.lab1\n");
  CHECK(read->problem.empty());
  auto unchanged = inode(etc / "hosts");
  REQUIRE(write_host_block(etc.dir, "lab1", std::string("10.0.0.2 a a.lab1\n")));
  CHECK(inode(etc / "hosts") == unchanged);  // the same text: nothing written

  REQUIRE(write_host_block(etc.dir, "lab1", std::nullopt));
  CHECK(slurp(etc / "hosts") == "127.0.0.1 localhost\n10.1.1.1 mine\n");
  REQUIRE(::stat((etc / "hosts").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(st.st_uid == 1234);
}

TEST_CASE("an /etc/hosts that is a mount point (a container's) is rewritten in place") {
  Etc etc;
  put(etc / "hosts", "127.0.0.1 localhost\n");
  put(etc / "outside", "127.0.0.1 localhost\n");
  // The kernel tests run in the sandbox's own mount namespace: this mount goes with it.
  REQUIRE(::mount((etc / "outside").c_str(), (etc / "hosts").c_str(), nullptr, MS_BIND, nullptr) == 0);
  REQUIRE(write_host_block(etc.dir, "lab1", std::string("10.0.0.2 a a.lab1\n")));
  CHECK(slurp(etc / "outside") ==
        "127.0.0.1 localhost\n# BEGIN nstopo lab lab1\n10.0.0.2 a a.lab1\n# END nstopo lab lab1\n");
  CHECK_FALSE(fs::exists(etc / ".hosts.nstopo"));
  REQUIRE(write_host_block(etc.dir, "lab1", std::nullopt));
  CHECK(slurp(etc / "outside") == "127.0.0.1 localhost\n");  // truncated to its new length
  REQUIRE(::umount((etc / "hosts").c_str()) == 0);
}

TEST_CASE("markers that make no block: read says why, write refuses and leaves the file") {
  Etc etc;
  std::string broken = "a\n# BEGIN nstopo lab lab1\nb\n";
  put(etc / "hosts", broken);
  auto read = read_host_block(etc.dir, "lab1");
  REQUIRE(read);
  CHECK_FALSE(read->body);
  CHECK(read->problem.find("1 '# BEGIN nstopo lab lab1' and 0 '# END nstopo lab lab1'") !=
        std::string::npos);
  auto refused = write_host_block(etc.dir, "lab1", std::string("x\n"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == ErrorKind::conflict);
  CHECK(slurp(etc / "hosts") == broken);
  CHECK(write_host_block(etc.dir, "lab1", std::nullopt).error().kind == ErrorKind::conflict);
}

}  // namespace nstopo::kernel::test
