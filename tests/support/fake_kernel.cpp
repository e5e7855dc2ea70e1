#include "support/fake_kernel.h"

#include "model/overloaded.h"
#include "model/sysctl_coupling.h"

#include <algorithm>
#include <cerrno>
#include <map>
#include <tuple>

namespace nstopo::testing {

namespace {
using model::overloaded;

template <typename T, typename Pred>
void erase_if(std::vector<T>& v, Pred pred) {
  v.erase(std::remove_if(v.begin(), v.end(), pred), v.end());
}
}  // namespace

std::vector<model::ObservedNamespace*> FakeKernel::all_namespaces() {
  std::vector<model::ObservedNamespace*> all{&state_.host};
  for (auto& [name, o] : state_.namespaces)
    if (o.exists) all.push_back(&o);
  return all;
}

// New links get indexes above every index the starting state uses (one counter for all
// namespaces: simpler than the kernel's per-namespace numbering, and never ambiguous).
void FakeKernel::number_after_existing() {
  for (auto* n : all_namespaces())
    for (auto& link : n->links) next_ifindex_ = std::max(next_ifindex_, link.ifindex + 1);
}

Result<model::ObservedState> FakeKernel::observe(const model::ObserveRequest& request) {
  model::ObservedState copy = state_;
  copy.lab = request.lab;
  for (auto& name : request.namespaces)
    if (!copy.namespaces.contains(name)) copy.namespaces[name] = {.name = name, .exists = false};
  // As the observer: name files of the namespaces asked for, and the host's block.
  std::erase_if(copy.name_files, [&](const auto& entry) {
    return entry.first.first != model::kHostNamespace && !request.namespaces.contains(entry.first.first);
  });
  return copy;
}

model::ObservedNamespace* FakeKernel::ns(const std::string& name) {
  if (name == model::kHostNamespace) return &state_.host;
  auto it = state_.namespaces.find(name);
  return it == state_.namespaces.end() || !it->second.exists ? nullptr : &it->second;
}

model::ObservedLink* FakeKernel::find_link(const std::string& n, const std::string& name) {
  auto* o = ns(n);
  if (!o) return nullptr;
  for (auto& l : o->links)
    if (l.name == name) return &l;
  return nullptr;
}

void FakeKernel::remove_link(const std::string& n, const std::string& name) {
  auto* o = ns(n);
  if (!o) return;
  erase_if(o->links, [&](auto& l) { return l.name == name; });
  erase_if(o->addresses, [&](auto& a) { return a.dev == name; });
  erase_if(o->routes, [&](auto& r) { return r.dev == name; });
  erase_if(o->qdiscs, [&](auto& q) { return q.dev == name; });
}

// As the kernel does: a changed value that fans out rewrites the keys it couples
// (model/sysctl_coupling.h); "may rewrite" is played as the worst case, a copy.
void FakeKernel::write_sysctl(model::ObservedNamespace& o, const std::string& key,
                              const std::string& value) {
  auto before = o.sysctls.find(key);
  bool changed = before == o.sysctls.end() || before->second != value;
  o.sysctls[key] = value;
  if (!changed) return;
  for (auto& [other, other_value] : o.sysctls) {
    auto effect = model::sysctl_effect(key, value, other);
    if (effect.kind == model::SysctlEffect::Kind::sets) other_value = effect.value;
    if (effect.kind == model::SysctlEffect::Kind::may_rewrite) other_value = value;
    if (model::sysctl_canonical(other) == model::sysctl_canonical(key)) other_value = value;
  }
}

Result<void> FakeKernel::execute(const model::Action& action) {
  ++calls_;
  log_.push_back(fmt::format("{} {}", static_cast<char>(action.change()), action.describe()));
  if (fail_step_ && *fail_step_ == calls_) return std::unexpected(fail_error_);
  return apply(action);
}

Result<void> FakeKernel::apply(const model::Action& action) {
  using namespace model;
  auto refuse = [&](int e, std::string what) -> Result<void> {
    return fail(ErrorKind::kernel, fmt::format("fake kernel refused {}", action.describe()),
                action.object(), e, std::move(what));
  };
  auto new_link = [&](const std::string& name, const std::string& kind) {
    ObservedLink l;
    l.name = name;
    l.kind = kind;
    l.ifindex = next_ifindex_++;
    l.mtu = 1500;
    l.alias = link_owner_alias(state_.lab);
    return l;
  };
  return std::visit(
      overloaded{
          [&](const CreateNamespace& a) -> Result<void> {
            if (ns(a.ns)) return refuse(EEXIST, "namespace exists");
            ObservedNamespace o{.name = a.ns, .exists = true};
            auto lo = new_link("lo", "");
            lo.alias.clear();
            lo.up = true;
            o.links.push_back(lo);
            state_.namespaces[a.ns] = o;
            state_.owned_namespaces.insert(a.ns);
            return {};
          },
          [&](const DeleteNamespace& a) -> Result<void> {
            auto* o = ns(a.ns);
            if (!o) {  // gone already, or a placeholder: the file goes, as with the kernel's
              state_.namespaces.erase(a.ns);
              state_.owned_namespaces.erase(a.ns);
              return {};
            }
            // Its veths take their peers with them, wherever those are.
            std::vector<int> gone;
            for (auto& l : o->links)
              if (l.kind == "veth") gone.push_back(l.ifindex);
            state_.namespaces.erase(a.ns);
            state_.owned_namespaces.erase(a.ns);
            for (auto* other : all_namespaces()) {
              std::vector<std::string> names;
              for (auto& l : other->links)
                if (l.kind == "veth" &&
                    std::find(gone.begin(), gone.end(), l.peer_ifindex) != gone.end())
                  names.push_back(l.name);
              for (auto& n : names) remove_link(other->name, n);
            }
            return {};
          },
          [&](const CreateVeth& a) -> Result<void> {
            if (!ns(a.a.ns) || !ns(a.b.ns)) return refuse(ENOENT, "no such namespace");
            if (find_link(a.a.ns, a.a.ifname) || find_link(a.b.ns, a.b.ifname))
              return refuse(EEXIST, "File exists");
            auto la = new_link(a.a.ifname, "veth"), lb = new_link(a.b.ifname, "veth");
            la.peer_ifindex = lb.ifindex;
            lb.peer_ifindex = la.ifindex;
            if (a.mtu_a) la.mtu = *a.mtu_a;
            if (a.mtu_b) lb.mtu = *a.mtu_b;
            if (a.mac_a) la.mac = *a.mac_a;
            if (a.mac_b) lb.mac = *a.mac_b;
            la.ipv6_link_local = a.ipv6_link_local_a;
            lb.ipv6_link_local = a.ipv6_link_local_b;
            for (auto [link, end, master] : {std::tuple{&la, &a.a, &a.master_a},
                                             std::tuple{&lb, &a.b, &a.master_b}}) {
              if (master->has_value() && !find_link(end->ns, **master))
                return refuse(ENODEV, "master device not found");
              link->master = *master;
            }
            la.up = a.up_a;
            lb.up = a.up_b;
            ns(a.a.ns)->links.push_back(la);
            ns(a.b.ns)->links.push_back(lb);
            return {};
          },
          [&](const CreateBridge& a) -> Result<void> {
            if (!ns(a.ns)) return refuse(ENOENT, "no such namespace");
            if (find_link(a.ns, a.name)) return refuse(EEXIST, "File exists");
            auto l = new_link(a.name, "bridge");
            if (a.mtu) l.mtu = *a.mtu;
            if (a.mac) l.mac = *a.mac;
            l.ipv6_link_local = a.ipv6_link_local;
            ns(a.ns)->links.push_back(l);
            return {};
          },
          [&](const CreateVxlan& a) -> Result<void> {
            if (!ns(a.ns)) return refuse(ENOENT, "no such namespace");
            if (find_link(a.ns, a.name)) return refuse(EEXIST, "File exists");
            // The kernel's rule: one VNI per UDP port in the namespace of the sockets (the host).
            for (auto* other : all_namespaces())
              for (auto& l : other->links)
                if (l.vxlan && l.vxlan->vni == a.vxlan.vni && l.vxlan->port == a.vxlan.port)
                  return refuse(EEXIST, "A VXLAN device with the specified VNI already exists");
            auto l = new_link(a.name, "vxlan");
            l.vxlan = a.vxlan;
            if (a.mtu) l.mtu = *a.mtu;
            if (a.mac) l.mac = *a.mac;
            l.ipv6_link_local = a.ipv6_link_local;
            ns(a.ns)->links.push_back(l);
            return {};
          },
          [&](const DeleteLink& a) -> Result<void> {
            auto* l = find_link(a.ns, a.name);
            // Gone already (with its peer's namespace, say): done, as for the kernel executor.
            if (!l) return {};
            int peer = l->kind == "veth" ? l->peer_ifindex : 0;
            remove_link(a.ns, a.name);
            if (peer)
              for (auto* other : all_namespaces()) {
                std::string name;
                for (auto& pl : other->links)
                  if (pl.ifindex == peer) name = pl.name;
                if (!name.empty()) remove_link(other->name, name);
              }
            return {};
          },
          [&](const MoveLink& a) -> Result<void> {
            auto* l = find_link(a.from_ns, a.name);
            if (!l || !ns(a.to_ns)) return refuse(ENODEV, "Cannot find device");
            auto moved = *l;
            moved.up = false;
            moved.master.reset();
            remove_link(a.from_ns, a.name);
            ns(a.to_ns)->links.push_back(moved);
            return {};
          },
          [&](const SetLinkAttributes& a) -> Result<void> {
            auto* l = find_link(a.ns, a.name);
            if (!l) return refuse(ENODEV, "Cannot find device");
            if (a.mtu) l->mtu = *a.mtu;
            if (a.mac) l->mac = *a.mac;
            if (a.master) l->master = a.master->empty() ? std::nullopt : std::optional(*a.master);
            if (a.alias) l->alias = *a.alias;
            if (a.ipv6_link_local) l->ipv6_link_local = *a.ipv6_link_local;
            if (a.isolated) {
              if (!l->master) return refuse(EOPNOTSUPP, "not a bridge port");
              l->isolated = *a.isolated;
            }
            return {};
          },
          [&](const SetLinkUp& a) -> Result<void> {
            auto* l = find_link(a.ns, a.name);
            if (!l) return refuse(ENODEV, "Cannot find device");
            l->up = a.up;
            return {};
          },
          [&](const AddAddress& a) -> Result<void> {
            if (!find_link(a.ns, a.dev)) return refuse(ENODEV, "Cannot find device");
            for (auto& x : ns(a.ns)->addresses)
              if (x.dev == a.dev && x.prefix == a.prefix) return refuse(EEXIST, "File exists");
            ns(a.ns)->addresses.push_back({a.dev, a.prefix, kOwnerProtocol, 0, 0});
            return {};
          },
          [&](const DeleteAddress& a) -> Result<void> {
            auto* o = ns(a.ns);
            if (!o) return refuse(ENOENT, "no such namespace");
            erase_if(o->addresses, [&](auto& x) { return x.dev == a.dev && x.prefix == a.prefix; });
            return {};
          },
          [&](const AddRoute& a) -> Result<void> {
            auto* o = ns(a.ns);
            if (!o) return refuse(ENOENT, "no such namespace");
            std::string dev = a.route.dev.value_or("");
            if (dev.empty() && a.route.via)
              for (auto& x : o->addresses)
                if (x.prefix.contains(*a.route.via)) dev = x.dev;
            if (dev.empty()) return refuse(ENETUNREACH, "Nexthop has invalid gateway");
            o->routes.push_back({a.route.to, a.route.via, dev, a.route.metric, kOwnerProtocol});
            return {};
          },
          [&](const DeleteRoute& a) -> Result<void> {
            auto* o = ns(a.ns);
            if (!o) return refuse(ENOENT, "no such namespace");
            erase_if(o->routes, [&](auto& r) { return r.to == a.route.to && r.metric == a.route.metric; });
            return {};
          },
          [&](const SetImpairment& a) -> Result<void> {
            auto* o = ns(a.ns);
            if (!o || !find_link(a.ns, a.dev)) return refuse(ENODEV, "Cannot find device");
            erase_if(o->qdiscs, [&](auto& q) { return q.dev == a.dev; });
            o->qdiscs.push_back({a.dev, kImpairmentHandle, std::string(to_string(a.spec.kind)), a.spec});
            return {};
          },
          [&](const ClearImpairment& a) -> Result<void> {
            auto* o = ns(a.ns);
            if (!o) return refuse(ENOENT, "no such namespace");
            erase_if(o->qdiscs, [&](auto& q) { return q.dev == a.dev && q.made_by_nstopo(); });
            return {};
          },
          [&](const SetSysctl& a) -> Result<void> {
            auto* o = ns(a.ns);
            if (!o) return refuse(ENOENT, "no such namespace");
            if (a.record_original && a.ns == kHostNamespace)
              state_.host_sysctl_records[a.key] = {*a.record_original, a.value};
            write_sysctl(*o, a.key, a.value);
            return {};
          },
          [&](const RestoreSysctl& a) -> Result<void> {
            switch (a.mode) {
              case RestoreSysctl::Mode::restore:
                if (state_.host.sysctls.contains(a.key)) write_sysctl(state_.host, a.key, a.original);
                state_.host_sysctl_records.erase(a.key);
                break;
              case RestoreSysctl::Mode::leave: state_.host_sysctl_records.erase(a.key); break;
              case RestoreSysctl::Mode::remember:
                state_.host_sysctl_records[a.key] = {a.original, a.lab_value};
                break;
            }
            return {};
          },
          [&](const StartService& a) -> Result<void> {
            erase_if(state_.services, [&](auto& s) { return s.ns == a.ns && s.name == a.service.name; });
            ObservedService started;
            started.ns = a.ns;
            started.name = a.service.name;
            started.pid = next_pid_++;
            started.start_time = 42;
            started.spec_hash = a.service.spec_hash();
            started.running = true;
            state_.services.push_back(std::move(started));
            return {};
          },
          [&](const StopService& a) -> Result<void> {
            erase_if(state_.services, [&](auto& s) { return s.ns == a.ns && s.name == a.name; });
            return {};
          },
          // Files, not namespaces: written whether the namespace exists or not, as on disk.
          [&](const CreateNameFile& a) -> Result<void> {
            state_.name_files[{a.ns, a.file}] = a.content;
            return {};
          },
          [&](const WriteNameFile& a) -> Result<void> {
            state_.name_files[{a.ns, a.file}] = a.content;
            return {};
          },
          [&](const RemoveNameFile& a) -> Result<void> {
            state_.name_files.erase({a.ns, a.file});
            return {};
          },
          [&](const StopNamespaceProcesses& a) -> Result<void> {
            if (auto it = state_.namespaces.find(a.ns); it != state_.namespaces.end())
              it->second.processes.clear();
            return {};
          },
          // The NAT table as the kernel would list it: the rules written, marked as the lab's.
          [&](const CreateNatTable& a) -> Result<void> {
            state_.nat_table = ObservedNatTable{true, a.ruleset};
            return {};
          },
          [&](const ReplaceNatTable& a) -> Result<void> {
            state_.nat_table = ObservedNatTable{true, a.ruleset};
            return {};
          },
          [&](const DeleteNatTable&) -> Result<void> {
            state_.nat_table.reset();
            return {};
          },
      },
      action.op);
}

}  // namespace nstopo::testing
