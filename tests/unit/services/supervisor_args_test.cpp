// The supervisor's command line and its one-line report: both ways, and what is refused.
#include <doctest/doctest.h>

#include "services/supervisor_args.h"

namespace nstopo::services {
namespace {

using std::chrono::milliseconds;

SupervisorArgs sample() {
  return SupervisorArgs{"ns_a/web", "0123456789abcdef0123456789abcdef", "/run/nstopo",
                        "/run/nstopo/lab/logs/ns_a/web.log", 1'048'576, milliseconds(1'500),
                        "nobody", "/srv", {"python3", "-m", "http.server", "--", "4000"}};
}

TEST_CASE("a supervisor line reads back as what made it") {
  auto args = sample();
  auto line = supervisor_argv(args);
  CHECK(line[1] == "__supervise");
  auto back = parse_supervisor_argv(line);
  REQUIRE(back);
  CHECK(back->service == args.service);
  CHECK(back->token == args.token);
  CHECK(back->state_dir == args.state_dir);
  CHECK(back->log_path == args.log_path);
  CHECK(back->max_log_bytes == args.max_log_bytes);
  CHECK(back->grace == args.grace);
  CHECK(back->user == args.user);
  CHECK(back->cwd == args.cwd);
  CHECK(back->command == args.command);  // a "--" of the command's own is kept

  args.user.reset();
  args.cwd.reset();
  back = parse_supervisor_argv(supervisor_argv(args));
  REQUIRE(back);
  CHECK_FALSE(back->user);
  CHECK_FALSE(back->cwd);
}

TEST_CASE("a line supervisor_argv does not make is refused") {
  auto line = supervisor_argv(sample());
  CHECK_FALSE(parse_supervisor_argv({"nstopo", "__supervise"}));
  CHECK_FALSE(parse_supervisor_argv({"nstopo", "apply", "--token", "x", "--", "sh"}));
  auto no_command = line;
  no_command.resize(no_command.size() - sample().command.size());
  CHECK_FALSE(parse_supervisor_argv(no_command));
  auto bad_number = line;
  REQUIRE(line[12] == "--grace");
  bad_number[13] = "12x";
  CHECK_FALSE(parse_supervisor_argv(bad_number));
  auto unknown = line;
  unknown[2] = "--shell";
  CHECK_FALSE(parse_supervisor_argv(unknown));
}

TEST_CASE("a supervisor is known by its token, and only by its own") {
  auto line = supervisor_argv(sample());
  CHECK(is_supervisor_with_token(line, sample().token));
  CHECK_FALSE(is_supervisor_with_token(line, "ffffffffffffffffffffffffffffffff"));
  CHECK_FALSE(is_supervisor_with_token(line, ""));
  // A command that merely mentions the token after "--" is not its supervisor.
  CHECK_FALSE(is_supervisor_with_token({"sleep", "__supervise", "--", "--token", sample().token},
                                       sample().token));
  CHECK_FALSE(is_supervisor_with_token({"python3", "--token", sample().token}, sample().token));
}

TEST_CASE("the report says started, or why not, on one line") {
  CHECK(format_supervisor_report(std::nullopt) == "started\n");
  CHECK_FALSE(parse_supervisor_report("started", "ns_a/web"));

  Error error{ErrorKind::service, "command 'nope' not found:\nmissing", "ns_a/web", ENOENT};
  auto line = format_supervisor_report(error);
  CHECK(line == fmt::format("failed {} {} command 'nope' not found: missing\n",
                            static_cast<int>(ErrorKind::service), ENOENT));
  line.pop_back();
  auto back = parse_supervisor_report(line, "ns_a/web");
  REQUIRE(back);
  CHECK(back->kind == ErrorKind::service);
  CHECK(back->error_number == ENOENT);
  CHECK(back->message == "command 'nope' not found: missing");
  CHECK(back->object == "ns_a/web");

  auto garbled = parse_supervisor_report("hello", "ns_a/web");
  REQUIRE(garbled);
  CHECK(garbled->kind == ErrorKind::internal);
  CHECK(garbled->message == "the supervisor of service ns_a/web said: 'hello'");
  CHECK(parse_supervisor_report("failed 999 2 x", "ns_a/web")->kind == ErrorKind::internal);
}

TEST_CASE("tokens are fresh and 32 hex digits") {
  auto a = new_supervisor_token();
  auto b = new_supervisor_token();
  CHECK(a.size() == 32);
  CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(a != b);
}

}  // namespace
}  // namespace nstopo::services
