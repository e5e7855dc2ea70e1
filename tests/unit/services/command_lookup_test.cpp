// Where a service's command would be found (services/command_lookup.h): the facts behind the
// plan's check of service commands.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>

#include "services/command_lookup.h"
#include "temp_dir.h"

namespace nstopo::services {
namespace {

using State = model::CommandFound::State;

void make_file(const std::string& path, mode_t mode) {
  std::ofstream(path) << "#!/bin/sh\n";
  ::chmod(path.c_str(), mode);
}

}  // namespace

TEST_CASE("command lookup: on the declared PATH, as execvp: the first executable wins") {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "a");
  std::filesystem::create_directories(dir / "b");
  make_file(dir / "a/tool", 0644);  // there, not executable: skipped for a later one
  make_file(dir / "b/tool", 0755);
  std::string path = (dir / "a") + ":" + (dir / "b");

  auto found = find_command({"tool", path});
  REQUIRE(found);
  CHECK(found->state == State::found);
  CHECK(found->file == dir / "b/tool");
  CHECK(found->searched == path);

  auto only_plain = find_command({"tool", dir / "a"});
  REQUIRE(only_plain);
  CHECK(only_plain->state == State::not_executable);
  CHECK(only_plain->file == dir / "a/tool");

  auto missing = find_command({"no-such-cmd", path});
  REQUIRE(missing);
  CHECK(missing->state == State::missing);
  CHECK(missing->searched == path);
}

TEST_CASE("command lookup: an absolute path is checked as it is; a relative one is left to the start") {
  testing::TempDir dir;
  make_file(dir / "run", 0755);
  make_file(dir / "plain", 0600);
  CHECK(find_command({dir / "run", std::nullopt})->state == State::found);
  CHECK(find_command({dir / "plain", std::nullopt})->state == State::not_executable);
  CHECK(find_command({dir / "none", std::nullopt})->state == State::missing);
  CHECK(find_command({dir.path(), std::nullopt})->state == State::not_executable);  // a directory
  CHECK_FALSE(find_command({"./bin/run", std::nullopt}).has_value());
}
}  // namespace nstopo::services
