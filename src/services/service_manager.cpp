#include "services/service_manager.h"

#include <signal.h>

#include <algorithm>

#include "model/interruption.h"
#include "services/proc.h"
#include "services/readiness.h"

namespace nstopo::services {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kFirstPoll{20};
constexpr milliseconds kLongestPoll{200};
constexpr milliseconds kLongestProbeAttempt{1'000};
constexpr milliseconds kAddressPoll{50};
constexpr milliseconds kKillWait{2'000};  // after SIGKILL, for the kernel to finish the job

// A first SIGINT/SIGTERM ends a wait at its next poll; run_plan then undoes the run.
std::unexpected<Error> interrupted_while(const std::string& doing, const std::string& label) {
  return fail(ErrorKind::interrupted,
              fmt::format("interrupted by {} while {}",
                          model::signal_name(model::interruption_signal()), doing),
              label);
}

std::string label_of(const std::string& ns, const std::string& name) {
  return fmt::format("{}/{}", ns, name);
}

// "last lines of PATH:\n  ...", the note on errors about a service that did not come up.
std::string log_excerpt(const std::string& path) {
  std::string tail = log_tail(path);
  if (tail.empty()) return fmt::format("(its log {} is empty)", path);
  std::string text = fmt::format("last lines of {}:", path);
  size_t pos = 0;
  while (pos <= tail.size()) {
    size_t end = tail.find('\n', pos);
    if (end == std::string::npos) end = tail.size();
    text += "\n  " + tail.substr(pos, end - pos);
    pos = end + 1;
  }
  return text;
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

}  // namespace

ServiceManager::ServiceManager(ServiceOptions options, const kernel::StateStore& store,
                               kernel::LabState& state, Spawner& spawner)
    : options_(std::move(options)),
      store_(store),
      state_(state),
      spawner_(spawner) {}

const std::string& ServiceManager::lab() const {
  return options_.lab.empty() ? state_.lab : options_.lab;
}

Result<void> ServiceManager::execute(const model::Action& action) {
  if (const auto* start_action = std::get_if<model::StartService>(&action.op))
    return start(*start_action);
  if (const auto* stop_action = std::get_if<model::StopService>(&action.op))
    return stop(*stop_action);
  return fail(ErrorKind::internal,
              fmt::format("the service manager was given a non-service action: {}",
                          action.describe()),
              action.object());
}

std::vector<model::ObservedService> ServiceManager::observe() const {
  std::vector<model::ObservedService> observed;
  for (const auto& [key, record] : state_.services) {
    bool running =
        spawner_.status(record.pid, record.start_time).state == ProcessStatus::State::running;
    observed.push_back({record.ns, record.name, record.pid, record.start_time, record.spec_hash,
                        running});
  }
  return observed;
}

Result<void> ServiceManager::start(const model::StartService& action) {
  const model::Service& service = action.service;
  const std::string label = label_of(action.ns, service.name);
  const std::string key = kernel::LabState::service_key(action.ns, service.name);

  // Two copies of a service would fight over its port, and the first would be lost to us.
  if (auto it = state_.services.find(key); it != state_.services.end() &&
      spawner_.status(it->second.pid, it->second.start_time).state == ProcessStatus::State::running)
    return fail(ErrorKind::internal,
                fmt::format("service {} is already running as pid {}; it must be stopped first",
                            label, it->second.pid),
                label);

  if (auto settled = wait_for_settled_addresses(action.ns, label); !settled) return settled;

  const std::string log_path = store_.log_path(lab(), action.ns, service.name);
  auto log = open_service_log(store_.state_dir(), log_path, options_.max_log_bytes);
  if (!log) return std::unexpected(log.error());

  ProcessSpec spec = service_process_spec(options_.netns_dir, action.ns, service);
  auto started = spawner_.start(spec, log->get());
  log->reset();  // the service holds its own copy
  if (!started) return std::unexpected(started.error());

  // Recorded before the wait: if nstopo dies while waiting, the next run still knows the pid.
  state_.services[key] = kernel::ServiceRecord{action.ns, service.name, started->pid,
                                               started->start_time, service.spec_hash()};
  auto saved = save();
  auto ready = saved ? wait_until_ready(spec, service, *started, log_path)
                     : Result<milliseconds>(std::unexpected(saved.error()));
  if (!ready) {
    // Leave nothing behind: a failed start is as if it had not happened.
    // (A process that survived even SIGKILL keeps its record, so that a later run retries.)
    auto stopped = terminate(started->pid, started->start_time, service.stop_grace, label);
    if (stopped) state_.services.erase(key);
    (void)save();
    Error error = ready.error();
    if (!stopped) error.notes.push_back(stopped.error().describe());
    return std::unexpected(std::move(error));
  }
  if (options_.on_ready) options_.on_ready(action.ns, service.name, started->pid, *ready);
  return {};
}

Result<void> ServiceManager::stop(const model::StopService& action) {
  const std::string label = label_of(action.ns, action.name);
  const std::string key = kernel::LabState::service_key(action.ns, action.name);
  auto it = state_.services.find(key);
  int pid = action.pid;
  uint64_t start_time = action.start_time;
  if (pid == 0) {  // "whatever the state records": the undo of a start
    if (it == state_.services.end()) return {};
    pid = it->second.pid;
    start_time = it->second.start_time;
  }
  if (auto stopped = terminate(pid, start_time, action.grace, label); !stopped) return stopped;
  if (it != state_.services.end() && it->second.pid == pid && it->second.start_time == start_time)
    state_.services.erase(it);
  return save();
}

Result<void> ServiceManager::wait_for_settled_addresses(const std::string& ns,
                                                        const std::string& label) {
  auto deadline = spawner_.now() + options_.dad_wait;
  for (;;) {
    auto tentative = spawner_.tentative_addresses(options_.netns_dir, ns);
    if (!tentative) {
      Error error = tentative.error();
      error.message = fmt::format("cannot start service {}: {}", label, error.message);
      return std::unexpected(std::move(error));
    }
    if (tentative->empty()) return {};
    if (model::interrupted())
      return interrupted_while(fmt::format("starting service {}", label), label);
    if (spawner_.now() >= deadline)
      return fail(ErrorKind::service,
                  fmt::format("service {} not started: IPv6 addresses of namespace {} still "
                              "tentative after {} (duplicate address detection): {}",
                              label, ns, format_duration(options_.dad_wait), joined(*tentative)),
                  label);
    spawner_.sleep_for(kAddressPoll);
  }
}

Result<milliseconds> ServiceManager::wait_until_ready(const ProcessSpec& spec,
                                                      const model::Service& service,
                                                      const StartedProcess& process,
                                                      const std::string& log_path) {
  const auto begin = spawner_.now();
  const auto deadline = begin + service.ready.timeout;
  auto elapsed = [&] { return std::chrono::duration_cast<milliseconds>(spawner_.now() - begin); };
  auto not_ready = [&](std::string message) {
    Error error{ErrorKind::service, std::move(message), spec.label};
    error.notes.push_back(log_excerpt(log_path));
    return std::unexpected(std::move(error));
  };
  milliseconds pause = kFirstPoll;
  for (;;) {
    auto status = spawner_.status(process.pid, process.start_time);
    if (status.state != ProcessStatus::State::running)
      return not_ready(fmt::format("service {} {} before it was ready", spec.label,
                                   status.wait_status ? describe_wait_status(*status.wait_status)
                                                      : std::string("ended")));
    if (service.ready.kind == model::ReadyProbe::Kind::none) return elapsed();
    auto remaining = std::chrono::duration_cast<milliseconds>(deadline - spawner_.now());
    auto attempt = std::clamp(remaining, milliseconds(1), kLongestProbeAttempt);
    if (spawner_.probe_once(spec, service.ready, attempt)) return elapsed();
    if (model::interrupted())
      return interrupted_while(fmt::format("waiting for service {} to be ready", spec.label),
                               spec.label);
    if (spawner_.now() >= deadline)
      return not_ready(fmt::format("service {} not ready after {} ({})", spec.label,
                                   format_duration(service.ready.timeout),
                                   describe_unready(service.ready)));
    remaining = std::chrono::duration_cast<milliseconds>(deadline - spawner_.now());
    spawner_.sleep_for(std::clamp(remaining, milliseconds(1), pause));
    pause = std::min(pause * 2, kLongestPoll);
  }
}

Result<void> ServiceManager::terminate(int pid, uint64_t start_time, milliseconds grace,
                                       const std::string& label) {
  // The group's id is the service's pid (it is its session leader). A pid that now belongs
  // to another process means ours is long gone, and so is its group: nothing to signal.
  if (pid <= 0 || spawner_.status(pid, start_time).state == ProcessStatus::State::reused) return {};
  if (spawner_.group_alive(pid, start_time)) {
    if (auto sent = spawner_.signal_group(pid, SIGTERM); !sent) return sent;
    if (!wait_group_gone(pid, start_time, grace)) {
      if (auto sent = spawner_.signal_group(pid, SIGKILL); !sent) return sent;
      if (!wait_group_gone(pid, start_time, kKillWait)) {
        spawner_.release(pid);
        return fail(ErrorKind::service,
                    fmt::format("processes of service {} (process group {}) survived SIGKILL",
                                label, pid),
                    label);
      }
    }
  }
  spawner_.release(pid);
  return {};
}

bool ServiceManager::wait_group_gone(int pgid, uint64_t start_time, milliseconds limit) {
  auto deadline = spawner_.now() + limit;
  milliseconds pause{10};
  while (spawner_.group_alive(pgid, start_time)) {
    if (spawner_.now() >= deadline) return false;
    spawner_.sleep_for(pause);
    pause = std::min(pause * 2, milliseconds(100));
  }
  return true;
}

Result<void> ServiceManager::save() { return store_.save(state_); }

}  // namespace nstopo::services
