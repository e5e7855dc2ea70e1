#pragma once
// Shared by the kernel tests. They run inside tests/integration/sandbox.sh (a fresh network,
// mount and PID namespace with a private /run), all in one process: every test uses names of
// its own and removes what it made.
#include <doctest/doctest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "kernel/netlink_kernel.h"
#include "state/state_store.h"

namespace nstopo::kernel::test {

inline const char* kNetnsDir = "/run/netns";
inline const char* kStateDir = "/run/nstopo";

// Refuses to go on outside the sandbox: these tests create and delete namespaces and links.
inline void require_sandbox() {
  const char* marker = std::getenv("NSTOPO_IN_SANDBOX");
  REQUIRE_MESSAGE((marker != nullptr && std::string_view(marker) == "1"),
                  "run through tests/integration/sandbox.sh");
  REQUIRE_MESSAGE(::geteuid() == 0, "the kernel tests need root");
}

// Output of a command (tests may use `ip` to look and to cause drift), trailing newline cut.
inline std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    output.append(buffer.data(), n);
  ::pclose(pipe);
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}

inline bool succeeds(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

inline model::Action act(model::Operation op) { return model::Action{std::move(op), model::Reason::differs("test")}; }

// A kernel for one lab, with its state in the sandbox's private state directory.
struct Lab {
  explicit Lab(std::string name) : store(kStateDir) {
    require_sandbox();
    state.lab = std::move(name);
    auto opened = NetlinkKernel::open(KernelOptions{kNetnsDir}, store, state);
    REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().describe()));
    kernel = std::move(*opened);
  }

  // Executes and requires success, showing the error otherwise.
  void apply(model::Operation op) {
    auto done = kernel->execute(act(std::move(op)));
    REQUIRE_MESSAGE(done.has_value(), (done ? "" : done.error().describe()));
  }

  model::ObservedState observe(model::ObserveRequest request) {
    request.lab = state.lab;
    auto observed = kernel->observe(request);
    REQUIRE_MESSAGE(observed.has_value(), (observed ? "" : observed.error().describe()));
    return std::move(*observed);
  }

  model::ObservedNamespace observe_one(const std::string& ns) {
    model::ObserveRequest request;
    if (ns != model::kHostNamespace) request.namespaces.insert(ns);
    auto observed = observe(request);
    const auto* found = observed.find_namespace(ns);
    REQUIRE(found != nullptr);
    return *found;
  }

  state::StateStore store;
  state::LabState state;
  std::unique_ptr<NetlinkKernel> kernel;
};

inline const model::ObservedAddress* find_address(const model::ObservedNamespace& ns,
                                                  std::string_view prefix) {
  for (const auto& address : ns.addresses)
    if (address.prefix.to_string() == prefix) return &address;
  return nullptr;
}

inline const model::ObservedRoute* find_route(const model::ObservedNamespace& ns,
                                              std::string_view to) {
  for (const auto& route : ns.routes)
    if (route.to.to_string() == to) return &route;
  return nullptr;
}

inline model::Prefix prefix(std::string_view text) {
  auto parsed = model::Prefix::parse(text);
  REQUIRE(parsed.has_value());
  return *parsed;
}

inline model::IpAddress ip(std::string_view text) {
  auto parsed = model::IpAddress::parse(text);
  REQUIRE(parsed.has_value());
  return *parsed;
}

inline model::MacAddress mac(std::string_view text) {
  auto parsed = model::MacAddress::parse(text);
  REQUIRE(parsed.has_value());
  return *parsed;
}

}  // namespace nstopo::kernel::test
