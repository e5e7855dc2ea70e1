#include "model/action.h"

namespace nstopo::model {

// pid 0: the service executor stops whatever the state records for ns/name.
std::optional<Operation> StartService::inverse() const {
  return StopService{ns, service.name, 0, 0, service.stop_grace};
}

std::string StopService::describe() const {
  // pid 0 is the undo of a start: whatever the record holds, the process just started.
  if (pid == 0) return fmt::format("service {}/{} (the one just started)", ns, name);
  return fmt::format("service {}/{} (pid {})", ns, name, pid);
}
std::optional<Operation> StopService::inverse() const {
  if (!restart) return std::nullopt;  // an old record without its spec
  return StartService{ns, *restart};
}

std::string StopNamespaceProcesses::describe() const {
  std::string text = fmt::format("processes in namespace {}:", ns);
  for (size_t i = 0; i < processes.size(); ++i)
    text += fmt::format("{} {} ({})", i ? "," : "", processes[i].pid, processes[i].command);
  return text;
}
std::optional<Operation> StopNamespaceProcesses::inverse() const { return std::nullopt; }

}  // namespace nstopo::model
