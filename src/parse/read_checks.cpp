// Checks (`checks:`): a list of probes, each one kind (ping, tcp, http, exec, route) with the
// settings every kind shares (name, expect, timeout, retries) beside it:
//   - name: web
//     http: {from: host, url: http://10.0.0.11:4000/, contains: "Directory listing"}
//     retries: 3
#include <fmt/format.h>

#include "parse/check_values.h"
#include "parse/names.h"
#include "parse/reader.h"

namespace nstopo::parse {
namespace {

constexpr std::string_view kKinds[] = {"ping", "tcp", "http", "exec", "route"};
constexpr int kMaxRetries = 100;
constexpr int kMaxPingCount = 100;

// The namespace a check runs in (`from` or `in`): its position is kept for the resolver.
std::optional<std::string> read_namespace_name(const Entry& field, CheckDecl& decl,
                                               Reporter& reporter) {
  auto name = read_text(field, reporter);
  if (!name) return std::nullopt;
  if (name->empty()) {
    reporter.error(field.value_at, fmt::format("'{}' names no namespace", field.key),
                   "give a declared namespace or 'host'");
    return std::nullopt;
  }
  decl.ns_where = field.value_at;
  return name;
}

std::optional<model::IpAddress> read_address(const Entry& field, std::string_view what,
                                             Reporter& reporter) {
  auto text = read_text(field, reporter);
  if (!text) return std::nullopt;
  auto address = parse_check_address(*text, what);
  if (!address) {
    reporter.error(field.value_at, address.error().message, address.error().hint);
    return std::nullopt;
  }
  return *address;
}

std::optional<uint16_t> read_port(const Entry& field, Reporter& reporter) {
  auto port = read_integer(field, reporter, 1, 65535, "port");
  if (!port) return std::nullopt;
  return static_cast<uint16_t>(*port);
}

// The settings map of one kind; `timeout` may stand inside it too (ping {..., timeout: 1s}).
struct Body {
  Fields fields;
  std::optional<std::chrono::milliseconds> timeout;
};

bool read_ping(const Entry& entry, CheckDecl& decl, Body& body, Reporter& reporter) {
  model::PingCheck ping;
  bool ok = true;
  if (auto* f = body.fields.require("from", "e.g. from: host")) {
    if (auto ns = read_namespace_name(*f, decl, reporter)) ping.from = *ns; else ok = false;
  } else ok = false;
  if (auto* f = body.fields.require("to", "an address or NAMESPACE:INTERFACE")) {
    if (auto text = read_text(*f, reporter)) {
      ping.to_text = *text;
      decl.to_where = f->value_at;
      auto colon = text->find(':');
      if (!model::IpAddress::parse(*text) && is_node_name(*text)) {
        decl.to_node = *text;
      } else if (model::IpAddress::parse(*text) || colon == std::string::npos || colon == 0 ||
          colon + 1 == text->size()) {
        if (auto address = read_address(*f, "'to' of a ping check", reporter))
          ping.targets = {*address};
        else
          ok = false;
      } else {
        decl.ping_endpoint = model::Endpoint{text->substr(0, colon), text->substr(colon + 1)};
      }
    } else ok = false;
  } else ok = false;
  if (auto* f = body.fields.get("count")) {
    if (auto count = read_integer(*f, reporter, 1, kMaxPingCount, "count"))
      ping.count = static_cast<int>(*count);
    else
      ok = false;
  }
  (void)entry;
  decl.check.probe = std::move(ping);
  return ok;
}

bool read_tcp(CheckDecl& decl, Body& body, Reporter& reporter) {
  model::TcpCheck tcp;
  bool ok = true;
  if (auto* f = body.fields.require("from", "e.g. from: host")) {
    if (auto ns = read_namespace_name(*f, decl, reporter)) tcp.from = *ns; else ok = false;
  } else ok = false;
  if (auto* f = body.fields.require("to", "the address to connect to")) {
    decl.to_where = f->value_at;
    if (auto text = f->value->is_scalar() ? std::optional(f->value->text) : std::nullopt;
        text && !model::IpAddress::parse(*text) && is_node_name(*text))
      decl.to_node = *text;
    else if (auto address = read_address(*f, "'to' of a tcp check", reporter)) tcp.to = *address;
    else ok = false;
  } else ok = false;
  if (auto* f = body.fields.require("port", "e.g. port: 80")) {
    if (auto port = read_port(*f, reporter)) tcp.port = *port; else ok = false;
  } else ok = false;
  decl.check.probe = std::move(tcp);
  return ok;
}

bool read_http(CheckDecl& decl, Body& body, Reporter& reporter) {
  model::HttpCheck http;
  bool ok = true;
  if (auto* f = body.fields.require("from", "e.g. from: host")) {
    if (auto ns = read_namespace_name(*f, decl, reporter)) http.from = *ns; else ok = false;
  } else ok = false;
  if (auto* f = body.fields.require("url", "e.g. url: http://10.0.0.11:4000/")) {
    if (auto text = read_text(*f, reporter)) {
      if (auto url = parse_http_url(*text)) {
        http.url = *text;
        http.host = url->host;
        if (!url->host_name.empty()) {
          decl.to_node = url->host_name;
          decl.to_where = f->value_at;
          http.host_name = url->host_name;
        }
        http.port = url->port;
        http.path = url->path;
      } else {
        reporter.error(f->value_at, url.error().message, url.error().hint);
        ok = false;
      }
    } else ok = false;
  } else ok = false;
  if (auto* f = body.fields.get("status")) {
    if (auto status = read_integer(*f, reporter, 100, 599, "status"))
      http.status = static_cast<int>(*status);
    else
      ok = false;
  }
  if (auto* f = body.fields.get("contains")) {
    if (auto text = read_text(*f, reporter)) http.contains = *text; else ok = false;
  }
  decl.check.probe = std::move(http);
  return ok;
}

bool read_exec(CheckDecl& decl, Body& body, Reporter& reporter) {
  model::ExecCheck exec;
  bool ok = true;
  if (auto* f = body.fields.require("in", "e.g. in: ns1")) {
    if (auto ns = read_namespace_name(*f, decl, reporter)) exec.in = *ns; else ok = false;
  } else ok = false;
  if (auto* f = body.fields.require("command", "e.g. command: [cat, /etc/hostname]")) {
    if (auto argv = read_argv(*f, "an exec check", reporter)) exec.command = std::move(*argv);
    else ok = false;
  } else ok = false;
  if (auto* f = body.fields.get("exit")) {
    if (auto code = read_integer(*f, reporter, 0, 255, "exit")) exec.exit = static_cast<int>(*code);
    else ok = false;
  }
  if (auto* f = body.fields.get("stdout_contains")) {
    if (auto text = read_text(*f, reporter)) exec.stdout_contains = *text; else ok = false;
  }
  decl.check.probe = std::move(exec);
  return ok;
}

bool read_route(CheckDecl& decl, Body& body, Reporter& reporter) {
  model::RouteCheck route;
  bool ok = true;
  if (auto* f = body.fields.require("in", "e.g. in: ns1")) {
    if (auto ns = read_namespace_name(*f, decl, reporter)) route.in = *ns; else ok = false;
  } else ok = false;
  if (auto* f = body.fields.require("to", "the address to look up")) {
    if (auto address = read_address(*f, "'to' of a route check", reporter)) route.to = *address;
    else ok = false;
  } else ok = false;
  const Entry* via = body.fields.get("via");
  const Entry* dev = body.fields.get("dev");
  if (via) {
    if (auto text = read_text(*via, reporter)) {
      if (auto address = model::IpAddress::parse(*text)) route.via = *address;
      else {
        reporter.error(via->value_at,
                       fmt::format("invalid gateway '{}' in a route check: expected an IPv4 or "
                                   "IPv6 address",
                                   *text));
        ok = false;
      }
    } else ok = false;
  }
  if (dev) {
    if (auto name = read_text(*dev, reporter)) {
      // "lo" is refused as a declared interface (every namespace has it), not as a device.
      if (auto problem = *name == "lo" ? std::nullopt : interface_name_problem(*name)) {
        reporter.error(dev->value_at, problem->message, problem->hint);
        ok = false;
      } else {
        route.dev = *name;
        decl.dev_where = dev->value_at;
      }
    } else ok = false;
  }
  if (!via && !dev && !body.fields.misspelt("via") && !body.fields.misspelt("dev")) {
    reporter.error(body.fields.where(), "a route check needs 'via: GATEWAY' or 'dev: INTERFACE' "
                                        "(or both): what the lookup must say");
    ok = false;
  }
  decl.check.probe = std::move(route);
  return ok;
}

// The settings map of one kind (the lists are literals: Fields takes an initializer_list).
Fields probe_fields(const Entry& entry, Reporter& reporter, const std::string& subject) {
  std::string context = "in " + subject;
  if (entry.key == "ping")
    return Fields(entry, reporter, {"from", "to", "count", "timeout"}, subject, context);
  if (entry.key == "tcp")
    return Fields(entry, reporter, {"from", "to", "port", "timeout"}, subject, context);
  if (entry.key == "http")
    return Fields(entry, reporter, {"from", "url", "status", "contains", "timeout"}, subject,
                  context);
  if (entry.key == "exec")
    return Fields(entry, reporter, {"in", "command", "exit", "stdout_contains", "timeout"},
                  subject, context);
  return Fields(entry, reporter, {"in", "to", "via", "dev", "timeout"}, subject, context);
}

bool read_probe(const Entry& entry, CheckDecl& decl, Reporter& reporter) {
  std::string subject = fmt::format("a {} check", entry.key);
  Body body{probe_fields(entry, reporter, subject), {}};
  if (!body.fields.is_map()) return false;
  bool ok = true;
  if (auto* f = body.fields.get("timeout")) {
    if (auto timeout = read_duration(*f, reporter)) decl.check.timeout = *timeout;
    else ok = false;
  }
  if (entry.key == "ping") return read_ping(entry, decl, body, reporter) && ok;
  if (entry.key == "tcp") return read_tcp(decl, body, reporter) && ok;
  if (entry.key == "http") return read_http(decl, body, reporter) && ok;
  if (entry.key == "exec") return read_exec(decl, body, reporter) && ok;
  return read_route(decl, body, reporter) && ok;
}

void read_check(const Entry& item, Declarations& declarations, Reporter& reporter) {
  Fields fields(item, reporter, {"name", "expect", "timeout", "retries", "ping", "tcp", "http",
                                 "exec", "route"},
                "a check", "in a check");
  if (!fields.is_map()) return;
  CheckDecl decl{.where = item.value_at};
  decl.check.line = item.value_at.line;
  bool ok = true;
  const Entry* probe = nullptr;
  for (std::string_view kind : kKinds) {
    const Entry* entry = fields.get(kind);
    if (!entry) continue;
    if (probe) {
      reporter.error(entry->key_at, fmt::format("a check has one kind; this one has both '{}' "
                                                "and '{}'",
                                                probe->key, kind),
                     "write a second check");
      ok = false;
      continue;
    }
    probe = entry;
  }
  if (!probe) {
    bool misspelt = false;
    for (std::string_view kind : kKinds) misspelt = misspelt || fields.misspelt(kind);
    if (!misspelt)
      reporter.error(item.value_at, "a check needs one of 'ping', 'tcp', 'http', 'exec' or 'route'",
                     "e.g. - ping: {from: host, to: 10.0.0.11}");
    return;
  }
  if (auto* f = fields.get("name")) {
    if (auto name = read_text(*f, reporter)) {
      if (auto problem = check_name_problem(*name)) {
        reporter.error(f->value_at, problem->message, problem->hint);
        ok = false;
      } else {
        decl.check.name = *name;
        decl.named = true;
        decl.name_where = f->value_at;
      }
    } else ok = false;
  }
  if (auto* f = fields.get("expect")) {
    if (auto text = read_text(*f, reporter)) {
      if (*text == "succeed") decl.check.expect = model::CheckExpectation::succeed;
      else if (*text == "fail") decl.check.expect = model::CheckExpectation::fail;
      else {
        reporter.error(f->value_at,
                       fmt::format("expect '{}' must be 'succeed' or 'fail'", *text));
        ok = false;
      }
    } else ok = false;
  }
  if (auto* f = fields.get("retries")) {
    if (auto retries = read_integer(*f, reporter, 0, kMaxRetries, "retries"))
      decl.check.retries = static_cast<int>(*retries);
    else ok = false;
  }
  const Entry* outer_timeout = fields.get("timeout");
  if (outer_timeout) {
    if (auto timeout = read_duration(*outer_timeout, reporter)) decl.check.timeout = *timeout;
    else ok = false;
  }
  auto before = decl.check.timeout;
  ok = read_probe(*probe, decl, reporter) && ok;
  if (outer_timeout && decl.check.timeout != before) {
    reporter.error(outer_timeout->key_at,
                   fmt::format("the check gives 'timeout' twice, beside '{}' and inside it",
                               probe->key),
                   "keep one");
    ok = false;
  }
  if (ok) declarations.checks.push_back(std::move(decl));
}

}  // namespace

void read_checks(const Entry& entry, Declarations& declarations, Reporter& reporter) {
  auto items = list_items(entry, reporter, "'checks'");
  if (!items) return;
  declarations.checks.reserve(items->size());
  for (const auto& item : *items) read_check(item, declarations, reporter);
}

}  // namespace nstopo::parse
