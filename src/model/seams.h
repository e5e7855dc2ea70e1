#pragma once
// The seams between the pure core and the outside world. Real implementations live in
// kernel/ and services/; recording fakes for tests live in tests/support/.
#include "model/action.h"
#include "model/error.h"
#include "model/observed.h"

namespace nstopo::model {

class Observer {
 public:
  virtual ~Observer() = default;
  // Reads the host, every requested namespace (missing ones come back with exists=false),
  // the lab's owned namespaces and its recorded services. Read-only.
  virtual Result<ObservedState> observe(const ObserveRequest& request) = 0;
};

class Executor {
 public:
  virtual ~Executor() = default;
  // Called once before the first action of a run: a chance to record intent in one write
  // (the kernel executor records the namespaces it is about to create as the lab's).
  virtual Result<void> prepare(const Plan& /*plan*/) { return {}; }
  // Carries out one action. On failure the live state is as before the call.
  virtual Result<void> execute(const Action& action) = 0;
  // Called once after the run, whether it succeeded, failed or was undone: persist records.
  virtual Result<void> finish() { return {}; }
};

}  // namespace nstopo::model
