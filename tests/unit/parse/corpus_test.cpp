// The golden corpus: every tests/corpus/NAME.yaml is an invalid topology, and NAME.expected
// holds exactly what load_topology_file("NAME.yaml") reports, formatted. Any drift in a
// message, a position or the layout fails here (and in the CLI's run_corpus.sh).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "parse/load.h"

namespace fs = std::filesystem;
using nstopo::parse::format_diagnostic;
using nstopo::parse::load_topology_file;

namespace {

const fs::path kCorpus = fs::path(NSTOPO_TESTS_DIR) / "corpus";

// Runs in the corpus directory so that diagnostics name files as the CLI test does, and
// returns to where it was.
class InDirectory {
 public:
  explicit InDirectory(const fs::path& dir) : previous_(::open(".", O_RDONLY | O_DIRECTORY)) {
    REQUIRE(previous_ >= 0);
    REQUIRE(::chdir(dir.c_str()) == 0);
  }
  ~InDirectory() {
    CHECK(::fchdir(previous_) == 0);
    ::close(previous_);
  }
  InDirectory(const InDirectory&) = delete;
  InDirectory& operator=(const InDirectory&) = delete;

 private:
  int previous_;
};

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> corpus_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kCorpus))
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("every corpus file reports exactly its expected diagnostics") {
  auto names = corpus_names();
  REQUIRE(names.size() >= 25);
  InDirectory in_corpus(kCorpus);
  for (const auto& name : names) {
    INFO("corpus file ", name, ".yaml");
    auto result = load_topology_file(name + ".yaml");
    CHECK_FALSE(result.ok());
    CHECK_FALSE(result.topology.has_value());
    CHECK_FALSE(result.diagnostics.empty());
    std::string actual;
    for (const auto& diagnostic : result.diagnostics) actual += format_diagnostic(diagnostic);
    REQUIRE_MESSAGE(fs::exists(name + ".expected"), "missing " << name << ".expected");
    CHECK(actual == read_all(name + ".expected"));
  }
}

TEST_CASE("every expected file has its corpus file") {
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.path().extension() != ".expected") continue;
    auto yaml = entry.path();
    yaml.replace_extension(".yaml");
    INFO(entry.path().filename().string());
    CHECK(fs::exists(yaml));
  }
}

TEST_CASE("every shipped topology is valid") {
  size_t count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(NSTOPO_SOURCE_DIR) / "topologies")) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    auto result = load_topology_file(entry.path().string());
    std::string text;
    for (const auto& diagnostic : result.diagnostics) text += format_diagnostic(diagnostic);
    INFO(entry.path().filename().string(), "\n", text);
    CHECK(result.ok());
    // Each begins with the schema line editors use, then says what it shows.
    auto content = read_all(entry.path());
    CHECK(
        content.starts_with("# yaml-language-server: $schema=../schemas/topology.schema.json\n# "));
  }
  CHECK(count >= 4);
}
