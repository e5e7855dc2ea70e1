#include "apply/status.h"

namespace nstopo::apply {

Result<StatusSnapshot> snapshot(const model::Topology& desired, Lab& lab) {
  auto observed = lab.observer().observe(plan::observe_request(desired, lab.recorded_namespaces()));
  if (!observed) return std::unexpected(observed.error());
  StatusSnapshot seen{.observed = std::move(*observed)};
  seen.entries = plan::status(desired, seen.observed);
  seen.totals = plan::totals(seen.entries);
  return seen;
}

Result<std::vector<plan::StatusEntry>> live_states(const model::Topology& desired, LabStore& labs) {
  auto lab = labs.open_unlocked(desired.name);
  if (!lab) return std::unexpected(lab.error());
  auto seen = snapshot(desired, **lab);
  if (!seen) return std::unexpected(seen.error());
  return std::move(seen->entries);
}

Result<plan::StatusTotals> status(const StatusRequest& request, LabStore& labs, Reporter& reporter) {
  const auto& desired = request.desired;
  reporter.begin({.mode = Mode::status, .lab = desired.name, .file = request.file});
  auto failed = [&](Error error) -> Result<plan::StatusTotals> {
    reporter.failed(error);
    return std::unexpected(std::move(error));
  };
  auto lab = labs.open_unlocked(desired.name);
  if (!lab) return failed(lab.error());
  auto seen = snapshot(desired, **lab);
  if (!seen) return failed(seen.error());
  const auto* observed = &seen->observed;
  const auto& entries = seen->entries;

  reporter.status_begin();
  for (auto& e : entries) {
    StatusObject object{.entry = e};
    if (e.kind == "service") {
      const auto* ns = desired.find_namespace(e.key.ns);
      const auto& service = ns->services.at(e.key.name);
      for (auto& s : observed->services)
        if (s.ns == ns->name && s.name == service.name) object.service = &s;
      if (object.service && object.service->running)
        object.live = (*lab)->probe_service(*ns, service, *object.service);
    }
    reporter.status_object(object);
  }
  reporter.status_summary(seen->totals);
  return seen->totals;
}

}  // namespace nstopo::apply
