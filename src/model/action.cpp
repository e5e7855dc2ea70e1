#include "model/action.h"

#include "model/observed.h"

namespace nstopo::model {

namespace {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};

std::string at(std::string_view ns, std::string_view name) { return fmt::format("{}:{}", ns, name); }

std::string optional_text(const std::optional<std::string>& v) {
  return v && !v->empty() ? *v : std::string("none");
}

}  // namespace

std::string RouteSpec::to_string() const {
  std::string text = to.is_default() ? std::string("default") : to.to_string();
  if (to.is_default() && to.family() == Family::inet6) text = "default (IPv6)";
  if (via) text += " via " + via->to_string();
  if (dev) text += " dev " + *dev;
  if (metric) text += fmt::format(" metric {}", metric);
  return text;
}

Change Action::change() const {
  return std::visit(
      overloaded{
          [](const CreateNamespace&) { return Change::create; },
          [](const CreateVeth&) { return Change::create; },
          [](const CreateBridge&) { return Change::create; },
          [](const AddAddress&) { return Change::create; },
          [](const AddRoute&) { return Change::create; },
          [](const StartService&) { return Change::create; },
          [](const DeleteNamespace&) { return Change::remove; },
          [](const DeleteLink&) { return Change::remove; },
          [](const DeleteAddress&) { return Change::remove; },
          [](const DeleteRoute&) { return Change::remove; },
          [](const StopService&) { return Change::remove; },
          [](const StopNamespaceProcesses&) { return Change::remove; },
          [](const auto&) { return Change::modify; },
      },
      op);
}

std::string Action::describe() const {
  return std::visit(
      overloaded{
          [](const CreateNamespace& a) { return fmt::format("namespace {}", a.ns); },
          [](const DeleteNamespace& a) { return fmt::format("namespace {}", a.ns); },
          [](const CreateVeth& a) {
            std::string text = fmt::format("veth {} <-> {}", a.a.to_string(), a.b.to_string());
            if (a.mtu_a) text += fmt::format(" mtu {}", *a.mtu_a);
            if (a.master_a) text += fmt::format(", {} master {}", a.a.to_string(), *a.master_a);
            if (a.master_b) text += fmt::format(", {} master {}", a.b.to_string(), *a.master_b);
            if (a.up_a && a.up_b)
              text += ", up";
            else if (a.up_a || a.up_b)
              text += fmt::format(", {} up", (a.up_a ? a.a : a.b).to_string());
            return text;
          },
          [](const CreateBridge& a) { return fmt::format("bridge {}", at(a.ns, a.name)); },
          [](const DeleteLink& a) {
            if (a.peer) return fmt::format("{} {} <-> {}", a.kind, at(a.ns, a.name), a.peer->to_string());
            return fmt::format("{} {}", a.kind.empty() ? "link" : a.kind, at(a.ns, a.name));
          },
          [](const MoveLink& a) {
            return fmt::format("link {} move to namespace {}", at(a.from_ns, a.name), a.to_ns);
          },
          [](const SetLinkAttributes& a) {
            std::string text = fmt::format("link {}", at(a.ns, a.name));
            if (a.mtu) text += fmt::format(" mtu {}", *a.mtu);
            if (a.mac) text += fmt::format(" address {}", a.mac->to_string());
            if (a.master) text += fmt::format(" master {}", optional_text(a.master));
            if (a.alias) text += fmt::format(" alias {}", optional_text(a.alias));
            if (a.ipv6_link_local)
              text += fmt::format(" ipv6 link-local {}", *a.ipv6_link_local ? "on" : "off");
            return text;
          },
          [](const SetLinkUp& a) {
            return fmt::format("link {} {}", at(a.ns, a.name), a.up ? "up" : "down");
          },
          [](const AddAddress& a) {
            return fmt::format("address {} on {}", a.prefix.to_string(), at(a.ns, a.dev));
          },
          [](const DeleteAddress& a) {
            return fmt::format("address {} on {}", a.prefix.to_string(), at(a.ns, a.dev));
          },
          [](const AddRoute& a) { return fmt::format("route {} in {}", a.route.to_string(), a.ns); },
          [](const DeleteRoute& a) { return fmt::format("route {} in {}", a.route.to_string(), a.ns); },
          [](const SetSysctl& a) { return fmt::format("sysctl {} {} = {}", a.ns, a.key, a.value); },
          [](const RestoreSysctl& a) {
            switch (a.mode) {
              case RestoreSysctl::Mode::leave:
                if (a.live.empty())
                  return fmt::format("sysctl {} {}: record dropped", kHostNamespace, a.key);
                return fmt::format("sysctl {} {}: left at {}", kHostNamespace, a.key, a.live);
              case RestoreSysctl::Mode::remember:
                return fmt::format("sysctl {} {}: record the host's value {}", kHostNamespace,
                                   a.key, a.original);
              case RestoreSysctl::Mode::restore: break;
            }
            return fmt::format("sysctl {} {} = {} (restore)", kHostNamespace, a.key, a.original);
          },
          [](const StartService& a) {
            return fmt::format("service {}/{}", a.ns, a.service.name);
          },
          [](const StopService& a) {
            // pid 0 is the undo of a start: whatever the record holds, the process just started.
            if (a.pid == 0) return fmt::format("service {}/{} (the one just started)", a.ns, a.name);
            return fmt::format("service {}/{} (pid {})", a.ns, a.name, a.pid);
          },
          [](const StopNamespaceProcesses& a) {
            std::string text = fmt::format("processes in namespace {}:", a.ns);
            for (size_t i = 0; i < a.processes.size(); ++i)
              text += fmt::format("{} {} ({})", i ? "," : "", a.processes[i].pid,
                                  a.processes[i].command);
            return text;
          },
      },
      op);
}

std::string Action::object() const {
  return std::visit(
      overloaded{
          [](const CreateNamespace& a) { return a.ns; },
          [](const DeleteNamespace& a) { return a.ns; },
          [](const CreateVeth& a) { return a.a.to_string(); },
          [](const CreateBridge& a) { return at(a.ns, a.name); },
          [](const DeleteLink& a) { return at(a.ns, a.name); },
          [](const MoveLink& a) { return at(a.from_ns, a.name); },
          [](const SetLinkAttributes& a) { return at(a.ns, a.name); },
          [](const SetLinkUp& a) { return at(a.ns, a.name); },
          [](const AddAddress& a) { return at(a.ns, a.dev); },
          [](const DeleteAddress& a) { return at(a.ns, a.dev); },
          [](const AddRoute& a) { return a.ns; },
          [](const DeleteRoute& a) { return a.ns; },
          [](const SetSysctl& a) { return at(a.ns, a.key); },
          [](const RestoreSysctl& a) { return at(kHostNamespace, a.key); },
          [](const StartService& a) { return fmt::format("{}/{}", a.ns, a.service.name); },
          [](const StopService& a) { return fmt::format("{}/{}", a.ns, a.name); },
          [](const StopNamespaceProcesses& a) { return a.ns; },
      },
      op);
}

std::vector<std::string> namespaces_used(const Action& action) {
  std::vector<std::string> used = std::visit(
      overloaded{
          [](const CreateNamespace&) { return std::vector<std::string>{}; },
          [](const DeleteNamespace&) { return std::vector<std::string>{}; },
          [](const CreateVeth& a) { return std::vector{a.a.ns, a.b.ns}; },
          [](const CreateBridge& a) { return std::vector{a.ns}; },
          [](const DeleteLink& a) {
            return a.peer ? std::vector{a.ns, a.peer->ns} : std::vector{a.ns};
          },
          [](const MoveLink& a) { return std::vector{a.from_ns, a.to_ns}; },
          [](const SetLinkAttributes& a) { return std::vector{a.ns}; },
          [](const SetLinkUp& a) { return std::vector{a.ns}; },
          [](const AddAddress& a) { return std::vector{a.ns}; },
          [](const DeleteAddress& a) { return std::vector{a.ns}; },
          [](const AddRoute& a) { return std::vector{a.ns}; },
          [](const DeleteRoute& a) { return std::vector{a.ns}; },
          [](const SetSysctl& a) { return std::vector{a.ns}; },
          [](const RestoreSysctl&) { return std::vector<std::string>{}; },
          [](const StartService& a) { return std::vector{a.ns}; },
          [](const StopService& a) { return std::vector{a.ns}; },
          [](const StopNamespaceProcesses& a) { return std::vector{a.ns}; },
      },
      action.op);
  std::erase(used, std::string(kHostNamespace));
  return used;
}

std::optional<Action> inverse(const Action& action) {
  auto undo = [&](Operation op) -> std::optional<Action> {
    return Action{std::move(op), "undo: " + action.describe()};
  };
  return std::visit(
      overloaded{
          [&](const CreateNamespace& a) { return undo(DeleteNamespace{a.ns}); },
          [&](const DeleteNamespace&) -> std::optional<Action> { return std::nullopt; },
          [&](const CreateVeth& a) {
            return undo(DeleteLink{a.a.ns, a.a.ifname, "veth", a.b});
          },
          [&](const CreateBridge& a) { return undo(DeleteLink{a.ns, a.name, "bridge", {}}); },
          [&](const DeleteLink& a) -> std::optional<Action> {
            if (a.kind == "bridge") return undo(CreateBridge{a.ns, a.name});
            if (a.kind == "veth" && a.peer) return undo(CreateVeth{{a.ns, a.name}, *a.peer});
            return std::nullopt;
          },
          [&](const MoveLink& a) { return undo(MoveLink{a.to_ns, a.name, a.from_ns}); },
          [&](const SetLinkAttributes& a) {
            SetLinkAttributes back{a.ns,         a.name,       a.old_mtu,
                                   a.mtu,        a.old_mac,    a.mac,
                                   a.old_master, a.master,     a.old_alias,
                                   a.alias,      a.old_ipv6_link_local, a.ipv6_link_local};
            return undo(back);
          },
          [&](const SetLinkUp& a) { return undo(SetLinkUp{a.ns, a.name, !a.up}); },
          [&](const AddAddress& a) { return undo(DeleteAddress{a.ns, a.dev, a.prefix}); },
          [&](const DeleteAddress& a) { return undo(AddAddress{a.ns, a.dev, a.prefix, true}); },
          [&](const AddRoute& a) { return undo(DeleteRoute{a.ns, a.route, kOwnerProtocol}); },
          [&](const DeleteRoute& a) { return undo(AddRoute{a.ns, a.route}); },
          [&](const SetSysctl& a) -> std::optional<Action> {
            if (!a.old_value) return std::nullopt;
            // A first change (the host still had its original): the value goes back and the
            // record with it. Otherwise the record is rewritten with the value put back.
            if (a.record_original && *a.record_original == *a.old_value)
              return undo(RestoreSysctl{a.key, *a.record_original, a.value});
            return undo(SetSysctl{a.ns, a.key, *a.old_value, a.value, a.record_original});
          },
          [&](const RestoreSysctl& a) -> std::optional<Action> {
            using Mode = RestoreSysctl::Mode;
            switch (a.mode) {
              case Mode::restore:
                return undo(SetSysctl{std::string(kHostNamespace), a.key, a.lab_value, a.original,
                                      a.original});
              case Mode::leave: return undo(RestoreSysctl{a.key, a.original, a.lab_value, Mode::remember, a.live});
              // Recorded before a fan-out write, whose own undo has just rewritten it: the
              // host's value goes back with the record.
              case Mode::remember: return undo(RestoreSysctl{a.key, a.original, a.lab_value, Mode::restore, a.live});
            }
            return std::nullopt;
          },
          [&](const StartService& a) {
            // pid 0: the service executor stops whatever the state records for ns/name.
            return undo(StopService{a.ns, a.service.name, 0, 0, a.service.stop_grace});
          },
          [&](const StopService& a) -> std::optional<Action> {
            if (!a.restart) return std::nullopt;  // an old record without its spec
            return undo(StartService{a.ns, *a.restart});
          },
          // A process ended is not brought back: it was never the lab's to restart.
          [&](const StopNamespaceProcesses&) -> std::optional<Action> { return std::nullopt; },
      },
      action.op);
}

bool is_service_action(const Action& action) {
  return std::holds_alternative<StartService>(action.op) ||
         std::holds_alternative<StopService>(action.op) ||
         std::holds_alternative<StopNamespaceProcesses>(action.op);
}

}  // namespace nstopo::model
