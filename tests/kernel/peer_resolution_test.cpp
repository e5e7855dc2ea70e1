// Veth peers between fresh namespaces share ifindexes ("2 <-> 2" in both pairs): the observer
// asks the kernel which namespace holds each peer.
#include "kernel_fixture.h"

using namespace nstopo;
using namespace nstopo::kernel::test;

TEST_CASE("ambiguous veth peers are resolved to their namespaces") {
  Lab lab("lab_peers");
  for (auto ns : {"pa", "pb", "pc", "pd"}) lab.apply(model::CreateNamespace{ns});
  // Two pairs made the same way: each end is its namespace's first link after lo.
  lab.apply(model::CreateVeth{{"pa", "x"}, {"pb", "y"}});
  lab.apply(model::CreateVeth{{"pc", "x"}, {"pd", "y"}});
  model::ObserveRequest request;
  request.namespaces = {"pa", "pb", "pc", "pd"};
  auto observed = lab.observe(request);
  auto link = [&](const char* ns, const char* name) {
    const auto* found = observed.find_namespace(ns)->find_link(name);
    REQUIRE(found != nullptr);
    return *found;
  };
  // The premise: the indexes alone cannot tell the pairs apart.
  REQUIRE(link("pa", "x").ifindex == link("pc", "x").ifindex);
  REQUIRE(link("pa", "x").peer_ifindex == link("pc", "x").peer_ifindex);
  CHECK(link("pa", "x").peer_ns == std::optional<std::string>("pb"));
  CHECK(link("pb", "y").peer_ns == std::optional<std::string>("pa"));
  CHECK(link("pc", "x").peer_ns == std::optional<std::string>("pd"));
  CHECK(link("pd", "y").peer_ns == std::optional<std::string>("pc"));
  for (auto ns : {"pa", "pb", "pc", "pd"}) lab.apply(model::DeleteNamespace{ns});
}

TEST_CASE("an unambiguous veth costs no resolution") {
  Lab lab("lab_peer_one");
  lab.apply(model::CreateNamespace{"pe"});
  lab.apply(model::CreateVeth{{"host", "pe_host"}, {"pe", "eth0"}});
  auto observed = lab.observe_one("pe");
  const auto* eth0 = observed.find_link("eth0");
  REQUIRE(eth0 != nullptr);
  CHECK(eth0->peer_netnsid.has_value());
  CHECK_FALSE(eth0->peer_ns.has_value());
  lab.apply(model::DeleteNamespace{"pe"});
}
