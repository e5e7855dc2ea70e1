#include "kernel/parallel.h"

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>
#include <vector>

namespace nstopo::kernel {

namespace {

// Beyond four busy threads the kernel's own locks leave nothing to gain.
constexpr unsigned kMaxBusyWorkers = 4;
constexpr unsigned kWaitingWorkers = 8;
// Below this a job runs on the calling thread: a thread costs more than it saves.
constexpr size_t kMinParallelItems = 8;

}  // namespace

unsigned parallel_workers(size_t items, Work work) {
  if (items < kMinParallelItems) return 1;
  if (work == Work::waiting) return kWaitingWorkers;
  return std::clamp(std::thread::hardware_concurrency(), 1u, kMaxBusyWorkers);
}

void run_in_parallel(size_t items, unsigned workers,
                     const std::function<void(size_t index, unsigned worker)>& work) {
  std::atomic<size_t> next{0};
  auto worker_loop = [&](unsigned worker) {
    for (size_t index; (index = next.fetch_add(1)) < items;) work(index, worker);
  };
  std::vector<std::jthread> helpers;
  for (unsigned worker = 1; worker < workers; ++worker) {
    try {
      helpers.emplace_back(worker_loop, worker);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running (and this one) do the rest
    }
  }
  worker_loop(0);
}  // the helpers are joined as `helpers` goes

}  // namespace nstopo::kernel
