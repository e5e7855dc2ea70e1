#include <doctest/doctest.h>

#include "parse/names.h"

using namespace nstopo::parse;

namespace {
std::string message(const std::optional<Problem>& problem) {
  return problem ? problem->message : std::string("ok");
}
}  // namespace

TEST_CASE("lab names: 1-32 of a-z, 0-9, '_' and '-', starting with a letter") {
  CHECK(message(lab_name_problem("seed")) == "ok");
  CHECK(message(lab_name_problem("lab-2_b")) == "ok");
  CHECK(message(lab_name_problem("")) == "lab name is empty");
  CHECK(message(lab_name_problem("2lab")) == "lab name '2lab' must start with a letter (a-z)");
  CHECK(message(lab_name_problem("my lab")) ==
        "lab name 'my lab' contains a space; allowed are a-z, 0-9, '_' and '-'");
  CHECK(lab_name_problem("Lab")->hint == "lab names are lower case");
  CHECK(message(lab_name_problem(std::string(33, 'a'))) ==
        "lab name '" + std::string(33, 'a') + "' is 33 characters; nstopo allows at most 32");
  CHECK(message(lab_name_problem(std::string(32, 'a'))) == "ok");
}

TEST_CASE("namespace names: 1-64 of A-Z a-z 0-9 _ . -, not '.', '..' or 'host'") {
  CHECK(message(namespace_name_problem("ns_rifky.2-B")) == "ok");
  CHECK(message(namespace_name_problem("..")) ==
        "namespace name '..' is not allowed (it names a file under /run/netns)");
  CHECK(message(namespace_name_problem("host")) ==
        "'host' is reserved for the namespace nstopo runs in");
  CHECK(message(namespace_name_problem(std::string(64, 'n'))) == "ok");
  CHECK(message(namespace_name_problem(std::string(65, 'n'))) ==
        "namespace name '" + std::string(65, 'n') + "' is 65 characters; nstopo allows at most 64");
  CHECK(message(namespace_name_problem("a:b")) ==
        "namespace name 'a:b' contains ':'; allowed are A-Z, a-z, 0-9, '_', '.' and '-'");
}

TEST_CASE("interface names follow the kernel's dev_valid_name()") {
  CHECK(message(interface_name_problem("veth_ns_rifky")) == "ok");  // 13 bytes
  CHECK(message(interface_name_problem(std::string(15, 'v'))) == "ok");
  CHECK(message(interface_name_problem("veth_very_long_name")) ==
        "interface name 'veth_very_long_name' is 19 bytes; Linux allows at most 15");
  // Bytes, not characters: nine two-byte letters are 18 bytes.
  CHECK(message(interface_name_problem("ééééééééé")) ==
        "interface name 'ééééééééé' is 18 bytes; Linux allows at most 15");
  CHECK(message(interface_name_problem("a/b")) ==
        "interface name 'a/b' contains '/', which Linux does not allow");
  CHECK(message(interface_name_problem("a:b")) ==
        "interface name 'a:b' contains ':', which Linux does not allow");
  CHECK(message(interface_name_problem("a\tb")) ==
        "interface name 'a\tb' contains a tab, which Linux does not allow");
  CHECK(message(interface_name_problem(".")) == "interface name '.' is not allowed by Linux");
  CHECK(message(interface_name_problem("eth%d")) ==
        "interface name 'eth%d' contains '%', which makes Linux choose the name itself");
  CHECK(message(interface_name_problem("lo")).starts_with("interface 'lo' is the loopback"));
  CHECK(message(interface_name_problem("")) == "interface name is empty");
}

TEST_CASE("service names are safe file names") {
  CHECK(message(service_name_problem("web.v2")) == "ok");
  CHECK(message(service_name_problem("../x")) ==
        "service name '../x' contains '/'; allowed are A-Z, a-z, 0-9, '_', '.' and '-'");
  CHECK(message(service_name_problem("..")) ==
        "service name '..' is not allowed (it names the service's log file)");
}

TEST_CASE("sysctl keys are net.* with single dots between segments") {
  CHECK(message(sysctl_key_problem("net.ipv4.ip_forward")) == "ok");
  CHECK(message(sysctl_key_problem("net.ipv4.conf.eth0/1.forwarding")) == "ok");
  CHECK(message(sysctl_key_problem("kernel.pid_max")) ==
        "sysctl 'kernel.pid_max' is not a network sysctl; only 'net.*' settings belong to a "
        "namespace");
  CHECK(message(sysctl_key_problem("net.ipv4.")) ==
        "sysctl 'net.ipv4.' has an empty segment ('..' or a trailing '.')");
  CHECK(message(sysctl_key_problem("net..x")) ==
        "sysctl 'net..x' has an empty segment ('..' or a trailing '.')");
  CHECK(message(sysctl_key_problem("net.a*b")) ==
        "sysctl 'net.a*b' contains '*'; allowed are letters, digits, '_', '-', '/' and single "
        "dots between segments");
}

TEST_CASE("users are names or numeric uids, environment names have no '='") {
  CHECK(message(user_problem("www-data")) == "ok");
  CHECK(message(user_problem("1000")) == "ok");
  CHECK(message(user_problem("4294967295")) == "uid 4294967295 is out of range 0-4294967294");
  CHECK(message(user_problem("-x")) == "user name '-x' must not start with '-'");
  CHECK(message(user_problem("a:b")) ==
        "user name 'a:b' contains ':'; allowed are A-Z, a-z, 0-9, '_', '.' and '-'");
  CHECK(message(env_name_problem("PATH")) == "ok");
  CHECK(message(env_name_problem("A=B")) == "environment variable name 'A=B' contains '='");
  CHECK(message(env_name_problem("")) == "environment variable name is empty");
}

TEST_CASE("a refused non-ASCII character is shown whole") {
  CHECK(describe_char_at("aüb", 1) == "'ü'");
  CHECK(describe_char_at("a\xff", 1) == "byte 0xff");
  CHECK(describe_char(' ') == "a space");
}
