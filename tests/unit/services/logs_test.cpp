// Service logs: private modes, no symlinks followed, rotation, tail and follow.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "services/logs.h"
#include "temp_dir.h"

namespace nstopo::services {
namespace {

using testing::read_text;
using testing::TempDir;
using testing::write_text;

mode_t mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

void append(int fd, std::string_view text) {
  REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
}

TEST_CASE("the log and the directories made for it are private") {
  TempDir dir;
  std::string path = dir / "lab/logs/ns_a/web.log";
  auto log = open_service_log(dir.path(), path);
  REQUIRE(log);
  append(log->get(), "hello\n");
  CHECK(mode_of(path) == 0600);
  CHECK(mode_of(dir / "lab") == 0700);
  CHECK(mode_of(dir / "lab/logs") == 0700);
  CHECK(mode_of(dir / "lab/logs/ns_a") == 0700);
  CHECK(read_text(path) == "hello\n");
}

TEST_CASE("an existing log is appended to and made private") {
  TempDir dir;
  std::filesystem::create_directories(dir / "logs");
  std::string path = dir / "logs/web.log";
  write_text(path, "before\n");
  ::chmod(path.c_str(), 0644);
  auto log = open_service_log(dir.path(), path);
  REQUIRE(log);
  append(log->get(), "after\n");
  CHECK(read_text(path) == "before\nafter\n");
  CHECK(mode_of(path) == 0600);
}

TEST_CASE("a log larger than the bound is rotated to .1 at start, keeping one old file") {
  TempDir dir;
  std::string path = dir / "logs/web.log";
  {
    auto log = open_service_log(dir.path(), path, 10);
    REQUIRE(log);
    append(log->get(), "first run, long enough\n");
  }
  {
    auto log = open_service_log(dir.path(), path, 10);
    REQUIRE(log);
    append(log->get(), "second run, long too\n");
  }
  CHECK(read_text(path + ".1") == "first run, long enough\n");
  CHECK(read_text(path) == "second run, long too\n");
  {
    auto log = open_service_log(dir.path(), path, 10);
    REQUIRE(log);
  }
  CHECK(read_text(path + ".1") == "second run, long too\n");  // the older one is gone
  CHECK(read_text(path).empty());

  SUBCASE("one within the bound is kept") {
    auto log = open_service_log(dir.path(), path, 1000);
    REQUIRE(log);
    append(log->get(), "x\n");
    CHECK(read_text(path) == "x\n");
  }
}

TEST_CASE("a symlink planted at the log path is refused, and its target untouched") {
  TempDir dir;
  std::filesystem::create_directories(dir / "logs");
  write_text(dir / "victim", "precious\n");
  std::filesystem::create_symlink(dir / "victim", dir / "logs/web.log");
  auto log = open_service_log(dir.path(), dir / "logs/web.log");
  REQUIRE_FALSE(log);
  CHECK(log.error().kind == ErrorKind::conflict);
  CHECK(log.error().message ==
        fmt::format("refusing to use log file {}: not a regular file (a symlink is never followed)",
                    dir / "logs/web.log"));
  CHECK(read_text(dir / "victim") == "precious\n");

  SUBCASE("even when it is too big and would be rotated") {
    auto rotated = open_service_log(dir.path(), dir / "logs/web.log", 0);
    REQUIRE_FALSE(rotated);
    CHECK_FALSE(std::filesystem::exists(dir / "logs/web.log.1"));
  }
}

TEST_CASE("a symlinked directory on the way to the log is refused") {
  TempDir dir;
  std::filesystem::create_directories(dir / "elsewhere");
  std::filesystem::create_directories(dir / "lab");
  std::filesystem::create_directory_symlink(dir / "elsewhere", dir / "lab/logs");
  auto log = open_service_log(dir.path(), dir / "lab/logs/ns_a/web.log");
  REQUIRE_FALSE(log);
  CHECK(log.error().kind == ErrorKind::conflict);
  CHECK(log.error().message.find(dir / "lab/logs") != std::string::npos);
  CHECK(std::filesystem::is_empty(dir / "elsewhere"));
}

TEST_CASE("a FIFO at the log path is refused without hanging") {
  TempDir dir;
  std::filesystem::create_directories(dir / "logs");
  REQUIRE(::mkfifo((dir / "logs/web.log").c_str(), 0600) == 0);
  auto log = open_service_log(dir.path(), dir / "logs/web.log");
  REQUIRE_FALSE(log);
  CHECK(log.error().kind == ErrorKind::conflict);
}

TEST_CASE("a log path outside the state directory is refused") {
  TempDir dir;
  CHECK_FALSE(open_service_log(dir / "state", dir / "other/web.log"));
}

TEST_CASE("log_tail gives the last lines") {
  TempDir dir;
  std::string path = dir / "web.log";
  std::string text;
  for (int i = 1; i <= 15; ++i) text += fmt::format("line {}\n", i);
  write_text(path, text);
  CHECK(log_tail(path, 3) == "line 13\nline 14\nline 15");
  CHECK(log_tail(path, 20) == text.substr(0, text.size() - 1));
  CHECK(log_tail(path, 0).empty());
  CHECK(log_tail(dir / "missing.log").empty());

  SUBCASE("without a final newline") {
    write_text(path, "a\nb\nc");
    CHECK(log_tail(path, 2) == "b\nc");
  }
  SUBCASE("of a huge log, from its end only, without a cut line") {
    write_text(path, std::string(100'000, 'x') + "\nlast\n");
    CHECK(log_tail(path, 10) == "last");
  }
  SUBCASE("never through a symlink") {
    std::filesystem::create_symlink(path, dir / "link.log");
    CHECK(log_tail(dir / "link.log").empty());
  }
}

// What print_log (without -f) prints of `path`.
std::string printed(const std::string& path) {
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  REQUIRE(print_log(path, false, out));
  std::rewind(out);
  char buf[256] = {};
  std::string text(buf, std::fread(buf, 1, sizeof buf, out));
  std::fclose(out);
  return text;
}

TEST_CASE("print_log copies the log") {
  TempDir dir;
  std::string path = dir / "web.log";
  write_text(path, "one\ntwo\n");
  CHECK(printed(path) == "one\ntwo\n");

  SUBCASE("and refuses a missing one or a symlink") {
    CHECK_FALSE(print_log(dir / "missing.log", false, stdout));
    std::filesystem::create_symlink(path, dir / "link.log");
    auto refused = print_log(dir / "link.log", false, stdout);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == ErrorKind::conflict);
  }
}

TEST_CASE("print_log prints the rotated part first, and refuses a planted one") {
  TempDir dir;
  std::string path = dir / "web.log";
  write_text(path + ".1", "old\n");
  write_text(path, "new\n");
  CHECK(printed(path) == "old\nnew\n");

  std::filesystem::remove(path + ".1");
  std::filesystem::create_symlink("/etc/passwd", path + ".1");
  auto refused = print_log(path, false, stdout);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == ErrorKind::conflict);
}

TEST_CASE("print_log -f follows appends and a rotation") {
  TempDir dir;
  std::string path = dir / "web.log";
  write_text(path, "one\n");
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  int polls = 0;
  auto keep_following = [&] {
    ++polls;
    if (polls == 1) write_text(path, "two\n", /*append=*/true);
    if (polls == 2) {  // rotated by a restart: the old file moves away, a new one starts
      write_text(path, "three\n", /*append=*/true);
      std::filesystem::rename(path, path + ".1");
      write_text(path, "four\n");
    }
    return polls <= 3;
  };
  REQUIRE(print_log(path, true, out, keep_following));
  std::rewind(out);
  char buf[64] = {};
  CHECK(std::string(buf, std::fread(buf, 1, sizeof buf, out)) == "one\ntwo\nthree\nfour\n");
  std::fclose(out);
}

}  // namespace
}  // namespace nstopo::services
