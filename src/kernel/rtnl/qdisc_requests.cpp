#include "kernel/rtnl/qdisc_requests.h"

#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/route/qdisc/netem.h>
#include <netlink/route/qdisc/tbf.h>
#include <netlink/route/tc.h>

#include <algorithm>

#include "kernel/rtnl/nl_objects.h"
#include "kernel/rtnl/request_building.h"

namespace nstopo::kernel {

namespace {

NetlinkResult<nl::QdiscPtr> root_qdisc(int ifindex, model::QdiscKind kind) {
  nl::QdiscPtr qdisc(rtnl_qdisc_alloc());
  if (!qdisc) return std::unexpected(out_of_memory());
  rtnl_tc* tc = TC_CAST(qdisc.get());
  rtnl_tc_set_ifindex(tc, ifindex);
  rtnl_tc_set_parent(tc, TC_H_ROOT);
  rtnl_tc_set_handle(tc, model::kImpairmentHandle);
  if (int err = rtnl_tc_set_kind(tc, std::string(model::to_string(kind)).c_str()); err < 0)
    return std::unexpected(build_failure(err));
  return qdisc;
}

// netem's TCA_OPTIONS are a struct followed by attributes in the same payload; libnl writes
// them last and leaves zero bytes after them (room it reserved, not an attribute). Those
// are cut off, so that the message ends with the options and more of them can be added.
NetlinkResult<nlattr*> netem_options_at_end(nl_msg* message) {
  nlmsghdr* header = nlmsg_hdr(message);
  nlattr* options = nlmsg_find_attr(header, sizeof(tcmsg), TCA_OPTIONS);
  if (!options) return std::unexpected(Refusal{0, "libnl's netem request has no options"});
  char* end = reinterpret_cast<char*>(options) + NLA_ALIGN(options->nla_len);
  char* message_end = reinterpret_cast<char*>(header) + header->nlmsg_len;
  if (end > message_end || std::any_of(end, message_end, [](char c) { return c != 0; }))
    return std::unexpected(Refusal{0, "libnl's netem request does not end with its options"});
  header->nlmsg_len = static_cast<uint32_t>(end - reinterpret_cast<char*>(header));
  return options;
}

// libnl 3.7 has no setter for netem's rate: TCA_NETEM_RATE (and TCA_NETEM_RATE64 above 32
// bits) goes at the end of the options, which grow by its size.
NetlinkResult<void> add_netem_rate(nl_msg* message, uint64_t rate) {
  auto options = netem_options_at_end(message);
  if (!options) return std::unexpected(options.error());
  tc_netem_rate netem_rate{};
  netem_rate.rate = static_cast<uint32_t>(std::min<uint64_t>(rate, 0xffffffffu));
  uint32_t before = nlmsg_hdr(message)->nlmsg_len;
  if (nla_put(message, TCA_NETEM_RATE, sizeof netem_rate, &netem_rate) < 0)
    return std::unexpected(out_of_memory());
  if (rate > 0xffffffffu && nla_put_u64(message, TCA_NETEM_RATE64, rate) < 0)
    return std::unexpected(out_of_memory());
  nlmsghdr* header = nlmsg_hdr(message);
  nlattr* grown = nlmsg_find_attr(header, sizeof(tcmsg), TCA_OPTIONS);
  grown->nla_len = static_cast<uint16_t>(grown->nla_len + (header->nlmsg_len - before));
  return {};
}

}  // namespace

NetlinkResult<nl::MessagePtr> root_qdisc_request(int ifindex, const model::QdiscSpec& spec) {
  auto qdisc = root_qdisc(ifindex, spec.kind);
  if (!qdisc) return std::unexpected(qdisc.error());
  rtnl_qdisc* q = qdisc->get();
  if (spec.kind == model::QdiscKind::tbf) {
    rtnl_qdisc_tbf_set_rate(q, static_cast<int>(spec.rate),
                            static_cast<int>(model::tbf_burst(spec.rate)), 0);
    rtnl_qdisc_tbf_set_limit(q, static_cast<int>(spec.limit));
  } else {
    rtnl_netem_set_limit(q, static_cast<int>(spec.limit));
    if (spec.delay) rtnl_netem_set_delay(q, static_cast<int>(spec.delay));
    if (spec.jitter) rtnl_netem_set_jitter(q, static_cast<int>(spec.jitter));
    // Probabilities are the kernel's u32s; libnl takes them as int and writes them back raw.
    if (spec.loss) rtnl_netem_set_loss(q, static_cast<int>(spec.loss));
    if (spec.duplicate) rtnl_netem_set_duplicate(q, static_cast<int>(spec.duplicate));
    if (spec.corrupt) rtnl_netem_set_corruption_probability(q, static_cast<int>(spec.corrupt));
    if (spec.reorder) {
      rtnl_netem_set_reorder_probability(q, static_cast<int>(spec.reorder));
      rtnl_netem_set_gap(q, 1);  // as tc: reorder every packet the probability picks
    }
  }
  nl_msg* raw = nullptr;
  int err = rtnl_qdisc_build_add_request(q, NLM_F_CREATE | NLM_F_REPLACE, &raw);
  auto message = built_request(err, raw);
  if (!message) return std::unexpected(message.error());
  if (spec.kind == model::QdiscKind::netem) {
    if (auto tidy = netem_options_at_end(message->get()); !tidy) return std::unexpected(tidy.error());
    if (spec.rate)
      if (auto added = add_netem_rate(message->get(), spec.rate); !added)
        return std::unexpected(added.error());
  }
  return message;
}

NetlinkResult<void> replace_root_qdisc(NetlinkSocket& socket, int ifindex,
                                       const model::QdiscSpec& spec) {
  auto message = root_qdisc_request(ifindex, spec);
  if (!message) return std::unexpected(message.error());
  return socket.request(message->get());
}

NetlinkResult<void> delete_root_qdisc(NetlinkSocket& socket, int ifindex, model::QdiscKind kind) {
  auto qdisc = root_qdisc(ifindex, kind);
  if (!qdisc) return std::unexpected(qdisc.error());
  nl_msg* raw = nullptr;
  int err = rtnl_qdisc_build_delete_request(qdisc->get(), &raw);
  auto message = built_request(err, raw);
  if (!message) return std::unexpected(message.error());
  return socket.request(message->get());
}

}  // namespace nstopo::kernel
