#pragma once
// One lab for the service tests: its state, a ServiceManager over the recording spawner, and
// a namespace of its own; and services to give it.
#include <doctest/doctest.h>

#include "sandbox_support.h"
#include "services/logs.h"
#include "services/service_manager.h"

namespace nstopo::services::testing {

using std::chrono::milliseconds;

// One lab with its state, a manager over the recording spawner, and a namespace.
struct Lab {
  explicit Lab(const std::string& name, uint64_t max_log_bytes = kMaxLogBytes)
      : ns("ns_" + name), log_cap(max_log_bytes) {
    state.lab = name;
    REQUIRE(ns.ok());
  }
  TestNamespace ns;
  uint64_t log_cap;
  state::StateStore store{kStateDir};
  state::LabState state;
  RecordingSpawner spawner;
  std::vector<milliseconds> ready_after;
  ServiceManager manager{
      ServiceOptions{.netns_dir = kNetnsDir,
                     .on_ready = [this](const std::string&, const std::string&, int,
                                        milliseconds waited) { ready_after.push_back(waited); },
                     .max_log_bytes = log_cap},
      store, state, spawner};

  Result<void> start(const model::Service& service) {
    return manager.execute({model::StartService{ns.name(), service}, model::Reason::missing()});
  }
  Result<void> stop(const std::string& name, milliseconds grace = milliseconds(5'000)) {
    return manager.execute({model::StopService{ns.name(), name, 0, 0, grace}, model::Reason::not_declared()});
  }
  const state::ServiceRecord& record(const std::string& name) {
    return state.services.at(state::LabState::service_key(ns.name(), name));
  }
  std::string log_path(const std::string& name) {
    return store.log_path(state.lab, ns.name(), name);
  }
};

inline model::Service service(std::string name, std::vector<std::string> command) {
  model::Service s;
  s.name = std::move(name);
  s.command = std::move(command);
  return s;
}

inline model::Service python(std::string name, std::string code) {
  return service(std::move(name), {kPython, "-c", std::move(code)});
}

}  // namespace nstopo::services::testing
