#include "kernel/rtnl/route_lookup.h"

#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <sys/socket.h>

#include <array>
#include <cstring>

#include <fmt/format.h>

#include "kernel/netns/netns.h"
#include "kernel/rtnl/netlink_socket.h"
#include "kernel/rtnl/request_building.h"
#include "model/topology.h"

namespace nstopo::kernel {
namespace {

std::optional<model::IpAddress> address_of(const nlattr* attribute, model::Family family) {
  model::IpAddress address{.family = family};
  if (!attribute || nla_len(attribute) != address.byte_length()) return std::nullopt;
  std::memcpy(address.bytes.data(), nla_data(attribute), static_cast<size_t>(address.byte_length()));
  return address;
}

// Asks in the calling thread's namespace.
Result<RouteAnswer> ask(const model::IpAddress& to, const std::string& label) {
  auto socket = NetlinkSocket::open(label);
  if (!socket) return std::unexpected(socket.error());
  rtmsg header{};
  header.rtm_family = static_cast<unsigned char>(to.af());
  header.rtm_dst_len = static_cast<unsigned char>(to.byte_length() * 8);
  nl::MessagePtr request = header_request(RTM_GETROUTE, 0, header);
  if (!request || nla_put(request.get(), RTA_DST, to.byte_length(), to.bytes.data()) < 0)
    return fail(ErrorKind::internal, "cannot build a route lookup request", label, ENOMEM);
  std::optional<RouteAnswer> answer;
  int oif = 0;
  auto answered = (*socket)->request(request.get(), [&](const nlmsghdr& reply) {
    if (auto parsed = parse_route_answer(reply, oif)) answer = parsed;
  });
  if (!answered)
    return std::unexpected(refusal_error(answered.error(),
                                         fmt::format("route lookup for {} in {}", to, label), label));
  if (!answer)
    return fail(ErrorKind::kernel, fmt::format("route lookup for {} in {}: no answer", to, label),
                label);
  if (oif > 0) {
    char name[IF_NAMESIZE] = {};
    // The calling thread is in the namespace: the index is looked up among its links.
    answer->dev = ::if_indextoname(static_cast<unsigned>(oif), name) ? name : fmt::format("if{}", oif);
  }
  answer->destination = to;
  return *answer;
}

}  // namespace

std::string RouteAnswer::to_string() const {
  std::string text = destination.to_string();
  if (type == RTN_LOCAL) text = "local " + text;
  else if (type == RTN_UNREACHABLE) text = "unreachable " + text;
  else if (type == RTN_BLACKHOLE) text = "blackhole " + text;
  else if (type == RTN_PROHIBIT) text = "prohibit " + text;
  if (gateway) text += " via " + gateway->to_string();
  if (!dev.empty()) text += " dev " + dev;
  if (source) text += " src " + source->to_string();
  return text;
}

std::optional<RouteAnswer> parse_route_answer(const nlmsghdr& message, int& oif) {
  if (message.nlmsg_type != RTM_NEWROUTE) return std::nullopt;
  std::array<nlattr*, RTA_MAX + 1> found{};
  if (nlmsg_parse(const_cast<nlmsghdr*>(&message), sizeof(rtmsg), found.data(), RTA_MAX,
                  nullptr) < 0)
    return std::nullopt;
  const auto* info = static_cast<const rtmsg*>(nlmsg_data(&message));
  if (info->rtm_family != AF_INET && info->rtm_family != AF_INET6) return std::nullopt;
  auto family = info->rtm_family == AF_INET ? model::Family::inet : model::Family::inet6;
  RouteAnswer answer;
  answer.type = info->rtm_type;
  answer.gateway = address_of(found[RTA_GATEWAY], family);
  answer.source = address_of(found[RTA_PREFSRC], family);
  if (auto dst = address_of(found[RTA_DST], family)) answer.destination = *dst;
  oif = found[RTA_OIF] ? static_cast<int>(nla_get_u32(found[RTA_OIF])) : 0;
  return answer;
}

Result<RouteAnswer> lookup_route(const std::string& netns_dir, const std::string& ns,
                                 const model::IpAddress& to) {
  if (ns == model::kHostNamespace) return ask(to, ns);
  auto target = open_namespace(netns_dir, ns);
  if (!target) return std::unexpected(target.error());
  auto home = open_current_namespace();
  if (!home) return std::unexpected(home.error());
  auto visit = NamespaceVisit::enter(target->get(), home->get(), ns);
  if (!visit) return std::unexpected(visit.error());
  return ask(to, ns);  // the visit ends (the thread goes home) after the answer is read
}

}  // namespace nstopo::kernel
