// What the lab's name files hold (model/name_files.h), and the host's block kept apart from
// every other line of /etc/hosts.
#include <doctest/doctest.h>

#include "model/name_files.h"
#include "parse/load.h"

using namespace nstopo;

namespace {

model::Topology topology(std::string_view top) {
  auto result = parse::load_topology_text(
      fmt::format("version: 1\nname: lab1\n{}"
                  "host:\n  interfaces:\n    veth_a: {{addresses: [10.9.0.1/24]}}\n"
                  "namespaces:\n"
                  "  ns_a:\n    interfaces:\n"
                  "      eth0: {{addresses: [10.9.0.2/24, \"fd00::2/64\", \"fe80::2/64\"]}}\n"
                  "    dns: {{nameservers: [10.9.0.53], search: [lab1, corp]}}\n"
                  "  ns_b: {{}}\n"
                  "links:\n  - endpoints: [host:veth_a, ns_a:eth0]\n",
                  top),
      "t.yaml");
  REQUIRE(result.ok());
  return *result.topology;
}

}  // namespace

TEST_CASE("every namespace's hosts lists every node, the host included, with localhost") {
  auto t = topology("hosts:\n");
  auto files = model::desired_name_files(t, t.namespaces.at("ns_b"));
  REQUIRE(files.size() == 1);
  CHECK(files[0].first == "hosts");
  CHECK(files[0].second ==
        "# nstopo lab lab1: generated, do not edit\n"
        "127.0.0.1 localhost\n"
        "::1 localhost ip6-localhost ip6-loopback\n"
        "10.9.0.1 host host.lab1\n"
        "10.9.0.2 ns_a ns_a.lab1\n"
        "fd00::2 ns_a ns_a.lab1\n");
  CHECK_FALSE(model::desired_host_block(t));  // host: true was not asked for
}

TEST_CASE("resolv.conf only where dns: is declared, even without hosts:") {
  auto t = topology("");
  CHECK(model::desired_name_files(t, t.namespaces.at("ns_b")).empty());
  auto files = model::desired_name_files(t, t.namespaces.at("ns_a"));
  REQUIRE(files.size() == 1);
  CHECK(files[0].first == "resolv.conf");
  CHECK(files[0].second ==
        "# nstopo lab lab1: generated, do not edit\nnameserver 10.9.0.53\nsearch lab1 corp\n");
}

TEST_CASE("the mark names its lab") {
  CHECK(model::name_file_owner("# nstopo lab lab1: generated, do not edit\nx\n") == "lab1");
  CHECK(model::name_file_owner("# nstopo lab other: generated, do not edit") == "other");
  CHECK_FALSE(model::name_file_owner("127.0.0.1 localhost\n"));
  CHECK_FALSE(model::name_file_owner("# nstopo lab : generated, do not edit\n"));
}

TEST_CASE("the host's block is found, replaced and removed, nothing else touched") {
  auto t = topology("hosts: {host: true}\n");
  auto body = model::desired_host_block(t);
  REQUIRE(body);
  CHECK(*body == "10.9.0.1 host host.lab1\n10.9.0.2 ns_a ns_a.lab1\nfd00::2 ns_a ns_a.lab1\n");

  std::string before = "127.0.0.1 localhost\n# keep me\n10.0.0.1 router";  // no final newline
  auto added = model::replace_host_block(before, "lab1", std::string("1.2.3.4 a a.lab1\n"));
  CHECK(added == before + "\n# BEGIN nstopo lab lab1\n1.2.3.4 a a.lab1\n# END nstopo lab lab1\n");
  auto found = model::find_host_block(added, "lab1");
  CHECK(found.state == model::HostsBlock::State::found);
  CHECK(found.body == "1.2.3.4 a a.lab1\n");
  // Another lab's block and the lines around are left as they are.
  std::string shared = "a\n# BEGIN nstopo lab lab2\nx\n# END nstopo lab lab2\n" + added + "z\n";
  auto replaced = model::replace_host_block(shared, "lab1", std::string("5.6.7.8 b b.lab1\n"));
  CHECK(replaced == "a\n# BEGIN nstopo lab lab2\nx\n# END nstopo lab lab2\n" + before +
                        "\n# BEGIN nstopo lab lab1\n5.6.7.8 b b.lab1\n# END nstopo lab lab1\nz\n");
  CHECK(model::replace_host_block(replaced, "lab1", std::nullopt) ==
        "a\n# BEGIN nstopo lab lab2\nx\n# END nstopo lab lab2\n" + before + "\nz\n");
  CHECK(model::find_host_block(before, "lab1").state == model::HostsBlock::State::absent);
}

TEST_CASE("markers that make no block are found unbalanced") {
  using State = model::HostsBlock::State;
  CHECK(model::find_host_block("# BEGIN nstopo lab lab1\nx\n", "lab1").state == State::unbalanced);
  CHECK(model::find_host_block("# END nstopo lab lab1\n# BEGIN nstopo lab lab1\n", "lab1").state ==
        State::unbalanced);
  auto twice = model::find_host_block(
      "# BEGIN nstopo lab lab1\n# END nstopo lab lab1\n# BEGIN nstopo lab lab1\n", "lab1");
  CHECK(twice.state == State::unbalanced);
  CHECK(twice.problem.find("has 2 '# BEGIN nstopo lab lab1'") != std::string::npos);
  // A lab whose name another's begins with is not confused with it.
  CHECK(model::find_host_block("# BEGIN nstopo lab lab10\n", "lab1").state == State::absent);
}
