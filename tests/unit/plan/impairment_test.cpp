// The qdisc an impairment becomes, and the text it is shown with (model/impairment.h).
#include <doctest/doctest.h>

#include "model/action.h"
#include "model/impairment.h"
#include "parse/values.h"

using namespace nstopo;

TEST_CASE("a rate alone is tbf with a bucket of 10 ms and a queue of 50 ms; anything else is netem") {
  model::Impairment rate_only{.rate = *parse::parse_rate("20mbit", "rate")};
  auto tbf = model::qdisc_spec(rate_only);
  CHECK(tbf.kind == model::QdiscKind::tbf);
  CHECK(tbf.rate == 2'500'000u);
  CHECK(model::tbf_burst(tbf.rate) == 25'000u);
  CHECK(tbf.limit == 2'500'000u / 20 + 25'000u);
  CHECK(model::tbf_burst(1'000) == 16 * 1024);  // never below 16 KiB
  CHECK(tbf.to_string() == "tbf rate 20mbit limit 150000b");

  rate_only.limit = 100;
  CHECK(model::qdisc_spec(rate_only).limit == 100 * model::kTbfPacketBytes);

  model::Impairment wan{.rate = 1'250'000, .delay = 20'000, .loss = *parse::parse_percent("0.5%", "loss")};
  auto netem = model::qdisc_spec(wan);
  CHECK(netem.kind == model::QdiscKind::netem);
  CHECK(netem.rate == 1'250'000u);
  CHECK(netem.limit == model::kNetemDefaultLimit);
  CHECK(netem.to_string() == "netem rate 10mbit delay 20ms loss 0.5% limit 1000");
  CHECK(wan.to_string() == "rate 10mbit delay 20ms loss 0.5%");
}

TEST_CASE("values are shown as they are declared") {
  CHECK(model::rate_text(64'000) == "512kbit");
  CHECK(model::rate_text(125'000'000) == "1gbit");
  CHECK(model::rate_text(1'001) == "8008bit");
  CHECK(model::time_text(500) == "500us");
  CHECK(model::time_text(1'000'000) == "1s");
  CHECK(model::probability_text(0xffffffffu) == "100%");
  CHECK(model::probability_text(*parse::parse_percent("0.0001%", "loss")) == "0.0001%");
  CHECK(model::probability_text(*parse::parse_percent("12.5%", "loss")) == "12.5%");
}

TEST_CASE("an impairment's undo: the old qdisc back, or none; a removal made again") {
  using model::ClearImpairment, model::SetImpairment, model::Operation;
  auto spec = [](uint64_t rate) { return model::qdisc_spec(model::Impairment{.rate = rate}); };
  SetImpairment change{"ns_a", "eth0", spec(1'250'000), spec(2'500'000)};
  auto undo = change.inverse();
  REQUIRE(undo);
  auto* back = std::get_if<SetImpairment>(&*undo);
  REQUIRE(back);
  CHECK(back->spec == spec(2'500'000));
  CHECK(back->old == spec(1'250'000));

  auto made = SetImpairment{"ns_a", "eth0", spec(1'250'000), std::nullopt}.inverse();
  REQUIRE(made);
  auto* cleared = std::get_if<ClearImpairment>(&*made);
  REQUIRE(cleared);
  CHECK(cleared->old == spec(1'250'000));

  auto removed = ClearImpairment{"ns_a", "eth0", spec(1'250'000)}.inverse();
  REQUIRE(removed);
  CHECK(std::get<SetImpairment>(*removed).spec == spec(1'250'000));
  CHECK(change.object_key().to_string() == "impairment on ns_a:eth0");
  CHECK(change.rank() > model::SetLinkUp{"ns_a", "eth0", true}.rank());
  CHECK(change.rank() < model::AddAddress{"ns_a", "eth0", {}}.rank());
}
