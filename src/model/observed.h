#pragma once
// The live state as the kernel (and the state file) report it, in model terms.
// The observer fills it; the planner compares it with a Topology.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/ip.h"
#include "model/topology.h"

namespace nstopo::model {

// Ownership marks: how nstopo recognises what it created, even without its state file.
// A link carries IFLA_IFALIAS "nstopo:<lab>"; routes carry this rtm_protocol; addresses carry
// this IFA_PROTO (kernel >= 6.3). 0x4e is not used by any routing daemon in iproute2's rt_protos.
inline constexpr uint8_t kOwnerProtocol = 0x4e;
std::string link_owner_alias(std::string_view lab);  // "nstopo:<lab>"

struct ObservedLink {
  std::string name;
  int ifindex = 0;
  std::string kind;                   // IFLA_INFO_KIND: "veth", "bridge", "" for none, ...
  int peer_ifindex = 0;               // IFLA_LINK for a veth: the peer's ifindex in its namespace
  std::optional<int> peer_netnsid;    // IFLA_LINK_NETNSID when the peer is in another namespace
  // The observed namespace the veth peer is in, when the observer could resolve peer_netnsid
  // (RTM_GETNSID); nullopt when unknown. Peers in the same namespace have no netnsid.
  std::optional<std::string> peer_ns;
  std::optional<std::string> master;  // bridge name, when enslaved
  uint32_t mtu = 0;
  MacAddress mac;
  bool up = false;                    // IFF_UP (administrative state)
  std::string alias;                  // IFLA_IFALIAS; link_owner_alias(lab) marks ours
  // IFLA_INET6_ADDR_GEN_MODE != none; nullopt when the link has no IPv6 settings.
  std::optional<bool> ipv6_link_local;
  std::optional<Vxlan> vxlan;         // kind vxlan: IFLA_VXLAN_ID, _GROUP(6), _LOCAL(6), _PORT
  std::optional<bool> isolated;       // a bridge port: IFLA_BRPORT_ISOLATED
};

struct ObservedAddress {
  std::string dev;
  Prefix prefix;
  uint8_t proto = 0;      // IFA_PROTO; kOwnerProtocol marks ours
  uint32_t flags = 0;     // IFA_F_*
  uint8_t scope = 0;      // RT_SCOPE_*
  bool tentative() const; // IFA_F_TENTATIVE: IPv6 DAD still running
};

struct ObservedRoute {
  Prefix to;              // network form
  std::optional<IpAddress> via;
  std::string dev;
  uint32_t metric = 0;    // RTA_PRIORITY
  uint8_t protocol = 0;   // rtm_protocol; kOwnerProtocol marks ours
  uint8_t table = 254;    // RT_TABLE_MAIN
  uint8_t type = 1;       // RTN_UNICAST
};

// A root qdisc (tcm_parent TC_H_ROOT), read from RTM_NEWQDISC. `spec` is meaningful for the
// kinds nstopo makes (tbf, netem) only.
struct ObservedQdisc {
  std::string dev;
  uint32_t handle = 0;   // 0: the kernel's default qdisc of the device (noqueue, pfifo_fast, ...)
  std::string kind;      // TCA_KIND
  QdiscSpec spec;
  // nstopo's: its handle and a kind nstopo makes. Whether it is the lab's follows its link.
  bool made_by_nstopo() const;
};

// A process inside one of the lab's namespaces that is none of the lab's services (started
// with `ip netns exec` or `nstopo exec`, or left by a service of an older nstopo). Looked for
// only in the namespaces about to be deleted: it would keep the namespace, and the host ends
// of its veths, alive.
struct NamespaceProcess {
  int pid = 0;
  uint64_t start_time = 0;  // /proc/PID/stat field 22: tells a reused PID apart
  std::string command;      // its command line, shortened, for messages
  auto operator<=>(const NamespaceProcess&) const = default;
};

struct ObservedNamespace {
  std::string name;
  bool exists = false;
  // NETNS_DIR/NAME exists but is not a namespace: the empty file an interrupted create (or a
  // delete killed between unmount and unlink) leaves behind. exists is false.
  bool placeholder = false;
  // The namespace's netns cookie (SO_NETNS_COOKIE): which namespace the name points to now.
  // 0 when unknown (missing, or a kernel before 5.14).
  uint64_t cookie = 0;
  std::vector<ObservedLink> links;
  std::vector<ObservedAddress> addresses;  // main table, every family
  std::vector<ObservedRoute> routes;       // main table, unicast, every family
  std::vector<ObservedQdisc> qdiscs;       // root qdiscs only
  std::map<std::string, std::string> sysctls;  // only the keys that were asked for
  // Of a lab namespace the file no longer declares (ObserveRequest::links_only): the
  // processes still inside it, by pid.
  std::vector<NamespaceProcess> processes;
  // Of the keys asked to be probed (ObserveRequest::sysctl_probes), those that do not exist
  // in this namespace's kernel, each with the existing keys nearest to it: the entries of the
  // deepest /proc/sys/net directory on its path. A probed key missing here exists.
  std::map<std::string, std::vector<std::string>> absent_sysctls;

  const ObservedLink* find_link(std::string_view name) const;
  const ObservedQdisc* find_root_qdisc(std::string_view dev) const;
};

// A service the lab's record says it started: what the record keeps of it (state.json).
struct ServiceRecord {
  std::string ns;
  std::string name;
  int pid = 0;
  uint64_t start_time = 0;  // /proc/PID/stat field 22, in clock ticks since boot
  std::string spec_hash;
  // Absent in records written before these fields (then: unknown).
  uint64_t netns_inode = 0;  // the nsfs inode of the namespace it was started in
  std::optional<std::chrono::milliseconds> stop_grace;  // its stop_timeout, for stops after
                                                        // it is no longer declared
  std::optional<Service> spec;  // to start it again when a stop of it is undone
  // The token on its supervisor's command line (services/supervisor_args.h); empty for a
  // service started before services were supervised. Recorded before the fork, with pid 0:
  // a run killed before it recorded the pid finds the supervisor again by its token.
  std::string token;
};

// A recorded service as found live.
struct ObservedService : ServiceRecord {
  bool running = false;            // pid alive with the recorded start time
  std::optional<int> exit_status;  // waitpid(2) status, when it ended as nstopo's own child
};

// A host sysctl the lab changed, as the lab's record keeps it: written before the first
// change, so that destroy and prune can put the host's own value back.
struct HostSysctlRecord {
  std::string original;  // the host's value before the lab's first change
  std::string set;       // the value the lab set last
  auto operator<=>(const HostSysctlRecord&) const = default;
};

// A declared service's command, to be found as the service will be started: argv[0] on the
// PATH the service runs with (its declared PATH, else the one the service layer gives it),
// or as it is when it holds a '/'.
struct CommandLookup {
  std::string command;
  std::optional<std::string> declared_path;  // the service's env PATH, when it declares one
  auto operator<=>(const CommandLookup&) const = default;
};

// What a lookup found on the file system.
struct CommandFound {
  enum class State { found, missing, not_executable };
  State state = State::found;
  std::string file;         // found: the file it resolved to; not_executable: the file
  std::string searched;     // the PATH searched ("" for a command with a '/')
};

// The host's nftables table named as the lab's (model::nat_table_name), as the kernel lists it.
struct ObservedNatTable {
  bool marked = false;  // its comment is model::nat_table_mark(lab): the lab made it
  std::string ruleset;  // `list table` of it, as nft prints it
};

struct ObservedState {
  std::string lab;
  ObservedNamespace host;                            // always exists
  std::map<std::string, ObservedNamespace> namespaces;  // asked-for namespaces, present or not
  // The lab's state file says we created them, and they exist (or are a placeholder).
  std::set<std::string> owned_namespaces;
  // Of those, the identity (netns cookie) the record holds, where it holds one. A namespace
  // whose live cookie differs was deleted and made again outside nstopo: not the lab's.
  std::map<std::string, uint64_t> recorded_cookies;
  // Links ("ns:name") a run recorded it was about to create and that run did not finish: one
  // of them without the lab's alias was left unmarked by an interrupted run.
  std::set<std::string> pending_links;
  std::vector<ObservedService> services;             // the lab's recorded services
  // The lab's records of the host sysctls it changed, by key (their live values are in
  // host.sysctls: the observer reads every recorded key too).
  std::map<std::string, HostSysctlRecord> host_sysctl_records;
  // Host sysctl keys another lab's record holds: key -> that lab. One host value, one owner.
  std::map<std::string, std::string> host_sysctls_of_other_labs;
  // The commands asked to be looked up (ObserveRequest::commands). A lookup missing here was
  // not made: nothing is known of it.
  std::map<CommandLookup, CommandFound> commands;
  // The lab's NAT table, when the host has a table of its name.
  std::optional<ObservedNatTable> nat_table;
  // Why the host's nftables could not be read (no nf_tables in this kernel, ...), in the
  // kernel's words; empty when it could. A lab that declares NAT cannot be applied then.
  std::string nftables_unavailable;
  // The name files found (model/name_files.h), (namespace, file) -> content, read for every
  // namespace of the request; ("host", "hosts") is the lab's block of /etc/hosts, its lines
  // between the markers. A file missing here does not exist.
  std::map<std::pair<std::string, std::string>, std::string> name_files;
  // The lab's markers in /etc/hosts do not make one block (model::find_host_block): what is
  // wrong. Nothing is written to /etc/hosts then.
  std::string host_block_problem;

  const ObservedNamespace* find_namespace(std::string_view name) const;
};

// What the observer is asked to read.
struct ObserveRequest {
  std::string lab;
  std::set<std::string> namespaces;  // besides the host: declared ones and the lab's owned ones
  // Of those, the ones whose links alone are read: the lab's namespaces the file no longer
  // declares. They are about to be deleted, with everything in them; only their veth ends
  // matter (a host end dies with its peer's namespace), so their addresses and routes are
  // not dumped. That is two dumps fewer per namespace for a destroy.
  std::set<std::string> links_only;
  std::map<std::string, std::set<std::string>> sysctls;  // per namespace (host included)
  // Keys whose existence is checked (ObservedNamespace::absent_sysctls), per namespace. The
  // host is asked for every key of every namespace: a namespace that does not exist yet is
  // checked against the host's kernel.
  std::map<std::string, std::set<std::string>> sysctl_probes;
  // The declared services' commands, to be looked up on the file system.
  std::set<CommandLookup> commands;
};

}  // namespace nstopo::model
