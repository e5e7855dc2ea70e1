#pragma once
// The real kernel behind the Observer and Executor seams: libnl-route over one netlink socket
// per namespace (opened once, kept for the whole run), named namespaces made the way
// `ip netns add` makes them, and NETLINK_EXT_ACK so every refusal carries the kernel's words.
// It makes no decisions: it reads what it is asked to read and does what it is told.
#include <memory>
#include <string>

#include "model/seams.h"
#include "state/state_store.h"

namespace nstopo::kernel {

struct KernelOptions {
  std::string netns_dir = "/run/netns";  // where named namespaces are bind-mounted
  std::string etc_dir = "/etc";          // the name files: ETC/netns/NS/*, ETC/hosts
};

class NetlinkKernel final : public model::Observer, public model::Executor {
 public:
  // Fails with ErrorKind::permission (a plain sentence naming the missing capability) when
  // the process cannot administer the network; opens the host namespace's socket.
  // `state` is the lab's record, shared with the service layer; the kernel adds the
  // namespaces it creates and removes the ones it deletes, and saves it through `store`.
  static Result<std::unique_ptr<NetlinkKernel>> open(KernelOptions options,
                                                     const state::StateStore& store,
                                                     state::LabState& state);
  ~NetlinkKernel() override;

  Result<model::ObservedState> observe(const model::ObserveRequest& request) override;
  Result<void> prepare(const model::Plan& plan) override;
  Result<void> execute(const model::Action& action) override;  // every non-service action
  // A group of namespace creations is made by worker threads while the caller goes on (each
  // collected when needed); a group of deletions is deleted side by side at once.
  void start_independent(std::span<const model::Action> actions) override;
  model::ActionOutcome collect_started(size_t k) override;
  Result<void> finish() override;

  // Mutating netlink requests and syscalls sent so far (a converged re-apply sends none).
  int mutating_requests() const;

 private:
  struct Impl;
  explicit NetlinkKernel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nstopo::kernel
