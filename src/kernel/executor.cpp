// The executor: one action, one request (a created link also gets its ownership alias, which
// the kernel ignores in RTM_NEWLINK for a new link: it is set with a second request).
// Every object made here carries the lab's mark: links their alias, addresses IFA_PROTO,
// routes rtm_protocol; namespaces are written in the state file before they are made.
#include <cerrno>
#include <variant>
#include <tuple>

#include "kernel/files/name_files.h"
#include "kernel/kernel_impl.h"
#include "kernel/nft/nat_table.h"
#include "kernel/rtnl/address_requests.h"
#include "kernel/rtnl/link_requests.h"
#include "kernel/rtnl/qdisc_requests.h"
#include "kernel/rtnl/route_requests.h"
#include "kernel/sysctl/sysctl.h"
#include "model/fault_points.h"
#include "model/sysctl_coupling.h"

namespace nstopo::kernel {

namespace {

using model::at;

// An error met before the request (a missing namespace, a failed setns) in the action's
// words: "failed to add address ... to ns_x:eth0: namespace ns_x does not exist (ENOENT)".
std::unexpected<Error> because(Error cause, std::string message, std::string object) {
  return std::unexpected(Error{cause.kind, std::move(message), std::move(object),
                               cause.error_number, std::move(cause.message)});
}

// A delete that finds its object gone has what it wanted: a run killed after the kernel did
// it (or someone who did it by hand) must not make the next run fail. ENODEV: no such link;
// ESRCH: no such route; EADDRNOTAVAIL: no such address; ENOENT: no such namespace or file.
// A qdisc kind the kernel does not have (its module is not built or loadable): ENOENT with
// "Specified qdisc kind is unknown", or EOPNOTSUPP.
bool no_such_qdisc_kind(const Refusal& refusal) {
  return refusal.error_number == ENOENT || refusal.error_number == EOPNOTSUPP ||
         refusal.text.find("unknown") != std::string::npos;
}

bool already_gone(int error_number) {
  return error_number == ENODEV || error_number == ESRCH || error_number == ENOENT ||
         error_number == EADDRNOTAVAIL;
}

}  // namespace

// Runs one action against the namespaces of `kernel`.
class NetlinkKernel::Impl::ActionRunner {
 public:
  ActionRunner(NetlinkKernel::Impl& kernel, const model::Action& action)
      : kernel_(kernel), action_(action), object_(action.object()) {}

  // Namespaces are made and deleted by the group code (namespace_groups.cpp).
  Result<void> operator()(const model::CreateNamespace& a) {
    return kernel_.create_one_namespace(a.ns);
  }

  Result<void> operator()(const model::DeleteNamespace&) {
    return std::move(kernel_.delete_namespaces(alone()).front().result);
  }

  Result<void> operator()(const model::CreateVeth& a) {
    std::string message =
        fmt::format("failed to create veth {} <-> {}", a.a.to_string(), a.b.to_string());
    auto end_a = require(a.a.ns, message);
    if (!end_a) return std::unexpected(end_a.error());
    auto end_b = require(a.b.ns, message);
    if (!end_b) return std::unexpected(end_b.error());
    auto place_a = placement_of(**end_a);
    if (!place_a) return because(place_a.error(), message, object_);
    auto place_b = placement_of(**end_b);
    if (!place_b) return because(place_b.error(), message, object_);
    NewLink first{a.a.ifname, a.mtu_a, a.mac_a, place_a->get()};
    NewLink second{a.b.ifname, a.mtu_b, a.mac_b, place_b->get()};
    ++kernel_.mutating;
    if (auto made = create_veth(*kernel_.host.socket, first, second, message, object_); !made) {
      settle({a.a, a.b});  // nothing was made
      return made;
    }
    // Made, not yet marked as the lab's: a kill here leaves two links without an alias, which
    // the record names as pending (prepare) so that the next run marks them.
    model::fault_point("veth created, not marked");
    // An end with IPv6 would run duplicate address detection on its link-local address for a
    // second or more after it comes up: it is turned off for that interface only (no_dad).
    for (const auto* end : {&a.a, &a.b})
      if (end == &a.a ? a.ipv6_link_local_a : a.ipv6_link_local_b)
        if (auto off = no_dad(end == &a.a ? **end_a : **end_b, end->ifname); !off) {
          ++kernel_.mutating;
          (void)delete_link(*kernel_.host.socket, end->ifname);  // takes the peer with it
          settle({a.a, a.b});
          return off;
        }
    // The kernel brings a link up before it applies the address generation mode of the same
    // request, and makes a link-local address at once if the link then has a carrier, which
    // a veth has when its peer is up. So end a may come up in its marking request (b is still
    // down), but b, when it must get no link-local address, only after its mode is set.
    bool b_up_apart = a.up_b && !a.ipv6_link_local_b;
    auto made = mark(**end_a, a.a.ifname, a.ipv6_link_local_a, message, a.master_a, a.up_a);
    if (made) model::fault_point("veth end marked, its peer not");
    if (made)
      made = mark(**end_b, a.b.ifname, a.ipv6_link_local_b, message, a.master_b,
                  a.up_b && !b_up_apart);
    if (made && b_up_apart) {
      LinkChange up;
      up.up = true;
      ++kernel_.mutating;
      made = refused(change_link(*(*end_b)->socket, a.b.ifname, up),
                     fmt::format("{}: cannot set {} up", message, a.b.to_string()));
    }
    if (!made) {
      ++kernel_.mutating;
      // Takes the peer with it. Left pending (unsettled) if even that fails.
      if (delete_link(*(*end_a)->socket, a.a.ifname)) settle({a.a, a.b});
      return made;
    }
    settle({a.a, a.b});
    return made;
  }

  Result<void> operator()(const model::CreateBridge& a) {
    std::string message = fmt::format("failed to create bridge {}", at(a.ns, a.name));
    auto handle = require(a.ns, message);
    if (!handle) return std::unexpected(handle.error());
    ++kernel_.mutating;
    model::Endpoint end{a.ns, a.name};
    if (auto made = create_link(*(*handle)->socket, "bridge", NewLink{a.name, a.mtu, a.mac, -1},
                                message, object_);
        !made) {
      settle({end});
      return made;
    }
    model::fault_point("bridge created, not marked");
    return mark_new_link(**handle, a.name, a.ipv6_link_local, message);
  }

  Result<void> operator()(const model::CreateVxlan& a) {
    std::string message = fmt::format("failed to create vxlan {}", at(a.ns, a.name));
    auto handle = require(a.ns, message);
    if (!handle) return std::unexpected(handle.error());
    auto place = placement_of(**handle);
    if (!place) return because(place.error(), message, object_);
    ++kernel_.mutating;
    // Sent on the host's socket, the device placed in its namespace: its UDP socket stays in
    // the host, where the underlay address is (docs/ARCHITECTURE.md, "Several machines").
    if (auto made = create_vxlan(*kernel_.host.socket,
                                 NewLink{a.name, a.mtu, a.mac, place->get()}, a.vxlan,
                                 message, object_);
        !made) {
      settle({model::Endpoint{a.ns, a.name}});
      // The kernel takes one VXLAN device per VNI and port in the host: another lab's tunnel
      // (the parser checked this lab's own) or one made by hand holds it.
      if (made.error().error_number == EEXIST && made.error().kernel_message.find("VNI") != std::string::npos)
        made.error().notes.push_back(fmt::format(
            "hint: another VXLAN device on this machine uses VNI {} on port {} (another lab's, "
            "or one made by hand: `ip -d link show type vxlan`); give the link another 'vni:'",
            a.vxlan.vni, a.vxlan.port));
      return made;
    }
    model::fault_point("vxlan created, not marked");
    return mark_new_link(**handle, a.name, a.ipv6_link_local, message);
  }

  Result<void> operator()(const model::DeleteLink& a) {
    std::string message =
        fmt::format("failed to delete {} {}", a.kind ? to_string(*a.kind) : "link", at(a.ns, a.name));
    auto handle = require(a.ns, message);
    if (!handle) return gone_or(handle.error());
    ++kernel_.mutating;
    auto done = deleted(delete_link(*(*handle)->socket, a.name), message);
    if (done) {
      settle({model::Endpoint{a.ns, a.name}});
      if (a.peer) settle({*a.peer});
    }
    return done;
  }

  Result<void> operator()(const model::MoveLink& a) {
    std::string message =
        fmt::format("failed to move link {} to namespace {}", at(a.from_ns, a.name), a.to_ns);
    auto from = require(a.from_ns, message);
    if (!from) return std::unexpected(from.error());
    auto to = require(a.to_ns, message);
    if (!to) return std::unexpected(to.error());
    auto to_fd = NamespaceFd::of(**to);
    if (!to_fd) return because(to_fd.error(), message, object_);
    LinkChange move;
    move.netns_fd = to_fd->get();
    ++kernel_.mutating;
    return refused(change_link(*(*from)->socket, a.name, move), message);
  }

  Result<void> operator()(const model::SetLinkAttributes& a) {
    std::string message = fmt::format("failed to set attributes of link {}", at(a.ns, a.name));
    auto handle = require(a.ns, message);
    if (!handle) return std::unexpected(handle.error());
    LinkChange change;
    change.mtu = a.mtu;
    change.mac = a.mac;
    change.alias = a.alias;
    // Through netlink the kernel stores the mode; on a link that is already up, link-local
    // addresses appear (or go) at its next up.
    change.ipv6_link_local = a.ipv6_link_local;
    if (a.ipv6_link_local && *a.ipv6_link_local)
      if (auto off = no_dad(**handle, a.name); !off) return because(off.error(), message, object_);
    if (a.master) {
      change.master_ifindex = 0;  // "": no master
      if (!a.master->empty()) {
        auto master = link_index(*(*handle)->socket, *a.master);
        if (!master)
          return refused(std::unexpected(master.error()),
                         fmt::format("{}: no master {} in namespace {}", message, *a.master, a.ns));
        change.master_ifindex = *master;
      }
    }
    Result<void> done;
    if (!change.empty()) {
      ++kernel_.mutating;
      done = refused(change_link(*(*handle)->socket, a.name, change), message);
      if (done && a.alias && !a.alias->empty()) settle({model::Endpoint{a.ns, a.name}});  // marked
    }
    if (done && a.isolated) {
      ++kernel_.mutating;
      done = refused(set_port_isolated(*(*handle)->socket, a.name, *a.isolated),
                     fmt::format("{}: cannot set its bridge port isolated {}", message,
                                 *a.isolated ? "on" : "off"));
    }
    return done;
  }

  Result<void> operator()(const model::SetLinkUp& a) {
    std::string message =
        fmt::format("failed to set link {} {}", at(a.ns, a.name), a.up ? "up" : "down");
    auto handle = require(a.ns, message);
    if (!handle) return std::unexpected(handle.error());
    LinkChange change;
    change.up = a.up;
    ++kernel_.mutating;
    return refused(change_link(*(*handle)->socket, a.name, change), message);
  }

  Result<void> operator()(const model::AddAddress& a) {
    std::string message =
        fmt::format("failed to add address {} to {}", a.prefix.to_string(), at(a.ns, a.dev));
    auto handle = require(a.ns, message);
    if (!handle) return std::unexpected(handle.error());
    auto ifindex = link_index(*(*handle)->socket, a.dev);
    if (!ifindex) return refused(std::unexpected(ifindex.error()), message);
    ++kernel_.mutating;
    return refused(
        add_address(*(*handle)->socket, *ifindex, a.prefix, a.nodad, model::kOwnerProtocol),
        message);
  }

  Result<void> operator()(const model::DeleteAddress& a) {
    std::string message =
        fmt::format("failed to delete address {} from {}", a.prefix.to_string(), at(a.ns, a.dev));
    auto handle = require(a.ns, message);
    if (!handle) return gone_or(handle.error());
    auto ifindex = link_index(*(*handle)->socket, a.dev);
    if (!ifindex) return deleted(std::unexpected(ifindex.error()), message);  // with its link
    ++kernel_.mutating;
    return deleted(delete_address(*(*handle)->socket, *ifindex, a.prefix), message);
  }

  Result<void> operator()(const model::AddRoute& a) {
    return route(a.ns, a.route, model::kOwnerProtocol, true);
  }

  Result<void> operator()(const model::DeleteRoute& a) {
    return route(a.ns, a.route, a.protocol, false);
  }

  // The lab's root qdisc of an interface, made or changed in place (NLM_F_REPLACE): the link
  // stays up, with its addresses and routes. The kernel changes a qdisc's settings in place,
  // never its kind: tbf <-> netem deletes the old one first.
  Result<void> operator()(const model::SetImpairment& a) {
    std::string message = fmt::format("failed to set impairment {} on {}", a.spec.to_string(),
                                      at(a.ns, a.dev));
    auto handle = require(a.ns, message);
    if (!handle) return std::unexpected(handle.error());
    auto ifindex = link_index(*(*handle)->socket, a.dev);
    if (!ifindex) return refused(std::unexpected(ifindex.error()), message);
    bool replaced_kind = a.old && a.old->kind != a.spec.kind;
    if (replaced_kind) {
      ++kernel_.mutating;
      if (auto done = deleted(delete_root_qdisc(*(*handle)->socket, *ifindex, a.old->kind), message);
          !done)
        return done;
      model::fault_point([&] { return "impairment of another kind deleted, new one not made: " +
                                      at(a.ns, a.dev); });
    }
    ++kernel_.mutating;
    auto made = replace_root_qdisc(*(*handle)->socket, *ifindex, a.spec);
    // This action deleted the old one: a failure puts it back, as undo would not (the action
    // did not succeed). Best effort: the next run makes it again anyway.
    if (!made && replaced_kind) (void)replace_root_qdisc(*(*handle)->socket, *ifindex, *a.old);
    if (!made && a.spec.kind == model::QdiscKind::netem && no_such_qdisc_kind(made.error()))
      return fail(ErrorKind::unsupported,
                  fmt::format("{}: the kernel has no netem qdisc (module sch_netem): delay, "
                              "jitter, loss, duplicate, corrupt and reorder need it",
                              message),
                  object_, made.error().error_number, made.error().text);
    return refused(std::move(made), message);
  }

  Result<void> operator()(const model::ClearImpairment& a) {
    std::string message = fmt::format("failed to remove impairment {} from {}", a.old.to_string(),
                                      at(a.ns, a.dev));
    auto handle = require(a.ns, message);
    if (!handle) return gone_or(handle.error());
    auto ifindex = link_index(*(*handle)->socket, a.dev);
    if (!ifindex) return deleted(std::unexpected(ifindex.error()), message);  // with its link
    ++kernel_.mutating;
    auto done = delete_root_qdisc(*(*handle)->socket, *ifindex, a.old.kind);
    // Not there (only the default: ENOENT), or the root is no longer nstopo's handle (EINVAL,
    // "Invalid handle"): nothing of the lab's is left to delete.
    if (!done && done.error().error_number == EINVAL &&
        done.error().text.find("Invalid handle") != std::string::npos)
      return {};
    return deleted(std::move(done), message);
  }

  Result<void> operator()(const model::SetSysctl& a) {
    std::string message = fmt::format("failed to set sysctl {} = {} in {}", a.key, a.value, a.ns);
    auto handle = require(a.ns, message);
    if (!handle) return std::unexpected(handle.error());
    auto visit = visit_unless_host(**handle, kernel_.host.fd.get());
    if (!visit) return because(visit.error(), message, object_);
    // A host value is recorded before it is changed: killed in between, the next run finds a
    // record whose value was never set, and gives the host back its original all the same.
    std::optional<std::optional<model::HostSysctlRecord>> previous;
    if (a.record_original && NetlinkKernel::Impl::is_host(a.ns)) {
      auto recorded = record_host_sysctl(a.key, model::HostSysctlRecord{*a.record_original, a.value});
      if (!recorded) return because(recorded.error(), message, object_);
      previous = std::move(*recorded);
      model::fault_point([&] { return "host sysctl recorded, not written: " + a.key; });
      // The planner refused keys other labs hold; this catches one recorded since it looked
      // (two labs applying at once, each under its own lock). Each lab checks after its own
      // record is saved, so of two racing labs at most one goes on.
      if (!*previous)
        if (auto holder = other_lab_holding(a.key)) {
          (void)put_back_record(a.key, std::nullopt);
          return fail(ErrorKind::conflict,
                      fmt::format("host sysctl {} was just set by lab {}; nothing written", a.key,
                                  *holder),
                      object_);
        }
    }
    ++kernel_.mutating;
    auto written = write_sysctl(a.key, a.value, a.ns);
    if (!written && previous) (void)put_back_record(a.key, *previous);
    return written;
  }

  // A host sysctl the lab no longer declares: its original value back, then the record gone
  // (killed in between, the next run finds the value already back and drops the record).
  Result<void> operator()(const model::RestoreSysctl& a) {
    using Mode = model::RestoreSysctl::Mode;
    std::string host(model::kHostNamespace);
    if (a.mode == Mode::remember) {
      auto recorded = record_host_sysctl(a.key, model::HostSysctlRecord{a.original, a.lab_value});
      if (!recorded) return std::unexpected(recorded.error());
      return {};
    }
    if (a.mode == Mode::restore) {
      ++kernel_.mutating;
      auto written = write_sysctl(a.key, a.original, host);
      // Gone meanwhile (its interface was deleted): nothing left to give back.
      if (!written && written.error().error_number != ENOENT)
        return because(written.error(),
                       fmt::format("failed to restore host sysctl {} to {}", a.key, a.original),
                       object_);
      model::fault_point([&] { return "host sysctl restored, record kept: " + a.key; });
    }
    return put_back_record(a.key, std::nullopt);
  }

  // The lab's NAT table, in the host's nftables (kernel/nft/nat_table.h).
  Result<void> operator()(const model::CreateNatTable& a) {
    ++kernel_.mutating;
    return replace_nat_table(a.lab, a.ruleset);
  }
  Result<void> operator()(const model::ReplaceNatTable& a) {
    ++kernel_.mutating;
    return replace_nat_table(a.lab, a.ruleset);
  }
  Result<void> operator()(const model::DeleteNatTable& a) {
    ++kernel_.mutating;
    return delete_nat_table(a.lab);
  }

  // Name files are plain files (kernel/files/name_files.h); ns "host" is /etc/hosts's block.
  Result<void> operator()(const model::CreateNameFile& a) {
    return write_file(a.ns, a.file, a.content);
  }
  Result<void> operator()(const model::WriteNameFile& a) {
    return write_file(a.ns, a.file, a.content);
  }

  Result<void> operator()(const model::RemoveNameFile& a) {
    ++kernel_.mutating;
    auto removed = NetlinkKernel::Impl::is_host(a.ns)
                       ? write_host_block(kernel_.options.etc_dir, kernel_.state.lab, std::nullopt)
                       : remove_name_file(kernel_.options.etc_dir, a.ns, a.file);
    if (!removed)
      return because(removed.error(), fmt::format("failed to delete {}", object_), object_);
    return removed;
  }

  Result<void> operator()(const model::StartService&) { return not_ours(); }
  Result<void> operator()(const model::StopService&) { return not_ours(); }
  Result<void> operator()(const model::StopNamespaceProcesses&) { return not_ours(); }

 private:
  Result<NamespaceHandle*> require(const std::string& ns, const std::string& message) {
    auto handle = kernel_.require(ns);
    if (!handle) return because(handle.error(), message, object_);
    return handle;
  }

  // Links whose pending record (LabState::pending_links) this run has settled.
  void settle(std::initializer_list<model::Endpoint> ends) {
    for (const auto& end : ends) kernel_.settled_links.insert(end.to_string());
  }

  // No duplicate address detection on interface NAME of HANDLE's namespace (just made and
  // still down, or about to get its link-local address). Per interface, not the namespace's
  // `default`: every /proc/sys/net lookup costs time linear in the number of namespaces on
  // the machine (procfs keeps one dentry per namespace under one name and compares each), so
  // only the interfaces that get a link-local address pay it, and a lab without IPv6 never
  // does. `all` is 0 in a new namespace, and the kernel skips DAD when both are 0.
  Result<void> no_dad(NamespaceHandle& handle, const std::string& name) {
    ++kernel_.mutating;
    auto visit = visit_unless_host(handle, kernel_.host.fd.get());
    if (!visit) return std::unexpected(visit.error());
    return write_sysctl(fmt::format("net/ipv6/conf/{}/accept_dad", name), "0", handle.name);
  }

  // The IFLA_NET_NS_FD of a link the host's socket makes in HANDLE's namespace; none (get()
  // is -1) for the host itself.
  Result<NamespaceFd> placement_of(const NamespaceHandle& handle) {
    if (&handle == &kernel_.host) return NamespaceFd{};
    return NamespaceFd::of(handle);
  }

  Result<void> refused(NetlinkResult<void> outcome, const std::string& message) {
    if (!outcome) return std::unexpected(refusal_error(outcome.error(), message, object_));
    return {};
  }

  // For deletes: an object already gone is a success (see already_gone).
  Result<void> deleted(NetlinkResult<void> outcome, const std::string& message) {
    if (!outcome && already_gone(outcome.error().error_number)) return {};
    return refused(std::move(outcome), message);
  }
  Result<void> gone_or(const Error& error) {
    if (error.error_number == ENOENT) return {};  // its namespace is gone, and it with it
    return std::unexpected(error);
  }

  // A single link just made (a bridge, a vxlan) becomes the lab's: no DAD when it gets a
  // link-local address, its mark; deleted again when that fails.
  Result<void> mark_new_link(NamespaceHandle& handle, const std::string& name, bool ipv6_link_local,
                             const std::string& message) {
    model::Endpoint end{handle.name, name};
    if (ipv6_link_local)
      if (auto off = no_dad(handle, name); !off) {
        ++kernel_.mutating;
        if (delete_link(*handle.socket, name)) settle({end});
        return off;
      }
    if (auto marked = mark(handle, name, ipv6_link_local, message); !marked) {
      ++kernel_.mutating;
      if (delete_link(*handle.socket, name)) settle({end});
      return marked;
    }
    settle({end});
    return {};
  }

  // The ownership mark on a link just made and its IPv6 address generation mode (the kernel
  // ignores both in the request that creates a link), with its bridge and its up when the
  // plan folded them in: one request. Within it the kernel applies the link's flags (the up)
  // before the generation mode: a caller that must keep a link-local address off a link that
  // has a carrier at once brings it up in a request of its own (see CreateVeth above).
  Result<void> mark(NamespaceHandle& handle, const std::string& name, bool ipv6_link_local,
                    const std::string& message, const std::optional<std::string>& master = {},
                    bool up = false) {
    std::string what = fmt::format("{}: cannot mark {} as the lab's", message, at(handle.name, name));
    LinkChange change;
    change.alias = model::link_owner_alias(kernel_.state.lab);
    if (!ipv6_link_local) change.ipv6_link_local = false;
    if (master) {
      auto master_index = link_index(*handle.socket, *master);
      if (!master_index)
        return refused(std::unexpected(master_index.error()),
                       fmt::format("{}: no bridge {} in namespace {}", message, *master, handle.name));
      change.master_ifindex = *master_index;
      what += fmt::format(", put it in bridge {}", *master);
    }
    if (up) {
      change.up = true;
      what += " and set it up";
    }
    ++kernel_.mutating;
    return refused(change_link(*handle.socket, name, change), what);
  }

  Result<void> route(const std::string& ns, const model::RouteSpec& spec, uint8_t protocol,
                     bool add) {
    std::string message =
        fmt::format("failed to {} route {} in {}", add ? "add" : "delete", spec.to_string(), ns);
    auto handle = require(ns, message);
    if (!handle) return add ? std::unexpected(handle.error()) : gone_or(handle.error());
    RouteRequest request{spec.to.network(), spec.via, 0, spec.metric, protocol};
    if (spec.dev) {
      auto oif = link_index(*(*handle)->socket, *spec.dev);
      if (!oif && !add && already_gone(oif.error().error_number)) return {};  // with its device
      if (!oif)
        return refused(std::unexpected(oif.error()),
                       fmt::format("{}: no device {}", message, *spec.dev));
      request.oif = *oif;
    }
    ++kernel_.mutating;
    if (!add) return deleted(delete_route(*(*handle)->socket, request), message);
    return refused(add_route(*(*handle)->socket, request), message);
  }

  Result<void> write_file(const std::string& ns, const std::string& file,
                          const std::string& content) {
    ++kernel_.mutating;
    auto written = NetlinkKernel::Impl::is_host(ns)
                       ? write_host_block(kernel_.options.etc_dir, kernel_.state.lab, content)
                       : write_name_file(kernel_.options.etc_dir, ns, file, content);
    if (!written)
      return because(written.error(), fmt::format("failed to write {}", object_), object_);
    return written;
  }

  // Another lab whose record holds `key` (or the other name of its value), if any.
  std::optional<std::string> other_lab_holding(const std::string& key) const {
    std::string wanted = model::sysctl_canonical(key);
    for (const auto& other : kernel_.store.labs()) {
      if (other == kernel_.state.lab) continue;
      auto loaded = kernel_.store.load(other);
      if (!loaded) continue;
      for (const auto& [held, record] : loaded->host_sysctls)
        if (model::sysctl_canonical(held) == wanted) return other;
    }
    return std::nullopt;
  }

  // Writes {key: record} into the lab's record and saves it; returns what was there before.
  Result<std::optional<model::HostSysctlRecord>> record_host_sysctl(const std::string& key,
                                                                    model::HostSysctlRecord record) {
    auto& records = kernel_.state.host_sysctls;
    std::optional<model::HostSysctlRecord> before;
    if (auto it = records.find(key); it != records.end()) before = it->second;
    records[key] = std::move(record);
    if (auto saved = kernel_.store.save(kernel_.state); !saved) {
      (void)put_back_in_memory(key, before);
      return std::unexpected(saved.error());
    }
    return before;
  }

  // The record of `key` set back to `before` (none: dropped), and saved.
  Result<void> put_back_record(const std::string& key,
                               const std::optional<model::HostSysctlRecord>& before) {
    if (!put_back_in_memory(key, before)) return {};
    return kernel_.store.save(kernel_.state);
  }

  bool put_back_in_memory(const std::string& key,
                          const std::optional<model::HostSysctlRecord>& before) {
    auto& records = kernel_.state.host_sysctls;
    if (before) {
      records[key] = *before;
      return true;
    }
    return records.erase(key) > 0;
  }

  Result<void> not_ours() {
    return fail(ErrorKind::internal,
                fmt::format("service action for {} given to the kernel executor", object_),
                object_);
  }

  std::span<const model::Action> alone() const { return {&action_, 1}; }

  NetlinkKernel::Impl& kernel_;
  const model::Action& action_;
  std::string object_;
};

Result<void> NetlinkKernel::Impl::execute(const model::Action& action) {
  return std::visit(ActionRunner(*this, action), action.op);
}

}  // namespace nstopo::kernel
