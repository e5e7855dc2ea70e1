// The observer: for the host and each requested namespace, one dump each of links, addresses
// and routes over that namespace's socket, plus the sysctls asked for, into model values.
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kernel/files/name_files.h"
#include "kernel/kernel_impl.h"
#include "kernel/nft/nat_table.h"
#include "kernel/parallel.h"
#include "kernel/rtnl/dump_parse.h"
#include "kernel/rtnl/dump_requests.h"
#include "kernel/rtnl/nl_objects.h"
#include "kernel/sysctl/netconf.h"
#include "kernel/sysctl/sysctl.h"
#include "kernel/sysctl/sysctl_probe.h"
#include "model/sysctl_coupling.h"

namespace nstopo::kernel {

namespace {

Result<void> dump_into(NetlinkSocket& socket, nl_msg* request, std::string_view what,
                       const std::function<void()>& restart,
                       const NetlinkSocket::MessageHandler& collect) {
  auto dumped = socket.dump(request, restart, collect);
  if (!dumped)
    return std::unexpected(refusal_error(
        dumped.error(), fmt::format("cannot read the {} of namespace {}", what, socket.label()),
        socket.label()));
  return {};
}

// The names of a namespace's ifindexes, from its own link dump.
class LinkNames {
 public:
  explicit LinkNames(const std::vector<LinkMessage>& links) {
    names_.reserve(links.size());
    for (const auto& link : links) {
      names_.emplace(link.link.ifindex, link.link.name);
      only_noqueue_roots_ &= link.noqueue_root;
    }
  }
  // A name for an ifindex this dump did not see (a link made in between): never a real name.
  std::string of(int ifindex) const {
    auto found = names_.find(ifindex);
    return found != names_.end() ? found->second : fmt::format("#{}", ifindex);
  }
  // Every link has the default root qdisc of a virtual device (LinkMessage::noqueue_root).
  bool only_noqueue_roots() const { return only_noqueue_roots_; }

 private:
  std::unordered_map<int, std::string> names_;
  bool only_noqueue_roots_ = true;
};

// The links, their masters named; and the names the addresses and routes are given.
Result<LinkNames> observe_links(NetlinkSocket& socket, const DumpRequests& requests,
                                model::ObservedNamespace& observed) {
  std::vector<LinkMessage> links;
  auto dumped = dump_into(
      socket, requests.links.get(), "links", [&] { links.clear(); },
      [&](const nlmsghdr& message) {
        if (auto link = parse_link(message)) links.push_back(std::move(*link));
      });
  if (!dumped) return std::unexpected(dumped.error());
  LinkNames names(links);
  observed.links.reserve(links.size());
  for (auto& link : links) {
    if (link.master_ifindex > 0) link.link.master = names.of(link.master_ifindex);
    observed.links.push_back(std::move(link.link));
  }
  return names;
}

Result<void> observe_addresses(NetlinkSocket& socket, const DumpRequests& requests,
                               const LinkNames& names, model::ObservedNamespace& observed) {
  return dump_into(
      socket, requests.addresses.get(), "addresses", [&] { observed.addresses.clear(); },
      [&](const nlmsghdr& message) {
        if (auto address = parse_address(message)) {
          address->address.dev = names.of(address->ifindex);
          observed.addresses.push_back(std::move(address->address));
        }
      });
}

Result<void> observe_routes(NetlinkSocket& socket, const DumpRequests& requests,
                            const LinkNames& names, model::ObservedNamespace& observed) {
  return dump_into(
      socket, requests.routes.get(), "routes", [&] { observed.routes.clear(); },
      [&](const nlmsghdr& message) {
        if (auto route = parse_route(message)) {
          if (route->oif > 0) route->route.dev = names.of(route->oif);
          observed.routes.push_back(std::move(route->route));
        }
      });
}

// Root qdiscs only: the planner looks at those of the lab's links (impairments), and only
// at ones with a handle (handle 0 is the kernel's default). When the link dump already says
// every root is the default `noqueue`, a qdisc dump would list nothing else: it is skipped,
// which saves one dump in four in a lab without impairments.
Result<void> observe_qdiscs(NetlinkSocket& socket, const DumpRequests& requests,
                            const LinkNames& names, model::ObservedNamespace& observed) {
  if (names.only_noqueue_roots()) return {};
  return dump_into(
      socket, requests.qdiscs.get(), "qdiscs", [&] { observed.qdiscs.clear(); },
      [&](const nlmsghdr& message) {
        if (auto qdisc = parse_qdisc(message)) {
          qdisc->qdisc.dev = names.of(qdisc->ifindex);
          observed.qdiscs.push_back(std::move(qdisc->qdisc));
        }
      });
}

// The sysctls netconf carries, from one more dump.
Result<void> observe_netconf_sysctls(
    NetlinkSocket& socket, const DumpRequests& requests,
    const std::vector<std::pair<const std::string*, NetconfKey>>& from_netconf,
    model::ObservedNamespace& observed) {
  NetconfTable table;
  auto dumped = dump_into(
      socket, requests.netconf.get(), "network settings", [&] { table.clear(); },
      [&](const nlmsghdr& message) { table.add(message); });
  if (!dumped) return std::unexpected(dumped.error());
  for (const auto& [key, netconf] : from_netconf) {
    int ifindex = netconf.device == "all"       ? NETCONFA_IFINDEX_ALL
                  : netconf.device == "default" ? NETCONFA_IFINDEX_DEFAULT
                                                : 0;
    if (ifindex == 0)
      if (const auto* link = observed.find_link(netconf.device)) ifindex = link->ifindex;
    if (ifindex == 0) continue;  // no such device (yet): as /proc would say
    if (auto value = table.find(netconf.family, ifindex, netconf.attribute))
      observed.sysctls.emplace(*key, std::to_string(*value));
  }
  return {};
}

// The other sysctls, from /proc/sys/net, which answers for the namespace of the thread that
// opens the file.
Result<void> observe_proc_sysctls(NamespaceHandle& handle, int host_fd,
                                  const std::vector<const std::string*>& from_proc,
                                  model::ObservedNamespace& observed) {
  auto visit = visit_unless_host(handle, host_fd);
  if (!visit) return std::unexpected(visit.error());
  for (const auto* key : from_proc) {
    auto value = read_sysctl(*key, handle.name);
    if (!value) return std::unexpected(value.error());
    if (*value) observed.sysctls.emplace(*key, std::move(**value));
  }
  return {};
}

// Which of the keys asked to be probed do not exist here, with their neighbours (from
// /proc/sys/net, inside the namespace).
Result<void> probe_sysctls(NamespaceHandle& handle, int host_fd, const std::set<std::string>& probes,
                           model::ObservedNamespace& observed) {
  // A key whose value was just read exists: no visit for it (most keys, in most labs).
  std::vector<const std::string*> unknown;
  for (const auto& key : probes)
    if (!observed.sysctls.contains(key)) unknown.push_back(&key);
  if (unknown.empty()) return {};
  auto visit = visit_unless_host(handle, host_fd);
  if (!visit) return std::unexpected(visit.error());
  for (const auto* key : unknown)
    if (auto neighbours = absent_sysctl_neighbours(*key))
      observed.absent_sysctls.emplace(*key, std::move(*neighbours));
  return {};
}

// The sysctls asked for (read after the links: a per-device key needs the device's ifindex).
Result<void> observe_sysctls(NamespaceHandle& handle, int host_fd, const DumpRequests& requests,
                             const std::set<std::string>& sysctls,
                             model::ObservedNamespace& observed) {
  // On the host, a key that fans out (net.ipv4.ip_forward) comes with the keys it rewrites on
  // every interface: the planner records those that giving it back would not restore.
  std::set<std::string> with_fanned_out;
  const std::set<std::string>* keys = &sysctls;
  if (handle.name == model::kHostNamespace) {
    std::vector<std::string> interfaces;
    for (const auto& link : observed.links) interfaces.push_back(link.name);
    for (const auto& key : sysctls)
      for (auto& rewritten : model::sysctl_fanned_out(key, interfaces))
        with_fanned_out.insert(std::move(rewritten));
    if (!with_fanned_out.empty()) {
      with_fanned_out.insert(sysctls.begin(), sysctls.end());
      keys = &with_fanned_out;
    }
  }
  if (keys->empty()) return {};
  // The sysctls netconf carries come from one more dump; the others from /proc/sys/net.
  std::vector<std::pair<const std::string*, NetconfKey>> from_netconf;
  std::vector<const std::string*> from_proc;
  for (const auto& key : *keys) {
    if (auto netconf = netconf_key(key))
      from_netconf.emplace_back(&key, std::move(*netconf));
    else
      from_proc.push_back(&key);
  }
  if (!from_netconf.empty()) {
    auto read = observe_netconf_sysctls(*handle.socket, requests, from_netconf, observed);
    if (!read) return read;
  }
  if (from_proc.empty()) return {};
  return observe_proc_sysctls(handle, host_fd, from_proc, observed);
}

// One namespace: its links first, so that addresses, routes and masters get names from the
// namespace's own ifindexes; with `links_only`, nothing more.
Result<model::ObservedNamespace> observe_namespace(NamespaceHandle& handle, int host_fd,
                                                   const DumpRequests& requests,
                                                   const std::set<std::string>& sysctls,
                                                   const std::set<std::string>& probes,
                                                   bool links_only) {
  model::ObservedNamespace observed;
  observed.name = handle.name;
  observed.exists = true;
  observed.cookie = handle.cookie;
  NetlinkSocket& socket = *handle.socket;

  auto names = observe_links(socket, requests, observed);
  if (!names) return std::unexpected(names.error());
  if (links_only) return observed;
  if (auto read = observe_addresses(socket, requests, *names, observed); !read)
    return std::unexpected(read.error());
  if (auto read = observe_routes(socket, requests, *names, observed); !read)
    return std::unexpected(read.error());
  if (auto read = observe_qdiscs(socket, requests, *names, observed); !read)
    return std::unexpected(read.error());
  if (auto read = observe_sysctls(handle, host_fd, requests, sysctls, observed); !read)
    return std::unexpected(read.error());
  if (auto read = probe_sysctls(handle, host_fd, probes, observed); !read)
    return std::unexpected(read.error());
  return observed;
}

}  // namespace

Result<model::ObservedState> NetlinkKernel::Impl::observe(const model::ObserveRequest& request) {
  static const std::set<std::string> kNone;
  // Every namespace observed stays open for the run: a lab too big for the open-file limit
  // is refused here, before any change, rather than halfway through making it.
  if (auto enough = ensure_open_files(request.namespaces.size(), request.lab); !enough)
    return std::unexpected(enough.error());
  // On the host, the keys the lab's record holds are read too: the planner gives back those
  // the file no longer declares.
  std::set<std::string> host_sysctls;
  if (auto found = request.sysctls.find(std::string(model::kHostNamespace));
      found != request.sysctls.end())
    host_sysctls = found->second;
  for (const auto& [key, record] : state.host_sysctls) host_sysctls.insert(key);
  auto sysctls_of = [&](const std::string& ns) -> const std::set<std::string>& {
    if (is_host(ns)) return host_sysctls;
    auto found = request.sysctls.find(ns);
    return found != request.sysctls.end() ? found->second : kNone;
  };
  auto probes_of = [&](const std::string& ns) -> const std::set<std::string>& {
    auto found = request.sysctl_probes.find(ns);
    return found != request.sysctl_probes.end() ? found->second : kNone;
  };

  model::ObservedState state_out;
  state_out.lab = request.lab;
  state_out.host_sysctl_records = state.host_sysctls;
  // Host sysctls other labs recorded: one owner per host value. A record that cannot be read
  // (or is refused) holds nothing here; its own lab's commands report it.
  for (const auto& other : store.labs()) {
    if (other == state.lab) continue;
    auto loaded = store.load(other);
    if (!loaded) continue;
    for (const auto& [key, record] : loaded->host_sysctls)
      state_out.host_sysctls_of_other_labs.emplace(key, other);
  }

  // The namespaces to read, the host first; the missing ones are recorded as such.
  std::vector<std::string> names;
  for (const auto& ns : request.namespaces)
    if (!is_host(ns)) names.push_back(ns);
  auto found = find_all(names);
  std::vector<NamespaceHandle*> handles{&host};
  for (size_t k = 0; k < names.size(); ++k) {
    const std::string& ns = names[k];
    auto& handle = found[k];
    if (!handle) return std::unexpected(handle.error());
    if (*handle != nullptr) {
      handles.push_back(*handle);
      continue;
    }
    model::ObservedNamespace missing;
    missing.name = ns;
    missing.placeholder = placeholder_exists(options.netns_dir, ns);
    state_out.namespaces.emplace(ns, std::move(missing));
  }

  // Each namespace is read over its own socket, so several can be read at once. A request
  // message is rewritten (sequence number, port) by every send: one set per thread.
  unsigned workers = parallel_workers(handles.size(), Work::busy);
  std::vector<DumpRequests> requests(workers);
  for (auto& set : requests) {
    auto made = make_dump_requests();
    if (!made) return std::unexpected(made.error());
    set = std::move(*made);
  }
  std::vector<std::optional<Result<model::ObservedNamespace>>> observed(handles.size());
  run_in_parallel(handles.size(), workers, [&](size_t k, unsigned worker) {
    NamespaceHandle& handle = *handles[k];
    observed[k] = observe_namespace(handle, host.fd.get(), requests[worker], sysctls_of(handle.name),
                                    probes_of(handle.name), request.links_only.contains(handle.name));
  });
  for (size_t k = 0; k < handles.size(); ++k) {
    auto& result = *observed[k];
    if (!result) return std::unexpected(std::move(result.error()));
    if (k == 0)
      state_out.host = std::move(*result);
    else
      state_out.namespaces.emplace(handles[k]->name, std::move(*result));
  }

  // What the record says: which namespaces are the lab's (those that are still there, as a
  // namespace or a placeholder), with what identity, and which links were being made.
  for (const auto& ns : state.namespaces) {
    auto seen = state_out.namespaces.find(ns);
    bool there = seen != state_out.namespaces.end()
                     ? seen->second.exists || seen->second.placeholder
                     : namespace_exists(options.netns_dir, ns) ||
                           placeholder_exists(options.netns_dir, ns);
    if (!there) continue;
    state_out.owned_namespaces.insert(ns);
    if (auto cookie = state.namespace_cookies.find(ns); cookie != state.namespace_cookies.end())
      state_out.recorded_cookies.emplace(ns, cookie->second);
  }
  state_out.pending_links = state.pending_links;
  // The host's table of the lab's name, if there is one (this thread is in the host).
  auto nat = read_nat_table(request.lab);
  state_out.nat_table = std::move(nat.table);
  state_out.nftables_unavailable = std::move(nat.unavailable);
  // The name files of every namespace asked for, and the lab's block of the host's hosts.
  if (auto read = read_name_files(options.etc_dir, names, state_out.name_files); !read)
    return std::unexpected(read.error());
  auto block = read_host_block(options.etc_dir, request.lab);
  if (!block) return std::unexpected(block.error());
  if (block->body)
    state_out.name_files.emplace(std::pair{std::string(model::kHostNamespace), std::string("hosts")},
                                 std::move(*block->body));
  state_out.host_block_problem = std::move(block->problem);
  resolve_ambiguous_peers(state_out);
  return state_out;
}

}  // namespace nstopo::kernel
