// The qdisc requests libnl builds for nstopo (kernel/rtnl/qdisc_requests.h) read back by
// parse_qdisc (kernel/rtnl/dump_parse.h): a request is an RTM_NEWQDISC as the kernel's dump
// answers are, so what nstopo makes and what it observes must agree field by field. netem
// cannot be made on a kernel without sch_netem: this is where its encoding is checked.
#include <doctest/doctest.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "kernel/rtnl/dump_parse.h"
#include "kernel/rtnl/qdisc_requests.h"

using namespace nstopo;

namespace {

model::QdiscSpec round_trip(const model::QdiscSpec& spec) {
  auto message = kernel::root_qdisc_request(7, spec);
  REQUIRE_MESSAGE(message, (message ? "" : message.error().text));
  const nlmsghdr& header = *nlmsg_hdr(message->get());
  CHECK(header.nlmsg_type == RTM_NEWQDISC);
  CHECK((header.nlmsg_flags & (NLM_F_CREATE | NLM_F_REPLACE)) == (NLM_F_CREATE | NLM_F_REPLACE));
  auto parsed = kernel::parse_qdisc(header);
  REQUIRE(parsed);
  CHECK(parsed->ifindex == 7);
  CHECK(parsed->qdisc.handle == model::kImpairmentHandle);
  CHECK(parsed->qdisc.made_by_nstopo());
  CHECK(parsed->qdisc.kind == model::to_string(spec.kind));
  return parsed->qdisc.spec;
}

}  // namespace

TEST_CASE("tbf: the rate and the queue nstopo asks for are what it reads back") {
  auto spec = model::qdisc_spec(model::Impairment{.rate = 2'500'000});
  CHECK(round_trip(spec) == spec);
  auto limited = model::qdisc_spec(model::Impairment{.rate = 64'000, .limit = 20});
  CHECK(round_trip(limited) == limited);
}

TEST_CASE("netem: delay, jitter, probabilities, limit and its own rate read back") {
  model::Impairment wan{.rate = 1'250'000,
                        .delay = 20'000,
                        .jitter = 5'000,
                        .loss = 42'949'673,
                        .duplicate = 4'295,
                        .corrupt = 21'474'836,
                        .reorder = 1'073'741'824,
                        .limit = 500};
  auto spec = model::qdisc_spec(wan);
  CHECK(round_trip(spec) == spec);
  auto delay_only = model::qdisc_spec(model::Impairment{.delay = 30'000});
  CHECK(round_trip(delay_only) == delay_only);
}

TEST_CASE("only root qdiscs are read") {
  auto message = kernel::root_qdisc_request(3, model::qdisc_spec(model::Impairment{.rate = 2'500'000}));
  REQUIRE(message);
  nlmsghdr* header = nlmsg_hdr(message->get());
  static_cast<tcmsg*>(nlmsg_data(header))->tcm_parent = 0x00010001;  // a class's child
  CHECK_FALSE(kernel::parse_qdisc(*header));
}
