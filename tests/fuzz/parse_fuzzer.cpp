// libFuzzer target for the topology parser: bytes in, the same entry point `nstopo validate`
// uses (parse::load_topology_text), diagnostics or a topology out, and for a lab on several
// machines each machine's share (model::share). Any crash, hang, leak or
// sanitizer report is a bug; a diagnostic is the expected answer to garbage.
//
// Built only with -DNSTOPO_FUZZ=ON (tests/fuzz/run.sh). The code under test is C++23 and uses
// libstdc++'s std::expected, which clang 14 cannot compile, so it is built with g++ and
// GCC's -fsanitize-coverage=trace-pc,trace-cmp, and linked with Debian's libFuzzer runtime
// (libclang-rt-14-dev). libFuzzer does not read GCC's trace-pc callback, so the link wraps
// it (-Wl,--wrap=__sanitizer_cov_trace_pc) into __wrap___sanitizer_cov_trace_pc below, which
// counts edges AFL-style in libFuzzer's "extra counters" section: that is libFuzzer's
// coverage feedback. trace-cmp callbacks go straight to libFuzzer (comparison-guided
// mutations). This file itself is compiled without coverage.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/machines.h"
#include "parse/diagnostic.h"
#include "parse/load.h"

namespace {

constexpr size_t kEdges = 1 << 16;
// libFuzzer finds the section through the linker's __start_/__stop_ symbols.
__attribute__((section("__libfuzzer_extra_counters"), used)) uint8_t edge_counters[kEdges];
thread_local uintptr_t previous_location = 0;
// Keeps the formatting from being optimized away.
volatile size_t formatted_length = 0;

}  // namespace

extern "C" __attribute__((no_sanitize_coverage)) void __wrap___sanitizer_cov_trace_pc() {
  // An edge is (previous block, this block), the way AFL counts it.
  auto here = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  uintptr_t location = (here ^ (here >> 16)) & (kEdges - 1);
  uint8_t& counter = edge_counters[location ^ previous_location];
  counter = static_cast<uint8_t>(counter + 1);
  previous_location = location >> 1;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto loaded = nstopo::parse::load_topology_text(text, "fuzz.yaml");
  // Format every diagnostic too: `validate` prints them with the source line and a caret.
  size_t length = 0;
  for (const auto& diagnostic : loaded.diagnostics)
    length += nstopo::parse::format_diagnostic(diagnostic).size();
  if (loaded.ok() && !loaded.diagnostics.empty()) __builtin_trap();  // ok() means no problem
  // What the parser accepts, every machine of it can project (`--host`): no throw, no crash.
  if (loaded.ok())
    for (const auto& machine : loaded.topology->machines)
      length += nstopo::model::share(*loaded.topology, machine.name).namespaces.size();
  formatted_length = length;
  return 0;
}
