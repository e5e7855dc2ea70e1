#include "services/service_manager.h"

#include <signal.h>

#include <algorithm>

#include "model/interruption.h"
#include "services/proc.h"
#include "services/readiness.h"
#include "services/start_pool.h"
#include "services/supervisor_args.h"
#include "model/fault_points.h"

namespace nstopo::services {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kFirstPoll{20};
constexpr milliseconds kSettle{100};  // how long a service without a probe must stay up
constexpr milliseconds kLongestPoll{200};
constexpr milliseconds kLongestTcpAttempt{1'000};
constexpr milliseconds kAddressPoll{50};

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

ServiceManager::ServiceManager(ServiceOptions options, const state::StateStore& store,
                               state::LabState& state, Spawner& spawner)
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
  if (std::holds_alternative<model::StopService>(action.op))
    return std::move(stop_all(std::span(&action, 1)).front().result);
  if (const auto* sweep = std::get_if<model::StopNamespaceProcesses>(&action.op))
    return stop_namespace_processes(*sweep);
  return fail(ErrorKind::internal,
              fmt::format("the service manager was given a non-service action: {}",
                          action.describe()),
              action.object());
}

void ServiceManager::adopt_unrecorded() {
  for (auto& [key, record] : state_.services) {
    if (record.pid != 0 || record.token.empty()) continue;
    auto found = spawner_.find_supervisor(record.token);
    if (!found) continue;  // never started: the record is an intent only
    StopTarget candidate = target_of(record);
    candidate.pid = found->pid;
    if (!provably_ours(candidate)) continue;  // a token copied into another namespace's process
    record.pid = found->pid;
    record.start_time = found->start_time;
  }
}

std::vector<model::ObservedService> ServiceManager::observe() {
  adopt_unrecorded();
  std::vector<model::ObservedService> observed;
  for (const auto& [key, record] : state_.services) {
    auto status = spawner_.status(record.pid, record.start_time);
    // A record naming a process nstopo cannot prove it started (pid 1, a process in another
    // namespace: a tampered or stale record) is not running as far as the lab is concerned.
    bool running = status.state == ProcessStatus::State::running && provably_ours(target_of(record));
    model::ObservedService service{record, running, status.wait_status};
    observed.push_back(std::move(service));
  }
  return observed;
}

Result<void> ServiceManager::start(const model::StartService& action) {
  const model::Service& service = action.service;
  const std::string label = label_of(action.ns, service.name);
  const std::string key = state::LabState::service_key(action.ns, service.name);

  // Two copies of a service would fight over its port, and the first would be lost to us.
  if (auto earlier = recorded(key);
      earlier && spawner_.status(earlier->pid, earlier->start_time).state == ProcessStatus::State::running)
    return fail(ErrorKind::internal,
                fmt::format("service {} is already running as pid {}; it must be stopped first",
                            label, earlier->pid),
                label);

  if (auto settled = wait_for_settled_addresses(action.ns, label); !settled) return settled;

  const std::string log_path = store_.log_path(lab(), action.ns, service.name);
  auto log = open_service_log(store_.state_dir(), log_path, options_.max_log_bytes);
  if (!log) return std::unexpected(log.error());

  ProcessSpec spec = service_process_spec(options_.netns_dir, action.ns, service);
  // The intent first, with the supervisor's token and no pid: a run killed between the fork
  // and the record of the pid leaves a supervisor the next run finds by its token
  // (adopt_unrecorded), never an orphan nobody knows.
  state::ServiceRecord record{action.ns, service.name, 0, 0, service.spec_hash()};
  record.netns_inode = spawner_.namespace_inode(options_.netns_dir, action.ns).value_or(0);
  record.stop_grace = service.stop_grace;
  record.spec = service;
  record.token = new_supervisor_token();
  if (auto saved = record_and_save(key, record); !saved) {
    (void)record_and_save(key, std::nullopt);
    return std::unexpected(saved.error());
  }
  model::fault_point("service intent recorded, not started");
  SupervisedStart how{record.token, store_.state_dir(), log_path, options_.max_log_bytes,
                      service.stop_grace};
  auto started = spawner_.start(spec, how, log->get());
  log->reset();  // the supervisor holds its own copy
  if (!started) {
    (void)record_and_save(key, std::nullopt);
    return std::unexpected(started.error());
  }
  model::fault_point("service started, not recorded");

  // Recorded before the wait: if nstopo dies while waiting, the next run still knows the pid.
  record.pid = started->pid;
  record.start_time = started->start_time;
  auto saved = record_and_save(key, record);
  auto ready = saved ? wait_until_ready(spec, service, *started, log_path)
                     : Result<milliseconds>(std::unexpected(saved.error()));
  if (!ready) {
    // Leave nothing behind: a failed start is as if it had not happened.
    // (A process that survived even SIGKILL keeps its record, so that a later run retries.)
    auto stopped = terminate(target_of(record));
    (void)(stopped ? record_and_save(key, std::nullopt) : save());
    Error error = ready.error();
    if (!stopped) error.notes.push_back(stopped.error().describe());
    return std::unexpected(std::move(error));
  }
  if (options_.on_ready) {
    std::lock_guard one_at_a_time(on_ready_mutex_);
    options_.on_ready(action.ns, service.name, started->pid, *ready);
  }
  return {};
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
    // Without a probe, a service is ready once it has stayed up a moment: one that dies of
    // its own configuration at once then fails its start, with its exit status and log,
    // instead of being seen gone by the verify as "did not converge".
    if (service.ready.kind == model::ReadyProbe::Kind::none) {
      if (elapsed() >= kSettle) return elapsed();
      spawner_.sleep_for(std::min(pause, kSettle - elapsed()));
      pause = std::min(pause * 2, kLongestPoll);
      continue;
    }
    // A connect that hangs is retried after a second; an exec probe gets all the time left
    // (a health check that takes 2 s must not be killed at 1 s, again and again, until the
    // deadline).
    auto remaining = std::chrono::duration_cast<milliseconds>(deadline - spawner_.now());
    auto attempt = service.ready.kind == model::ReadyProbe::Kind::exec
                       ? std::max(remaining, milliseconds(1))
                       : std::clamp(remaining, milliseconds(1), kLongestTcpAttempt);
    if (spawner_.probe_once(spec, service.ready, process.pid, attempt)) return elapsed();
    if (model::interrupted())
      return interrupted_while(fmt::format("waiting for service {} to be ready", spec.label),
                               spec.label);
    if (spawner_.now() >= deadline) {
      auto failed = not_ready(fmt::format("service {} not ready after {} ({})", spec.label,
                                          format_duration(service.ready.timeout),
                                          describe_unready(service.ready)));
      // Who holds the port, if anyone: the first thing to look at when a server does listen.
      if (auto why = spawner_.explain_unready(spec, service.ready, process.pid); !why.empty())
        failed.error().notes.insert(failed.error().notes.begin(), std::move(why));
      return failed;
    }
    remaining = std::chrono::duration_cast<milliseconds>(deadline - spawner_.now());
    spawner_.sleep_for(std::clamp(remaining, milliseconds(1), pause));
    pause = std::min(pause * 2, kLongestPoll);
  }
}

Result<void> ServiceManager::record_and_save(const std::string& key,
                                             std::optional<state::ServiceRecord> record) {
  std::lock_guard records(records_mutex_);
  if (record)
    state_.services[key] = std::move(*record);
  else
    state_.services.erase(key);
  return store_.save(state_);
}

std::optional<state::ServiceRecord> ServiceManager::recorded(const std::string& key) {
  std::lock_guard records(records_mutex_);
  auto it = state_.services.find(key);
  if (it == state_.services.end()) return std::nullopt;
  return it->second;
}

Result<void> ServiceManager::save() {
  std::lock_guard records(records_mutex_);
  return store_.save(state_);
}

}  // namespace nstopo::services
