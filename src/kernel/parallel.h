#pragma once
// A few threads for one job of independent items (namespaces to create, namespaces to read).
// The kernel does much of that work without the rtnl lock, so two threads on two cores take
// little more than half the time of one. Threads are made per job, never per item.
#include <cstddef>
#include <functional>

namespace nstopo::kernel {

// What the threads of a job mostly do: keep a core busy, or wait on the kernel (an RCU grace
// period, say), which several threads can do at once on one core.
enum class Work { busy, waiting };

// How many threads (the caller's included) a job of `items` gets: one for a small job, where
// a thread costs more than it saves; otherwise one per core, at most four, for busy work, and
// eight for waiting.
unsigned parallel_workers(size_t items, Work work);

// Calls work(index, worker) once for every index below `items`, on up to `workers` threads
// (this one included; `worker` numbers them from 0, for per-thread state). Returns when all
// are done. Falls back to fewer threads when no more can be made.
void run_in_parallel(size_t items, unsigned workers,
                     const std::function<void(size_t index, unsigned worker)>& work);

}  // namespace nstopo::kernel
