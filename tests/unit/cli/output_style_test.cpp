// What text output looks like where it lands, and the documents' YAML form.
#include <doctest/doctest.h>

#include <yaml-cpp/yaml.h>

#include "cli/help_text.h"
#include "cli/progress_line.h"
#include "cli/render.h"
#include "cli/terminal.h"

using namespace nstopo::cli;

namespace {

GlobalOptions with(Verbosity verbosity, ColorChoice color) {
  GlobalOptions g;
  g.verbosity = verbosity;
  g.color = color;
  return g;
}

const TerminalFacts kTerminal{.stdout_is_terminal = true};
const TerminalFacts kPipe{.stdout_is_terminal = false};

}  // namespace

TEST_CASE("colour and the live line only on a terminal") {
  auto normal = with(Verbosity::normal, ColorChoice::automatic);
  auto tty = text_style(normal, kTerminal);
  CHECK(tty.color);
  CHECK(tty.progress);
  auto pipe = text_style(normal, kPipe);
  CHECK_FALSE(pipe.color);
  CHECK_FALSE(pipe.progress);
}

TEST_CASE("NO_COLOR and TERM=dumb turn colour off; --color wins over both ways") {
  auto normal = with(Verbosity::normal, ColorChoice::automatic);
  CHECK_FALSE(text_style(normal, {.stdout_is_terminal = true, .no_color = true}).color);
  CHECK_FALSE(text_style(normal, {.stdout_is_terminal = true, .dumb = true}).color);
  CHECK_FALSE(text_style(normal, {.stdout_is_terminal = true, .dumb = true}).progress);
  CHECK(text_style(with(Verbosity::normal, ColorChoice::always), kPipe).color);
  CHECK_FALSE(text_style(with(Verbosity::normal, ColorChoice::never), kTerminal).color);
}

TEST_CASE("-v prints every line even on a terminal; -q prints nothing but errors") {
  CHECK_FALSE(text_style(with(Verbosity::verbose, ColorChoice::automatic), kTerminal).progress);
  auto quiet = text_style(with(Verbosity::quiet, ColorChoice::automatic), kTerminal);
  CHECK(quiet.quiet);
  CHECK_FALSE(quiet.progress);
}

TEST_CASE("paint colours by change, and not at all without colour") {
  TextStyle on{.color = true}, off{};
  CHECK(paint(on, nstopo::model::Change::create, "+ x") == "\033[32m+ x\033[0m");
  CHECK(paint(on, nstopo::model::Change::modify, "~ x") == "\033[33m~ x\033[0m");
  CHECK(paint(on, nstopo::model::Change::remove, "- x") == "\033[31m- x\033[0m");
  CHECK(paint(off, nstopo::model::Change::remove, "- x") == "- x");
}

TEST_CASE("the progress line counts actions and names the one under way") {
  std::FILE* sink = std::tmpfile();
  ProgressLine line(sink);
  line.start("Lab seed: applying", 4);
  line.action_done();
  line.begin_action("+ namespace ns_a");
  auto text = line.render(std::chrono::milliseconds(1500));
  CHECK(text == "Lab seed: applying [1/4] 1.5s  + namespace ns_a");
  line.stop();
  std::fclose(sink);
}

TEST_CASE("a YAML document is the JSON document's tree, strings kept strings") {
  nlohmann::json doc{{"schema_version", 1}, {"name", "no"}, {"ok", true},
                     {"list", {1.5, "null"}}, {"nested", {{"a", nullptr}}}};
  auto yaml = YAML::Load(to_yaml(doc));
  CHECK(yaml["schema_version"].as<int>() == 1);
  CHECK(yaml["name"].as<std::string>() == "no");
  CHECK(yaml["name"].Tag() == "!");  // quoted: a YAML 1.1 reader does not make it false
  CHECK(yaml["ok"].as<bool>());
  CHECK(yaml["list"][0].as<double>() == 1.5);
  CHECK(yaml["list"][1].as<std::string>() == "null");
  CHECK(yaml["nested"]["a"].IsNull());
}

TEST_CASE("a command's footer lists only its exit codes") {
  auto text = command_footer({"nstopo validate lab.yaml"},
                             {ExitCode::ok, ExitCode::error, ExitCode::usage});
  CHECK(text == "Example:\n  nstopo validate lab.yaml\n\nExit codes: 0 success, 1 error, 64 usage error.");
  CHECK(exit_codes_text({ExitCode::interrupted_sigint, ExitCode::interrupted_sigterm}).find("130/143") !=
        std::string::npos);
}
