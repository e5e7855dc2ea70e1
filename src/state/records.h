#pragma once
// What the lab's record holds (state.json; its format is described in state/state_store.h):
// the namespaces it created, the links being made, the services it started and the host
// sysctls it changed.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "model/observed.h"

namespace nstopo::state {

// What the record keeps of each service it started: model::ServiceRecord, which the observed
// state extends with what is found live (model::ObservedService).
using model::ServiceRecord;


struct LabState {
  std::string lab;
  std::string topology_file;                   // absolute path of the file last applied
  std::set<std::string> namespaces;            // created by this lab
  // The netns cookie (SO_NETNS_COOKIE, 64 bits, never reused while the machine runs) of each
  // namespace in `namespaces` whose identity is known: recorded when it is made, or the first
  // time it is seen after its name was recorded. A namespace of that name with another
  // cookie was deleted and made again by someone else: it is not the lab's.
  std::map<std::string, uint64_t> namespace_cookies;
  // Links ("ns:name") a run is about to create, written (with the namespaces) before the
  // first change and cleared when the run ends: a run killed between creating a link and
  // marking it with the lab's alias leaves it named here, so the next run knows it is its own.
  std::set<std::string> pending_links;
  std::map<std::string, ServiceRecord> services;  // key "ns/name"
  // Host sysctls the lab changed: key -> {the host's original value, the value the lab set}.
  // Written before the value is (JSON "host_sysctls"; a record without it has none).
  std::map<std::string, model::HostSysctlRecord> host_sysctls;
  static std::string service_key(std::string_view ns, std::string_view name);
};

}  // namespace nstopo::state
