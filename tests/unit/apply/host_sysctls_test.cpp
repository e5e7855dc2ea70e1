// Host sysctls with the fake kernel: recorded before they change, given back on destroy and
// prune, put back (value and record) when a later step of the run fails.
#include <doctest/doctest.h>

#include "apply/run.h"
#include "parse/load.h"
#include "plan/format.h"
#include "plan/planner.h"
#include "support/fake_kernel.h"

using namespace nstopo;

namespace {

model::Topology topology(const std::string& host_sysctls) {
  std::string text = "version: 1\nname: hs\n";
  if (!host_sysctls.empty()) text += "host:\n  sysctls:\n" + host_sysctls;
  text += R"(namespaces:
  ns_hs:
    services:
      web:
        command: [sleep, "100"]
)";
  auto loaded = parse::load_topology_text(text, "hs.yaml");
  REQUIRE(loaded.ok());
  return *loaded.topology;
}

model::ObservedState host_with(std::map<std::string, std::string> sysctls) {
  model::ObservedState s;
  s.lab = "hs";
  s.host = {.name = "host", .exists = true};
  s.host.links.push_back({.name = "lo", .ifindex = 1, .up = true});
  s.host.sysctls = std::move(sysctls);
  return s;
}

struct QuietProgress final : apply::Progress {
  void action_done(const model::Action&, std::chrono::nanoseconds) override {}
  void action_failed(const model::Action&, const Error&) override {}
  void undo_done(const model::Action&, const Result<void>&) override {}
};

// Plans `desired` against the fake's state and runs it (failing at its `fail_step`-th call).
Result<apply::RunReport> converge(testing::FakeKernel& kernel, const model::Topology& desired,
                                  std::optional<int> fail_step = {}) {
  auto observed = kernel.observe(plan::observe_request(desired, kernel.state().owned_namespaces));
  REQUIRE(observed.has_value());
  auto planned = plan::plan(desired, *observed);
  REQUIRE(planned.conflicts.empty());
  if (fail_step) kernel.fail_at(kernel.calls() + *fail_step, Error{ErrorKind::kernel, "refused", "x", 1, ""});
  QuietProgress progress;
  return apply::run_plan(planned.plan, kernel, progress);
}

model::Topology forward() { return topology("    net.ipv4.ip_forward: 1\n"); }

}  // namespace

TEST_CASE("host sysctl: recorded with the host's value on apply, given back on destroy") {
  testing::FakeKernel kernel(host_with({{"net.ipv4.ip_forward", "0"}}));
  REQUIRE(converge(kernel, forward()).has_value());
  CHECK(kernel.state().host.sysctls.at("net.ipv4.ip_forward") == "1");
  CHECK(kernel.state().host_sysctl_records ==
        std::map<std::string, model::HostSysctlRecord>{{"net.ipv4.ip_forward", {"0", "1"}}});

  // Applied again: the record keeps the host's original, not the lab's own value.
  REQUIRE(converge(kernel, forward()).has_value());
  CHECK(kernel.state().host_sysctl_records.at("net.ipv4.ip_forward").original == "0");

  REQUIRE(converge(kernel, plan::empty_topology("hs")).has_value());
  CHECK(kernel.state().host.sysctls.at("net.ipv4.ip_forward") == "0");
  CHECK(kernel.state().host_sysctl_records.empty());
}

TEST_CASE("host sysctl: a failure later in the run gives the value back and drops the record") {
  testing::FakeKernel kernel(host_with({{"net.ipv4.ip_forward", "0"}}));
  // namespace, sysctl, service: the service's start fails.
  auto ran = converge(kernel, forward(), 3);
  REQUIRE_FALSE(ran.has_value());
  CHECK(kernel.log().at(2) == "+ service ns_hs/web");
  CHECK(kernel.state().host.sysctls.at("net.ipv4.ip_forward") == "0");
  CHECK(kernel.state().host_sysctl_records.empty());
}

TEST_CASE("host sysctl: pruned, it is restored; a failure after the restore puts both back") {
  testing::FakeKernel kernel(host_with({{"net.ipv4.ip_forward", "0"}}));
  REQUIRE(converge(kernel, forward()).has_value());
  auto pruned = topology("");
  pruned.namespaces.at("ns_hs").services.at("web").command = {"sleep", "200"};  // a restart

  auto before = static_cast<size_t>(kernel.calls());
  auto failed = converge(kernel, pruned, 3);  // stop, restore, start: the start fails
  REQUIRE_FALSE(failed.has_value());
  CHECK(kernel.log().at(before + 1) == "~ sysctl host net.ipv4.ip_forward = 0 (restore)");
  CHECK(kernel.log().at(before + 3) == "~ sysctl host net.ipv4.ip_forward = 1");  // its undo
  CHECK(kernel.state().host.sysctls.at("net.ipv4.ip_forward") == "1");
  CHECK(kernel.state().host_sysctl_records ==
        std::map<std::string, model::HostSysctlRecord>{{"net.ipv4.ip_forward", {"0", "1"}}});

  REQUIRE(converge(kernel, pruned).has_value());
  CHECK(kernel.state().host.sysctls.at("net.ipv4.ip_forward") == "0");
  CHECK(kernel.state().host_sysctl_records.empty());
}

TEST_CASE("host sysctl: changed outside nstopo since the lab set it: left, record dropped") {
  auto start = host_with({{"net.ipv4.conf.all.rp_filter", "2"}});
  start.host_sysctl_records["net.ipv4.conf.all.rp_filter"] = {"0", "1"};
  testing::FakeKernel kernel(start);
  auto observed = kernel.observe(plan::observe_request(plan::empty_topology("hs"), {}));
  REQUIRE(observed.has_value());
  auto planned = plan::plan(plan::empty_topology("hs"), *observed);
  REQUIRE(planned.plan.actions.size() == 1);
  CHECK(plan::format_action(planned.plan.actions[0]) ==
        "  ~ sysctl host net.ipv4.conf.all.rp_filter: left at 2  (changed outside nstopo since "
        "the lab set 1)");
  REQUIRE(converge(kernel, plan::empty_topology("hs")).has_value());
  CHECK(kernel.state().host.sysctls.at("net.ipv4.conf.all.rp_filter") == "2");
  CHECK(kernel.state().host_sysctl_records.empty());
}

TEST_CASE("host sysctl: what ip_forward rewrites is given back too, after a destroy or a failure") {
  // eth0 forwards while ip_forward is off: giving ip_forward back alone would turn it off.
  auto before = host_with({{"net.ipv4.ip_forward", "0"},
                           {"net.ipv4.conf.eth0.forwarding", "1"},
                           {"net.ipv4.conf.lo.forwarding", "0"},
                           {"net.ipv4.conf.default.forwarding", "0"},
                           {"net.ipv4.conf.all.accept_redirects", "1"}});
  before.host.links.push_back({.name = "eth0", .ifindex = 2, .up = true});

  testing::FakeKernel kernel(before);
  REQUIRE(converge(kernel, forward()).has_value());
  CHECK(kernel.state().host.sysctls.at("net.ipv4.conf.lo.forwarding") == "1");
  CHECK(kernel.state().host.sysctls.at("net.ipv4.conf.all.accept_redirects") == "0");
  REQUIRE(converge(kernel, plan::empty_topology("hs")).has_value());
  CHECK(kernel.state().host.sysctls == before.host.sysctls);
  CHECK(kernel.state().host_sysctl_records.empty());

  // namespace, record eth0, ip_forward, service: whichever fails, the host is as before.
  for (int step = 1; step <= 4; ++step) {
    CAPTURE(step);
    testing::FakeKernel failing(before);
    REQUIRE_FALSE(converge(failing, forward(), step).has_value());
    CHECK(failing.state().host.sysctls == before.host.sysctls);
    CHECK(failing.state().host_sysctl_records.empty());
  }
}
