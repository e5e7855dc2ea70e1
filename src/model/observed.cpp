#include "model/observed.h"

#include <linux/if_addr.h>

namespace nstopo::model {

std::string link_owner_alias(std::string_view lab) { return fmt::format("nstopo:{}", lab); }

bool ObservedAddress::tentative() const { return (flags & IFA_F_TENTATIVE) != 0; }

const ObservedLink* ObservedNamespace::find_link(std::string_view wanted) const {
  for (auto& link : links)
    if (link.name == wanted) return &link;
  return nullptr;
}

const ObservedQdisc* ObservedNamespace::find_root_qdisc(std::string_view dev) const {
  for (auto& qdisc : qdiscs)
    if (qdisc.dev == dev) return &qdisc;
  return nullptr;
}

bool ObservedQdisc::made_by_nstopo() const {
  return handle == kImpairmentHandle && (kind == "tbf" || kind == "netem");
}

const ObservedNamespace* ObservedState::find_namespace(std::string_view ns) const {
  if (ns == kHostNamespace) return &host;
  auto it = namespaces.find(std::string(ns));
  return it == namespaces.end() ? nullptr : &it->second;
}

}  // namespace nstopo::model
