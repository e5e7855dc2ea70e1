// Named namespaces: made and removed as `ip netns` does, recorded in the lab's state, and
// observed as they are (present, missing, replaced behind our back).
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "kernel/netns/netns.h"
#include "kernel_fixture.h"

namespace nstopo::kernel::test {
namespace {

std::string thread_namespace() { return run("readlink /proc/thread-self/ns/net"); }

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("a created namespace is a named namespace iproute2 can use, with loopback up") {
  Lab lab("lab_ns1");
  std::string before = thread_namespace();
  lab.apply(model::CreateNamespace{"kt_ns1"});

  CHECK(lab.kernel->mutating_requests() == 2);  // the namespace, then loopback up
  CHECK(thread_namespace() == before);
  CHECK(run("ip netns list").find("kt_ns1") != std::string::npos);
  CHECK(run("ip netns exec kt_ns1 ip -o link show lo").find(",UP") != std::string::npos);
  // The directory is a shared mount point, so an unmount propagates as with `ip netns`.
  CHECK(run("findmnt -n -o PROPAGATION /run/netns").find("shared") != std::string::npos);
  CHECK(lab.state.namespaces.contains("kt_ns1"));
  CHECK(file_text("/run/nstopo/lab_ns1/state.json").find("kt_ns1") != std::string::npos);

  auto observed = lab.observe_one("kt_ns1");
  CHECK(observed.exists);
  const auto* lo = observed.find_link("lo");
  REQUIRE(lo != nullptr);
  CHECK(lo->up);
  CHECK(find_address(observed, "127.0.0.1/8") != nullptr);

  lab.apply(model::DeleteNamespace{"kt_ns1"});
  CHECK(lab.kernel->mutating_requests() == 3);
  CHECK(run("ip netns list").find("kt_ns1") == std::string::npos);
  CHECK_FALSE(namespace_exists(kNetnsDir, "kt_ns1"));
  CHECK_FALSE(lab.state.namespaces.contains("kt_ns1"));
  CHECK(lab.kernel->finish().has_value());
  CHECK(file_text("/run/nstopo/lab_ns1/state.json").find("kt_ns1") == std::string::npos);
}

TEST_CASE("prepare records planned namespaces before they exist; finish forgets missing ones") {
  Lab lab("lab_ns2");
  model::Plan plan;
  plan.actions.push_back(act(model::CreateNamespace{"kt_ns2a"}));
  plan.actions.push_back(act(model::CreateNamespace{"kt_ns2b"}));
  REQUIRE(lab.kernel->prepare(plan).has_value());

  auto saved = lab.store.load("lab_ns2");
  REQUIRE(saved.has_value());
  CHECK(saved->namespaces == std::set<std::string>{"kt_ns2a", "kt_ns2b"});
  CHECK_FALSE(namespace_exists(kNetnsDir, "kt_ns2a"));
  CHECK(lab.kernel->mutating_requests() == 0);

  lab.apply(model::CreateNamespace{"kt_ns2a"});  // kt_ns2b never made: a crash, say
  REQUIRE(lab.kernel->finish().has_value());
  saved = lab.store.load("lab_ns2");
  REQUIRE(saved.has_value());
  CHECK(saved->namespaces == std::set<std::string>{"kt_ns2a"});
  lab.apply(model::DeleteNamespace{"kt_ns2a"});
}

TEST_CASE("observe: missing namespaces, owned ones, and one replaced behind our back") {
  Lab lab("lab_ns3");
  lab.apply(model::CreateNamespace{"kt_ns3"});
  lab.apply(model::CreateVeth{{"kt_ns3", "kt_a"}, {"kt_ns3", "kt_b"}, {}, {}, {}, {}});
  lab.state.namespaces.insert("kt_gone");  // recorded, but it does not exist

  model::ObserveRequest request;
  request.namespaces = {"kt_ns3", "kt_nowhere"};
  auto observed = lab.observe(request);
  CHECK(observed.lab == "lab_ns3");
  REQUIRE(observed.namespaces.size() == 2);
  CHECK(observed.namespaces.at("kt_ns3").exists);
  CHECK(observed.namespaces.at("kt_ns3").find_link("kt_a") != nullptr);
  CHECK_FALSE(observed.namespaces.at("kt_nowhere").exists);
  CHECK(observed.namespaces.at("kt_nowhere").links.empty());
  CHECK(observed.owned_namespaces == std::set<std::string>{"kt_ns3"});

  // Deleted and made again by someone else: the cached socket must not be used.
  REQUIRE(succeeds("ip netns del kt_ns3"));
  CHECK_FALSE(lab.observe_one("kt_ns3").exists);
  REQUIRE(succeeds("ip netns add kt_ns3"));
  auto fresh = lab.observe_one("kt_ns3");
  CHECK(fresh.exists);
  CHECK(fresh.find_link("kt_a") == nullptr);
  CHECK(fresh.find_link("lo") != nullptr);
  lab.apply(model::DeleteNamespace{"kt_ns3"});
  lab.state.namespaces.erase("kt_gone");
}

TEST_CASE("an empty file left by an interrupted `ip netns add` is not a namespace, and is reused") {
  Lab lab("lab_ns4");
  int fd = ::open("/run/netns/kt_stale", O_CREAT | O_WRONLY | O_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  ::close(fd);
  CHECK_FALSE(lab.observe_one("kt_stale").exists);
  lab.apply(model::CreateNamespace{"kt_stale"});
  CHECK(lab.observe_one("kt_stale").exists);
  lab.apply(model::DeleteNamespace{"kt_stale"});
}

TEST_CASE("namespace failures are errors that name the namespace; the thread stays home") {
  Lab lab("lab_ns5");
  std::string before = thread_namespace();
  lab.apply(model::CreateNamespace{"kt_ns5"});

  auto again = lab.kernel->execute(act(model::CreateNamespace{"kt_ns5"}));
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().kind == ErrorKind::kernel);
  CHECK(again.error().error_number == EEXIST);
  CHECK(again.error().describe() ==
        "failed to create namespace kt_ns5: /run/netns/kt_ns5 already exists (EEXIST)");
  CHECK(namespace_exists(kNetnsDir, "kt_ns5"));  // the existing one is untouched

  auto bad = lab.kernel->execute(act(model::CreateNamespace{"../etc"}));
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().kind == ErrorKind::invalid_input);

  lab.apply(model::DeleteNamespace{"kt_ns5"});
  // Deleting what is gone already is what a delete wants (a run killed after the kernel did it).
  auto gone = lab.kernel->execute(act(model::DeleteNamespace{"kt_ns5"}));
  CHECK(gone.has_value());

  auto nowhere = lab.kernel->execute(act(model::CreateBridge{{"kt_nowhere", "kt_br", {}, {}}}));
  REQUIRE_FALSE(nowhere.has_value());
  CHECK(nowhere.error().describe() ==
        "failed to create bridge kt_nowhere:kt_br: namespace kt_nowhere does not exist (ENOENT)");
  CHECK(nowhere.error().object == "kt_nowhere:kt_br");
  CHECK(thread_namespace() == before);
}

TEST_CASE("open refuses a thread without CAP_NET_ADMIN with a plain sentence") {
  require_sandbox();
  // Capabilities are per thread: drop CAP_NET_ADMIN from a helper thread's effective set.
  std::string message;
  ErrorKind kind = ErrorKind::internal;
  std::thread worker([&] {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    ::syscall(SYS_capget, &header, data);
    data[CAP_NET_ADMIN / 32].effective &= ~(1u << (CAP_NET_ADMIN % 32));
    if (::syscall(SYS_capset, &header, data) != 0) return;
    state::StateStore store(kStateDir);
    state::LabState state;
    state.lab = "lab_ns6";
    auto opened = NetlinkKernel::open(KernelOptions{kNetnsDir}, store, state);
    if (!opened) {
      message = opened.error().describe();
      kind = opened.error().kind;
    }
  });
  worker.join();
  CHECK(kind == ErrorKind::permission);
  CHECK(message ==
        "nstopo needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to change network namespaces; "
        "run it with sudo");
}

TEST_CASE("a group of namespaces is made, and deleted, side by side, and a failure in it spares "
          "the others") {
  Lab lab("lab_ns_group");
  std::vector<model::Action> group;
  for (int i = 0; i < 12; ++i) group.push_back(act(model::CreateNamespace{fmt::format("kt_g{}", i)}));
  group[5] = act(model::CreateNamespace{"kt_g/bad"});  // a name no namespace can have
  std::string before = thread_namespace();

  // Started, then collected in order: the namespaces are made while this thread waits.
  auto collect_all = [&](const std::vector<model::Action>& actions) {
    lab.kernel->start_independent(actions);
    std::vector<model::ActionOutcome> outcomes;
    for (size_t k = 0; k < actions.size(); ++k) outcomes.push_back(lab.kernel->collect_started(k));
    return outcomes;
  };
  auto outcomes = collect_all(group);

  REQUIRE(outcomes.size() == group.size());
  CHECK(thread_namespace() == before);  // this thread is home; helpers came home or ended
  for (size_t k = 0; k < group.size(); ++k) {
    CAPTURE(k);
    if (k == 5) {
      REQUIRE_FALSE(outcomes[k].result.has_value());
      CHECK(outcomes[k].result.error().kind == ErrorKind::invalid_input);
      continue;
    }
    REQUIRE_MESSAGE(outcomes[k].result.has_value(),
                    (outcomes[k].result ? "" : outcomes[k].result.error().describe()));
    CHECK(outcomes[k].took.count() > 0);
    std::string ns = fmt::format("kt_g{}", k);
    auto observed = lab.observe_one(ns);
    CHECK(observed.exists);
    REQUIRE(observed.find_link("lo") != nullptr);
    CHECK(observed.find_link("lo")->up);
    CHECK(lab.state.namespaces.contains(ns));
  }
  std::vector<model::Action> deletions;
  for (size_t k = 0; k < group.size(); ++k)
    deletions.push_back(act(model::DeleteNamespace{fmt::format("kt_g{}", k)}));
  deletions[5] = act(model::DeleteNamespace{"host"});  // refused: the host is never ours
  outcomes = collect_all(deletions);
  REQUIRE(outcomes.size() == deletions.size());
  CHECK_FALSE(outcomes[5].result.has_value());
  for (size_t k = 0; k < deletions.size(); ++k) {
    CAPTURE(k);
    if (k == 5) continue;
    CHECK(outcomes[k].result.has_value());
    CHECK_FALSE(namespace_exists(kNetnsDir, fmt::format("kt_g{}", k)));
    CHECK_FALSE(lab.state.namespaces.contains(fmt::format("kt_g{}", k)));
  }
  CHECK(run("ip netns list").find("kt_g") == std::string::npos);
}

TEST_CASE("a namespace read for its links only: no addresses, no routes") {
  Lab lab("lab_ns_links");
  lab.apply(model::CreateNamespace{"kt_lo1"});
  model::CreateVeth pair{{"kt_lo1", "kt_a"}, {"kt_lo1", "kt_b"}, {}, {}, {}, {}};
  pair.up_a = pair.up_b = true;
  lab.apply(pair);
  lab.apply(model::AddAddress{"kt_lo1", "kt_a", prefix("10.9.0.1/24"), true});  // and its route
  model::ObserveRequest request;
  request.namespaces = {"kt_lo1"};
  auto full = lab.observe(request);
  CHECK_FALSE(full.namespaces.at("kt_lo1").addresses.empty());
  CHECK_FALSE(full.namespaces.at("kt_lo1").routes.empty());
  request.links_only = {"kt_lo1"};
  auto links = lab.observe(request);
  const auto& ns = links.namespaces.at("kt_lo1");
  CHECK(ns.exists);
  CHECK(ns.find_link("lo") != nullptr);
  CHECK(ns.addresses.empty());
  CHECK(ns.routes.empty());
  CHECK(links.host.addresses.size() == full.host.addresses.size());  // the host in full
  CHECK(links.host.routes.size() == full.host.routes.size());
  lab.apply(model::DeleteNamespace{"kt_lo1"});
}

}  // namespace
}  // namespace nstopo::kernel::test
