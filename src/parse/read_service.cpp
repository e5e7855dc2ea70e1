// Services: processes nstopo starts inside a namespace, with an optional readiness probe.
#include <fmt/format.h>

#include "parse/addresses.h"
#include "parse/names.h"
#include "parse/reader.h"
#include "parse/values.h"

namespace nstopo::parse {
namespace {

// "python3 -m http.server" -> "[python3, -m, http.server]", for a hint.
std::string as_flow_list(std::string_view command) {
  std::string out;
  size_t start = 0;
  while (start < command.size()) {
    size_t end = command.find(' ', start);
    if (end == std::string_view::npos) end = command.size();
    if (end > start)
      out += fmt::format("{}{}", out.empty() ? "" : ", ", command.substr(start, end - start));
    start = end + 1;
  }
  return "[" + out + "]";
}

}  // namespace

// An argv list: `command` or `ready.exec`. Every item a scalar, at least one, the first not
// empty. Numbers keep their spelling ("4000").
std::optional<std::vector<std::string>> read_argv(const Entry& entry, std::string_view owner,
                                                  Reporter& reporter) {
  if (entry.value->is_scalar()) {
    reporter.error(entry.value_at,
                   fmt::format("'{}' must be a list of arguments (nstopo runs no shell), not {}",
                               entry.key, describe(*entry.value)),
                   entry.value->text.empty()
                       ? std::string()
                       : fmt::format("write {}", as_flow_list(entry.value->text)));
    return std::nullopt;
  }
  auto items = list_items(entry, reporter, fmt::format("'{}'", entry.key));
  if (!items) return std::nullopt;
  if (items->empty()) {
    reporter.error(
        entry.value_at,
        fmt::format("'{}' of {} is empty; give the program and its arguments", entry.key, owner),
        "e.g. [python3, -m, http.server, \"4000\"]");
    return std::nullopt;
  }
  std::vector<std::string> argv;
  bool ok = true;
  for (size_t i = 0; i < items->size(); ++i) {
    const Entry& item = (*items)[i];
    if (item.is_null()) {
      reporter.error(item.value_at,
                     fmt::format("argument {} of '{}' has no value", i + 1, entry.key),
                     "write \"\" for an empty argument");
      ok = false;
    } else if (!item.value->is_scalar()) {
      reporter.error(item.value_at, fmt::format("argument {} of '{}' must be a string, not {}",
                                                i + 1, entry.key, describe(*item.value)));
      ok = false;
    } else if (i == 0 && item.value->text.empty()) {
      reporter.error(item.value_at,
                     fmt::format("the program (the first item of '{}') is empty", entry.key));
      ok = false;
    } else if (item.value->text.find('\0') != std::string::npos) {
      // execve(2) takes C strings: the argument would end at the NUL, silently.
      reporter.error(item.value_at,
                     fmt::format("argument {} of '{}' of {} contains a NUL byte (\\0), which no "
                                 "program can be given",
                                 i + 1, entry.key, owner));
      ok = false;
    } else {
      argv.push_back(item.value->text);
    }
  }
  if (!ok) return std::nullopt;
  return argv;
}

std::optional<std::chrono::milliseconds> read_duration(const Entry& entry, Reporter& reporter) {
  auto text = read_text(entry, reporter);
  if (!text) return std::nullopt;
  auto duration = parse_duration(*text, entry.key);
  if (!duration) {
    reporter.error(entry.value_at, duration.error());
    return std::nullopt;
  }
  return *duration;
}

namespace {


void read_ready(const Entry& entry, const std::string& owner, model::ReadyProbe& probe,
                Reporter& reporter) {
  Fields fields(entry, reporter, {"tcp", "address", "exec", "timeout"}, "'ready'",
                "in 'ready' of " + owner);
  if (!fields.is_map()) return;
  const Entry* tcp = fields.get("tcp");
  const Entry* exec = fields.get("exec");
  if (tcp && exec) {
    reporter.error(exec->key_at,
                   "'ready' has both 'tcp' and 'exec'; a service has one "
                   "readiness probe");
  } else if (tcp) {
    if (auto port = read_integer(*tcp, reporter, 1, 65535, "tcp port")) {
      probe.kind = model::ReadyProbe::Kind::tcp;
      probe.port = static_cast<uint16_t>(*port);
    }
  } else if (exec) {
    if (auto argv = read_argv(*exec, "'ready' of " + owner, reporter)) {
      probe.kind = model::ReadyProbe::Kind::exec;
      probe.argv = std::move(*argv);
    }
  } else if (!fields.misspelt("tcp") && !fields.misspelt("exec")) {
    reporter.error(fields.where(), "'ready' needs a probe: 'tcp: PORT' or 'exec: [ARGV...]'");
  }
  if (const Entry* address = fields.get("address")) {
    if (!tcp) {
      reporter.error(address->key_at,
                     fmt::format("'address' in 'ready' of {} belongs to a tcp probe", owner),
                     "write ready: {tcp: PORT, address: ADDR}");
    } else if (auto text = read_text(*address, reporter)) {
      if (auto parsed = parse_probe_address(*text, owner)) {
        probe.address = *parsed;
        probe.address_where = address->value_at;
      } else {
        reporter.error(address->value_at, parsed.error().message, parsed.error().hint);
      }
    }
  }
  if (auto* field = fields.get("timeout")) {
    if (auto timeout = read_duration(*field, reporter)) probe.timeout = *timeout;
  }
}

void read_env(const Entry& entry, const std::string& owner, model::Service& service,
              Reporter& reporter) {
  auto duplicate = [&owner](const std::string& name, int first_line) {
    return fmt::format("environment variable '{}' is set twice in {} (first at line {})", name,
                       owner, first_line);
  };
  auto entries = map_entries(entry, reporter, "'env'", duplicate);
  if (!entries) return;
  for (const auto& variable : *entries) {
    if (auto problem = env_name_problem(variable.key)) {
      reporter.error(variable.key_at, problem->message, problem->hint);
      continue;
    }
    if (variable.is_null()) {
      reporter.error(variable.value_at,
                     fmt::format("environment variable '{}' has no value", variable.key),
                     fmt::format("write {}: \"\" for an empty value", variable.key));
      continue;
    }
    if (!variable.value->is_scalar()) {
      reporter.error(variable.value_at,
                     fmt::format("environment variable '{}' must be a string, not {}", variable.key,
                                 describe(*variable.value)));
      continue;
    }
    if (variable.value->text.find('\0') != std::string::npos) {
      reporter.error(variable.value_at,
                     fmt::format("environment variable '{}' of {} contains a NUL byte (\\0), "
                                 "which no environment can hold",
                                 variable.key, owner));
      continue;
    }
    service.env.emplace(variable.key, variable.value->text);
  }
}

model::Service read_service(const Entry& entry, const NamespaceDecl& ns, Reporter& reporter) {
  model::Service service{.name = entry.key, .where = entry.key_at};
  if (auto problem = service_name_problem(entry.key))
    reporter.error(entry.key_at, problem->message, problem->hint);
  auto owner = fmt::format("service '{}' of {}", entry.key, namespace_label(ns));
  Fields fields(entry, reporter, {"command", "env", "cwd", "user", "ready", "stop_timeout"}, owner,
                "in " + owner);
  if (auto* field = fields.require("command", "e.g. command: [python3, -m, http.server]")) {
    if (auto argv = read_argv(*field, owner, reporter)) service.command = std::move(*argv);
  }
  if (auto* field = fields.get("env")) read_env(*field, owner, service, reporter);
  if (auto* field = fields.get("cwd")) {
    if (auto cwd = read_text(*field, reporter)) {
      if (!cwd->starts_with('/'))
        reporter.error(field->value_at, fmt::format("cwd '{}' must be an absolute path", *cwd));
      else
        service.cwd = *cwd;
    }
  }
  if (auto* field = fields.get("user")) {
    if (auto user = read_text(*field, reporter)) {
      if (auto problem = user_problem(*user))
        reporter.error(field->value_at, problem->message, problem->hint);
      else
        service.user = *user;
    }
  }
  if (auto* field = fields.get("ready")) read_ready(*field, owner, service.ready, reporter);
  if (auto* field = fields.get("stop_timeout")) {
    if (auto grace = read_duration(*field, reporter)) service.stop_grace = *grace;
  }
  return service;
}

}  // namespace

void read_services(const Entry& entry, NamespaceDecl& ns, Reporter& reporter) {
  auto label = namespace_label(ns);
  auto duplicate = [&label](const std::string& name, int first_line) {
    return fmt::format("service '{}' is declared twice in {} (first at line {})", name, label,
                       first_line);
  };
  auto entries = map_entries(entry, reporter, "'services'", duplicate);
  if (!entries) return;
  for (const auto& service_entry : *entries)
    ns.services.emplace(service_entry.key, read_service(service_entry, ns, reporter));
}

}  // namespace nstopo::parse
