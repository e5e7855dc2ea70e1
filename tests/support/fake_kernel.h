#pragma once
// A recording fake of the kernel (and the service layer) behind the Observer and Executor
// seams: it holds an ObservedState, applies each action to it the way the kernel would, logs
// every call, and can be told to fail at step N (ninja's VirtualFileSystem/FakeCommandRunner).
#include <optional>
#include <string>
#include <vector>

#include "model/seams.h"

namespace nstopo::testing {

class FakeKernel final : public model::Observer, public model::Executor {
 public:
  explicit FakeKernel(model::ObservedState state) : state_(std::move(state)) { number_after_existing(); }

  Result<model::ObservedState> observe(const model::ObserveRequest& request) override;
  Result<void> execute(const model::Action& action) override;

  // The next execute() call number `step` (1-based, counting every call) fails with `error`
  // and changes nothing.
  void fail_at(int step, Error error) { fail_step_ = step, fail_error_ = std::move(error); }

  const model::ObservedState& state() const { return state_; }
  const std::vector<std::string>& log() const { return log_; }  // Action::describe() per call
  int calls() const { return calls_; }

 private:
  model::ObservedNamespace* ns(const std::string& name);
  model::ObservedLink* find_link(const std::string& ns, const std::string& name);
  Result<void> apply(const model::Action& action);
  void remove_link(const std::string& ns, const std::string& name);
  void write_sysctl(model::ObservedNamespace& ns, const std::string& key, const std::string& value);
  std::vector<model::ObservedNamespace*> all_namespaces();
  void number_after_existing();

  model::ObservedState state_;
  std::vector<std::string> log_;
  int calls_ = 0;
  int next_ifindex_ = 100;
  int next_pid_ = 1000;
  std::optional<int> fail_step_;
  Error fail_error_;
};

}  // namespace nstopo::testing
