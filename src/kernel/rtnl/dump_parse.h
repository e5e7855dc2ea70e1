#pragma once
// rtnetlink dump messages (RTM_NEWLINK, RTM_NEWADDR, RTM_NEWROUTE) into model values. Pure:
// the observer feeds it what the kernel sent; names are resolved from ifindexes afterwards,
// within the same namespace's own link dump.
#include <linux/netlink.h>

#include <optional>

#include "model/observed.h"

namespace nstopo::kernel {

struct LinkMessage {
  model::ObservedLink link;  // everything but `master`
  int master_ifindex = 0;    // IFLA_MASTER, 0 for none
  // IFLA_QDISC is "noqueue": the device has the kernel's default root qdisc of a virtual link
  // (veth, bridge, vxlan, lo), which a qdisc dump would list with handle 0.
  bool noqueue_root = false;
};
// nullopt for a message that is not RTM_NEWLINK or is malformed.
std::optional<LinkMessage> parse_link(const nlmsghdr& message);

struct AddressMessage {
  model::ObservedAddress address;  // everything but `dev`
  int ifindex = 0;
};
// IPv4 and IPv6 only. IFA_PROTO is read raw: libnl 3.7 does not know it.
std::optional<AddressMessage> parse_address(const nlmsghdr& message);

struct RouteMessage {
  model::ObservedRoute route;  // everything but `dev`
  int oif = 0;                 // RTA_OIF, 0 for none (a multipath route)
};
// Only what the planner compares: the main table, unicast, IPv4 and IPv6. The local and
// broadcast routes the kernel makes for each address live in the local table.
std::optional<RouteMessage> parse_route(const nlmsghdr& message);

struct QdiscMessage {
  model::ObservedQdisc qdisc;  // everything but `dev`
  int ifindex = 0;
};
// Root qdiscs only (tcm_parent TC_H_ROOT); their settings (TCA_OPTIONS) for tbf and netem,
// in model::QdiscSpec's units.
std::optional<QdiscMessage> parse_qdisc(const nlmsghdr& message);

}  // namespace nstopo::kernel
