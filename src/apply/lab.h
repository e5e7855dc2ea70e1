#pragma once
// The lab as the pipeline (apply::reconcile, apply::status) sees it: opened by a LabStore
// (the CLI's is LabSession over the kernel, the state store and the service layer; the unit
// tests' is a fake over the fake kernel).
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "model/seams.h"
#include "model/topology.h"
#include "plan/planner.h"

namespace nstopo::apply {

// What a probe found of a declared service that runs (status).
struct ServiceLive {
  std::optional<std::chrono::seconds> uptime;
  bool ready = false;
};

// One lab, opened: its lock is held (for as long as this lives) and its records are read.
class Lab {
 public:
  virtual ~Lab() = default;
  // The kernel's view plus the services the records say are running.
  virtual model::Observer& observer() = 0;
  virtual model::Executor& executor() = 0;
  // The namespaces the records hold as the lab's.
  virtual const std::set<std::string>& recorded_namespaces() const = 0;
  // Before the first change: the plan's adopted namespaces become the lab's, its forgotten
  // ones (made again outside nstopo) are dropped, and an apply of a file records the file.
  virtual void record_plan(const plan::PlanResult& result,
                           const std::optional<std::string>& topology_file) = 0;
  // Forgets the lab's records (and its lock's directory) once nothing of it is left.
  virtual Result<void> forget() = 0;
  // status: one readiness probe of a declared service found running, with its uptime.
  virtual ServiceLive probe_service(const model::Namespace& ns, const model::Service& service,
                                    const model::ObservedService& observed) = 0;
};

// Opens labs: the privilege check first, then the lab's lock (waiting unless `no_wait`:
// a held lock is then an ErrorKind::busy error), then its records.
class LabStore {
 public:
  virtual ~LabStore() = default;
  virtual Result<std::unique_ptr<Lab>> open(const std::string& lab, bool no_wait) = 0;
  // Without the lock, for what only reads and may run beside an apply (status).
  virtual Result<std::unique_ptr<Lab>> open_unlocked(const std::string& lab) = 0;
};

}  // namespace nstopo::apply
