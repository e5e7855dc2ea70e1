// Host sysctls through the real kernel executor and observer: the lab's record is saved
// before the value is written, read back by the observer (with the live value, declared or
// not), dropped again when a write fails or the value is given back.
#include <cerrno>
#include <fstream>

#include "kernel_fixture.h"

namespace nstopo::kernel::test {

namespace {
constexpr const char* kKey = "net.ipv4.conf.all.rp_filter";
}

TEST_CASE("a host sysctl is recorded before it is set, observed, and given back") {
  Lab lab("kt_hs");
  run(std::string("sysctl -qw ") + kKey + "=0");
  model::ObserveRequest asked;
  asked.sysctls["host"] = {kKey};
  std::string original = lab.observe(asked).host.sysctls.at(kKey);
  REQUIRE(original == "0");

  lab.apply(model::SetSysctl{"host", kKey, "2", original, original});
  CHECK(run(std::string("sysctl -n ") + kKey) == "2");
  auto saved = lab.store.load("kt_hs");
  REQUIRE(saved.has_value());
  CHECK(saved->host_sysctls.at(kKey) == model::HostSysctlRecord{"0", "2"});

  // Observed with its record, the live value read though nothing asks for it.
  auto observed = lab.observe({});
  CHECK(observed.host_sysctl_records.at(kKey) == model::HostSysctlRecord{"0", "2"});
  CHECK(observed.host.sysctls.at(kKey) == "2");

  // Another lab sees who holds the key.
  {
    Lab other("kt_hs_other");
    auto seen = other.observe({});
    CHECK(seen.host_sysctls_of_other_labs.at(kKey) == "kt_hs");
  }

  // A refused write leaves the record as it was.
  auto refused = lab.kernel->execute(act(model::SetSysctl{"host", kKey, "x", "2", "0"}));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().error_number == EINVAL);
  CHECK(lab.store.load("kt_hs")->host_sysctls.at(kKey) == model::HostSysctlRecord{"0", "2"});

  lab.apply(model::RestoreSysctl{kKey, "0", "2"});
  CHECK(run(std::string("sysctl -n ") + kKey) == "0");
  CHECK(lab.store.load("kt_hs")->host_sysctls.empty());
  CHECK(lab.state.host_sysctls.empty());

  // A key that went with its interface: nothing to give back, the record goes.
  lab.state.host_sysctls["net.ipv4.conf.kt_gone.rp_filter"] = {"0", "1"};
  lab.apply(model::RestoreSysctl{"net.ipv4.conf.kt_gone.rp_filter", "0", "1"});
  CHECK(lab.store.load("kt_hs")->host_sysctls.empty());
  REQUIRE(lab.store.remove("kt_hs").has_value());
}

TEST_CASE("a first refused write of a host sysctl leaves no record") {
  Lab lab("kt_hs_refused");
  auto refused = lab.kernel->execute(act(model::SetSysctl{"host", kKey, "x", "0", "0"}));
  REQUIRE_FALSE(refused.has_value());
  CHECK(lab.state.host_sysctls.empty());
  CHECK(lab.store.load("kt_hs_refused")->host_sysctls.empty());
  REQUIRE(lab.store.remove("kt_hs_refused").has_value());
}

TEST_CASE("a host sysctl another lab recorded meanwhile is not written") {
  // Lab kt_hs_first recorded the key after kt_hs_second planned (two labs applying at once).
  state::StateStore store(kStateDir);
  state::LabState first;
  first.lab = "kt_hs_first";
  first.host_sysctls["net.ipv4.ip_forward"] = {"0", "1"};  // the other name of the same value
  REQUIRE(store.save(first).has_value());
  run("sysctl -qw net.ipv4.conf.all.forwarding=0");

  Lab second("kt_hs_second");
  auto refused = second.kernel->execute(
      act(model::SetSysctl{"host", "net.ipv4.conf.all.forwarding", "1", "0", "0"}));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().kind == ErrorKind::conflict);
  CHECK(refused.error().message ==
        "host sysctl net.ipv4.conf.all.forwarding was just set by lab kt_hs_first; nothing written");
  CHECK(run("sysctl -n net.ipv4.conf.all.forwarding") == "0");
  CHECK(second.state.host_sysctls.empty());
  CHECK(second.store.load("kt_hs_second")->host_sysctls.empty());
  REQUIRE(store.remove("kt_hs_first").has_value());
  REQUIRE(store.remove("kt_hs_second").has_value());
}

TEST_CASE("a lab record written before host sysctls were recorded reads as none") {
  state::StateStore store(kStateDir);
  REQUIRE(state::StateStore::make_private_dirs(store.lab_dir("kt_hs_old")).has_value());
  std::ofstream(store.lab_dir("kt_hs_old") + "/state.json")
      << R"({"version": 1, "lab": "kt_hs_old", "file": "", "namespaces": [], "services": {}})";
  auto loaded = store.load("kt_hs_old");
  REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error().describe()));
  CHECK(loaded->host_sysctls.empty());
  REQUIRE(store.remove("kt_hs_old").has_value());
}

}  // namespace nstopo::kernel::test
