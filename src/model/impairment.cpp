#include "model/impairment.h"

#include <algorithm>

#include <fmt/format.h>

namespace nstopo::model {

bool Impairment::empty() const { return !rate && !limit && !needs_netem(); }

bool Impairment::needs_netem() const {
  return delay || jitter || loss || duplicate || corrupt || reorder;
}

std::string Impairment::to_string() const {
  std::string text;
  auto add = [&](std::string_view key, const std::string& value) {
    if (!text.empty()) text += ' ';
    text += fmt::format("{} {}", key, value);
  };
  if (rate) add("rate", rate_text(*rate));
  if (delay) add("delay", time_text(*delay));
  if (jitter) add("jitter", time_text(*jitter));
  if (loss) add("loss", probability_text(*loss));
  if (duplicate) add("duplicate", probability_text(*duplicate));
  if (corrupt) add("corrupt", probability_text(*corrupt));
  if (reorder) add("reorder", probability_text(*reorder));
  if (limit) add("limit", std::to_string(*limit));
  return text;
}

std::string_view to_string(QdiscKind kind) { return kind == QdiscKind::tbf ? "tbf" : "netem"; }

std::string QdiscSpec::to_string() const {
  std::string text(model::to_string(kind));
  if (rate) text += " rate " + rate_text(rate);
  if (kind == QdiscKind::netem) {
    if (delay) text += " delay " + time_text(delay);
    if (jitter) text += " jitter " + time_text(jitter);
    if (loss) text += " loss " + probability_text(loss);
    if (duplicate) text += " duplicate " + probability_text(duplicate);
    if (corrupt) text += " corrupt " + probability_text(corrupt);
    if (reorder) text += " reorder " + probability_text(reorder);
    text += fmt::format(" limit {}", limit);
  } else {
    text += fmt::format(" limit {}b", limit);
  }
  return text;
}

uint32_t tbf_burst(uint64_t rate) {
  return static_cast<uint32_t>(std::clamp<uint64_t>(rate / 100, 16 * 1024, 64u << 20));
}

QdiscSpec qdisc_spec(const Impairment& impairment) {
  QdiscSpec spec;
  spec.rate = impairment.rate.value_or(0);
  if (!impairment.needs_netem()) {
    spec.kind = QdiscKind::tbf;
    // 50 ms of queue at the rate (as `tc ... latency 50ms`), or the declared packets.
    spec.limit = impairment.limit
                     ? *impairment.limit * kTbfPacketBytes
                     : static_cast<uint32_t>(std::min<uint64_t>(
                           spec.rate / 20 + tbf_burst(spec.rate), 0xffffffffu));
    return spec;
  }
  spec.kind = QdiscKind::netem;
  spec.limit = impairment.limit.value_or(kNetemDefaultLimit);
  spec.delay = impairment.delay.value_or(0);
  spec.jitter = impairment.jitter.value_or(0);
  spec.loss = impairment.loss.value_or(0);
  spec.duplicate = impairment.duplicate.value_or(0);
  spec.corrupt = impairment.corrupt.value_or(0);
  spec.reorder = impairment.reorder.value_or(0);
  return spec;
}

std::string rate_text(uint64_t bytes_per_second) {
  uint64_t bits = bytes_per_second * 8;
  for (auto [unit, scale] : {std::pair{"gbit", 1'000'000'000ull}, std::pair{"mbit", 1'000'000ull},
                             std::pair{"kbit", 1'000ull}})
    if (bits >= scale && bits % scale == 0) return fmt::format("{}{}", bits / scale, unit);
  return fmt::format("{}bit", bits);
}

std::string time_text(uint32_t microseconds) {
  if (microseconds && microseconds % 1'000'000 == 0) return fmt::format("{}s", microseconds / 1'000'000);
  if (microseconds && microseconds % 1'000 == 0) return fmt::format("{}ms", microseconds / 1'000);
  return fmt::format("{}us", microseconds);
}

std::string probability_text(uint32_t probability) {
  // In ten-thousandths of a percent, the finest a declaration can say (parse_percent).
  uint64_t units = (uint64_t{probability} * 1'000'000 + kProbabilityOne / 2) / kProbabilityOne;
  std::string text = fmt::format("{}.{:04}", units / 10'000, units % 10'000);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + "%";
}

}  // namespace nstopo::model
