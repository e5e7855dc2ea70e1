// Processes in a lab namespace that is being deleted, that are none of the lab's services: a
// shell from `ip netns exec` or `nstopo exec`, a service's escapee from an older nstopo. They
// would keep the namespace alive after its name is gone, and with it the host ends of its
// veths. The namespace is the lab's, so they are too: they are found (one scan of /proc) when
// the lab's namespaces about to be deleted are observed, named in the plan, and stopped with
// SIGTERM, then SIGKILL, each checked again to be the same process in the same namespace.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "services/service_manager.h"

namespace nstopo::services {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kKillWait{2'000};  // after SIGKILL, for the kernel to finish the job
constexpr milliseconds kPoll{20};

}  // namespace

std::map<std::string, std::vector<model::NamespaceProcess>> ServiceManager::processes_in(
    const std::set<std::string>& namespaces) {
  std::map<std::string, std::vector<model::NamespaceProcess>> found;
  std::unordered_map<uint64_t, std::string> by_inode;
  for (const auto& ns : namespaces)
    if (auto inode = spawner_.namespace_inode(options_.netns_dir, ns)) by_inode[*inode] = ns;
  if (by_inode.empty()) return found;

  auto all = spawner_.scan_processes();
  std::unordered_map<int, int> parent;
  for (const auto& p : all) parent[p.pid] = p.ppid;
  // Never nstopo itself or one of its parents (nstopo run from a shell inside the lab), nor a
  // recorded service's tree: those have stops of their own.
  std::unordered_set<int> excluded_roots;
  for (const auto& [key, record] : state_.services)
    if (record.pid > 1 && spawner_.status(record.pid, record.start_time).state ==
                              ProcessStatus::State::running)
      excluded_roots.insert(record.pid);
  std::unordered_set<int> ours_and_above{::getpid()};
  for (int pid = ::getppid(); pid > 0 && ours_and_above.insert(pid).second;) {
    auto it = parent.find(pid);
    pid = it == parent.end() ? 0 : it->second;
  }
  auto under_a_service = [&](int pid) {
    for (int hops = 0; pid > 1 && hops < 4096; ++hops) {
      if (excluded_roots.contains(pid)) return true;
      auto it = parent.find(pid);
      if (it == parent.end()) return false;
      pid = it->second;
    }
    return false;
  };

  for (const auto& p : all) {
    if (p.pid <= 1 || p.ended() || ours_and_above.contains(p.pid) || under_a_service(p.pid))
      continue;
    auto inode = spawner_.netns_inode_of(p.pid);
    if (!inode) continue;
    auto ns = by_inode.find(*inode);
    if (ns == by_inode.end()) continue;
    found[ns->second].push_back({p.pid, p.start_time, spawner_.command_line(p.pid)});
  }
  for (auto& [ns, list] : found) std::ranges::sort(list);
  return found;
}

Result<void> ServiceManager::stop_namespace_processes(const model::StopNamespaceProcesses& action) {
  auto inode = spawner_.namespace_inode(options_.netns_dir, action.ns);
  // Still the process observed, still in this namespace, still running: only then a signal.
  auto still_there = [&](const model::NamespaceProcess& p) {
    return inode && p.pid > 1 && p.pid != ::getpid() && p.pid != ::getppid() &&
           spawner_.status(p.pid, p.start_time).state == ProcessStatus::State::running &&
           spawner_.netns_inode_of(p.pid) == inode;
  };
  auto signal_all = [&](int sig) {
    std::vector<model::NamespaceProcess> signalled;
    for (const auto& p : action.processes)
      if (still_there(p) && spawner_.signal_process(p.pid, sig)) signalled.push_back(p);
    return signalled;
  };
  auto wait_for = [&](const std::vector<model::NamespaceProcess>& processes, milliseconds limit) {
    auto deadline = spawner_.now() + limit;
    for (;;) {
      bool any = std::ranges::any_of(processes, still_there);
      if (!any || spawner_.now() >= deadline) return any;
      spawner_.sleep_for(kPoll);
    }
  };

  if (!wait_for(signal_all(SIGTERM), action.grace)) return {};
  if (!wait_for(signal_all(SIGKILL), kKillWait)) return {};
  std::string left;
  for (const auto& p : action.processes)
    if (still_there(p)) left += fmt::format("{}{} ({})", left.empty() ? "" : ", ", p.pid, p.command);
  return fail(ErrorKind::service,
              fmt::format("processes in namespace {} survived SIGKILL: {}", action.ns, left),
              action.ns);
}

}  // namespace nstopo::services
