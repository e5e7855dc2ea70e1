#pragma once
// Actions on processes: the lab's services, and whatever else still runs inside a namespace
// that is being deleted.
#include <chrono>
#include <cstdint>

#include "model/action_kind.h"
#include "model/observed.h"
#include "model/topology.h"

namespace nstopo::model {

struct StartService {
  std::string ns;
  Service service;

  static constexpr Change change = Change::create;
  static constexpr ExecutorFamily family = ExecutorFamily::services;
  // Services depend on nothing but their namespace (no ordering between them): a run is
  // started side by side, each waiting for its own readiness (services/service_starts.cpp).
  static constexpr bool groupable = true;
  int rank() const { return 95; }  // last: once everything in the namespace is in place
  ObjectKey object_key() const { return {ObjectKind::service, ns, service.name}; }
  std::string object() const { return fmt::format("{}/{}", ns, service.name); }
  std::string describe() const { return fmt::format("service {}/{}", ns, service.name); }
  std::vector<std::string> namespaces_used() const { return {ns}; }
  std::optional<Operation> inverse() const;
};

struct StopService {
  std::string ns, name;
  int pid = 0;
  uint64_t start_time = 0;
  std::chrono::milliseconds grace{5'000};
  // The spec the stopped process was started with, when the record has it: undoing the stop
  // (a failed apply that had stopped a service for a restart or a prune) starts it again.
  std::optional<Service> restart;

  static constexpr Change change = Change::remove;
  static constexpr ExecutorFamily family = ExecutorFamily::services;
  static constexpr bool groupable = true;  // each ends one process tree
  int rank() const { return 0; }  // first: before anything the service uses goes away
  ObjectKey object_key() const { return {ObjectKind::service, ns, name}; }
  std::string object() const { return fmt::format("{}/{}", ns, name); }
  std::string describe() const;
  std::vector<std::string> namespaces_used() const { return {ns}; }
  std::optional<Operation> inverse() const;
};

// Processes still inside a lab namespace that is being deleted (they are the lab's: its
// namespace is theirs): SIGTERM, then SIGKILL after `grace`. Each is checked to be the same
// process (start time) in the same namespace before any signal. Cannot be undone.
struct StopNamespaceProcesses {
  std::string ns;
  std::vector<NamespaceProcess> processes;
  std::chrono::milliseconds grace{3'000};

  static constexpr Change change = Change::remove;
  static constexpr ExecutorFamily family = ExecutorFamily::services;
  static constexpr bool groupable = false;
  int rank() const { return 5; }  // after the services' stops, before the deletes
  ObjectKey object_key() const { return {ObjectKind::processes, ns, {}}; }
  std::string object() const { return ns; }
  std::string describe() const;
  std::vector<std::string> namespaces_used() const { return {ns}; }
  // A process ended is not brought back: it was never the lab's to restart.
  std::optional<Operation> inverse() const;
};

}  // namespace nstopo::model
