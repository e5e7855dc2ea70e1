#pragma once
// Link impairment: what a topology declares on an interface (rate, delay, loss, ...) and the
// one root qdisc nstopo makes for it (tbf for a rate alone, netem for the rest). Pure: the
// kernel layer builds and reads qdiscs in these terms (kernel/rtnl/qdisc_requests.h,
// parse_qdisc in kernel/rtnl/dump_parse.h).
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nstopo::model {

// The handle of every root qdisc nstopo makes: "4e53:" ("NS"). A qdisc carries no alias;
// a root qdisc on one of the lab's links with this handle and a kind nstopo makes (tbf,
// netem) is the lab's, and no other qdisc is ever changed or deleted.
inline constexpr uint32_t kImpairmentHandle = 0x4e530000;

// Probabilities as the kernel keeps them: 0 = never, UINT32_MAX = always.
inline constexpr uint32_t kProbabilityOne = 0xffffffffu;

struct Impairment {
  std::optional<uint64_t> rate;            // bytes per second (declared in bits: "10mbit")
  std::optional<uint32_t> delay, jitter;   // microseconds
  std::optional<uint32_t> loss, duplicate, corrupt, reorder;  // probabilities
  std::optional<uint32_t> limit;           // the queue, in packets

  bool empty() const;
  // Any key only netem implements (all but rate and limit).
  bool needs_netem() const;
  std::string to_string() const;  // "rate 10mbit delay 20ms loss 1%"
  auto operator<=>(const Impairment&) const = default;
};

enum class QdiscKind { tbf, netem };
std::string_view to_string(QdiscKind kind);  // the kernel's TCA_KIND

// A root qdisc in the kernel's own units, as nstopo makes it and as the observer reads it
// back: equal specs mean nothing to change. tbf's bucket is not in it: it is derived from the
// rate (tbf_burst) whenever the qdisc is made, and the kernel keeps it as a time.
struct QdiscSpec {
  QdiscKind kind = QdiscKind::tbf;
  uint64_t rate = 0;        // bytes per second; 0: none (netem without rate)
  uint32_t limit = 0;       // tbf: bytes; netem: packets
  uint32_t delay = 0, jitter = 0;  // netem, microseconds
  uint32_t loss = 0, duplicate = 0, corrupt = 0, reorder = 0;  // netem, probabilities
  auto operator<=>(const QdiscSpec&) const = default;
  std::string to_string() const;  // "tbf rate 20mbit limit 150000b"
};

// netem's own default queue.
inline constexpr uint32_t kNetemDefaultLimit = 1000;
// The packet size a tbf limit in packets is counted in (an Ethernet frame).
inline constexpr uint32_t kTbfPacketBytes = 1514;

// tbf's bucket for a rate: 10 ms of it, and never less than 16 KiB, so that a GSO burst of a
// veth passes without being split into more segments than it must.
uint32_t tbf_burst(uint64_t rate);
// The qdisc that implements `impairment` (not empty): tbf for a rate and a limit alone, else
// netem (with its own rate field for a rate).
QdiscSpec qdisc_spec(const Impairment& impairment);

// Text for values, as they are declared: "20mbit", "20ms", "0.5%".
std::string rate_text(uint64_t bytes_per_second);
std::string time_text(uint32_t microseconds);
std::string probability_text(uint32_t probability);

}  // namespace nstopo::model
