#include "model/action.h"

namespace nstopo::model {

std::string CreateVeth::describe() const {
  std::string text = fmt::format("veth {} <-> {}", a.to_string(), b.to_string());
  if (mtu_a) text += fmt::format(" mtu {}", *mtu_a);
  if (master_a) text += fmt::format(", {} master {}", a.to_string(), *master_a);
  if (master_b) text += fmt::format(", {} master {}", b.to_string(), *master_b);
  if (up_a && up_b)
    text += ", up";
  else if (up_a || up_b)
    text += fmt::format(", {} up", (up_a ? a : b).to_string());
  return text;
}
std::optional<Operation> CreateVeth::inverse() const { return DeleteLink{a.ns, a.ifname, LinkKind::veth, b}; }

std::optional<Operation> CreateBridge::inverse() const { return DeleteLink{ns, name, LinkKind::bridge, {}}; }

std::string CreateVxlan::describe() const {
  std::string text = fmt::format("vxlan {} vni {} remote {}", at(ns, name), vxlan.vni,
                                 vxlan.remote.to_string());
  if (vxlan.local) text += fmt::format(" local {}", vxlan.local->to_string());
  text += fmt::format(" port {}", vxlan.port);
  if (mtu) text += fmt::format(" mtu {}", *mtu);
  if (mac) text += fmt::format(" address {}", mac->to_string());
  return text;
}
std::optional<Operation> CreateVxlan::inverse() const {
  return DeleteLink{ns, name, LinkKind::vxlan, {}, vxlan};
}

std::string DeleteLink::describe() const {
  std::string_view what = kind ? to_string(*kind) : "link";
  if (peer) return fmt::format("{} {} <-> {}", what, at(ns, name), peer->to_string());
  return fmt::format("{} {}", what, at(ns, name));
}
std::optional<Operation> DeleteLink::inverse() const {
  if (kind == LinkKind::bridge) return CreateBridge{{ns, name}};
  if (kind == LinkKind::veth && peer) return CreateVeth{{ns, name}, *peer};
  if (kind == LinkKind::vxlan && vxlan) return CreateVxlan{{ns, name}, *vxlan};
  return std::nullopt;
}

std::optional<Operation> MoveLink::inverse() const { return MoveLink{to_ns, name, from_ns}; }

namespace {
std::string optional_text(const std::optional<std::string>& v) {
  return v && !v->empty() ? *v : std::string("none");
}
}  // namespace

std::string SetLinkAttributes::describe() const {
  std::string text = fmt::format("link {}", at(ns, name));
  if (mtu) text += fmt::format(" mtu {}", *mtu);
  if (mac) text += fmt::format(" address {}", mac->to_string());
  if (master) text += fmt::format(" master {}", optional_text(master));
  if (alias) text += fmt::format(" alias {}", optional_text(alias));
  if (ipv6_link_local) text += fmt::format(" ipv6 link-local {}", *ipv6_link_local ? "on" : "off");
  if (isolated) text += fmt::format(" isolated {}", *isolated ? "on" : "off");
  return text;
}
std::optional<Operation> SetLinkAttributes::inverse() const {
  return SetLinkAttributes{ns,         name,      old_mtu,   mtu,
                           old_mac,    mac,       old_master, master,
                           old_alias,  alias,     old_ipv6_link_local, ipv6_link_local,
                           old_isolated, isolated};
}

std::optional<Operation> SetLinkUp::inverse() const { return SetLinkUp{ns, name, !up}; }

}  // namespace nstopo::model
