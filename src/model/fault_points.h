#pragma once
// Fault points: named places where the fault harness (tests/integration/test_faults*.sh) may
// stop nstopo, to prove that a run killed there is repaired by the next one.
//
// Compiled in only with -DNSTOPO_FAULT_POINTS=ON (the test build); in a release build every
// fault_point is an empty inline function, its name is never even formatted, and nothing
// reads the environment. With the option on, three variables steer it:
//   NSTOPO_FAULT_AT=K        at the K-th point reached (counting from 1), raise the signal
//   NSTOPO_FAULT_SIGNAL=NAME KILL (default), TERM or INT
//   NSTOPO_FAULT_TRACE=PATH  append "K NAME" for every point reached (to count them)
// Points are counted across threads in the order they are reached.
//
// Use: fault_point("veth created, not marked") or, for a name that costs something to make,
// fault_point([&] { return "before " + action.describe(); }).
#include <string>
#include <string_view>
#include <type_traits>

namespace nstopo::model {

#ifdef NSTOPO_FAULT_POINTS
inline constexpr bool kFaultPoints = true;
void fault_point_reached(std::string_view where);
#else
inline constexpr bool kFaultPoints = false;
inline void fault_point_reached(std::string_view /*where*/) {}
#endif

template <typename Where>
inline void fault_point(Where&& where) {
  if constexpr (kFaultPoints) {
    if constexpr (std::is_invocable_v<Where>)
      fault_point_reached(std::string(where()));
    else
      fault_point_reached(std::string_view(where));
  }
}

}  // namespace nstopo::model
