#pragma once
// What /proc says about a process: enough to tell a live service from a dead one, and a
// service from an unrelated process that was given its recycled PID.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nstopo::services {

struct ProcStat {
  int pid = 0;
  char state = '?';         // R, S, D, Z (zombie), X (dead), ...
  int ppid = 0;
  int pgrp = 0;
  int session = 0;
  uint64_t start_time = 0;  // field 22: clock ticks after boot
  bool ended() const { return state == 'Z' || state == 'X'; }
};

// Parses /proc/PID/stat. The command name (field 2) may hold spaces and parentheses, so the
// fields are counted from the last ')'.
std::optional<ProcStat> parse_proc_stat(std::string_view text);
// A process whose main thread exited before its other threads reads as running until the
// last thread has ended.
std::optional<ProcStat> read_proc_stat(int pid);

// Every process of the machine's /proc (as this process's PID namespace sees it), zombies
// included: one scan, for callers that look at many processes at once.
std::vector<ProcStat> all_processes();

// Every process of process group `pgid` (a scan of /proc), zombies included.
std::vector<ProcStat> processes_in_group(int pgid);

// `root` and every process descended from it (by parent links, as of one scan of /proc),
// `root` first, parents before their children. Empty when `root` is gone.
std::vector<ProcStat> process_tree(int root);
std::vector<ProcStat> process_tree(int root, const std::vector<ProcStat>& processes);

// The command line of the process (/proc/PID/cmdline split at its NULs); empty when gone.
std::vector<std::string> process_cmdline(int pid);

// The command name of the process (/proc/PID/comm), "?" when it cannot be read.
std::string process_name(int pid);

// How long ago a process with this start time started (/proc/uptime against clock ticks).
std::optional<std::chrono::seconds> uptime_since(uint64_t start_time);

// "exited with status 3", "was killed by signal 9 (SIGKILL)".
std::string describe_wait_status(int status);

}  // namespace nstopo::services
