#include "services/proc.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "model/read_all.h"

namespace nstopo::services {

namespace {

std::optional<std::string> read_proc_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  model::read_to_end<1024>(fd, text);  // a failed read ends the text where it stopped
  ::close(fd);
  return text;
}

template <typename T>
bool parse_number(std::string_view word, T& value) {
  auto [p, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
  return ec == std::errc{} && p == word.data() + word.size();
}

}  // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
  size_t open = text.find('(');
  size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return std::nullopt;
  ProcStat stat;
  auto pid_text = text.substr(0, open);
  while (!pid_text.empty() && pid_text.back() == ' ') pid_text.remove_suffix(1);
  if (!parse_number(pid_text, stat.pid)) return std::nullopt;
  // Fields 3.. follow the name; field N is words[N - 3].
  std::vector<std::string_view> words;
  std::string_view rest = text.substr(close + 1);
  while (!rest.empty()) {
    size_t start = rest.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    size_t end = rest.find_first_of(" \n", start);
    if (end == std::string_view::npos) end = rest.size();
    words.push_back(rest.substr(start, end - start));
    rest.remove_prefix(end);
  }
  if (words.size() < 20 || words[0].size() != 1) return std::nullopt;
  stat.state = words[0][0];
  if (!parse_number(words[1], stat.ppid) || !parse_number(words[2], stat.pgrp) ||
      !parse_number(words[3], stat.session) || !parse_number(words[19], stat.start_time))
    return std::nullopt;
  return stat;
}

// A multi-threaded process whose main thread has exited shows 'Z' for the process while its
// other threads still run and hold its sockets (python's http.server serves each request in a
// thread). The process has ended only when every thread has.
static std::optional<char> live_thread_state(int pid) {
  DIR* tasks = ::opendir(fmt::format("/proc/{}/task", pid).c_str());
  if (tasks == nullptr) return std::nullopt;
  std::optional<char> live;
  while (const dirent* entry = ::readdir(tasks)) {
    int tid = 0;
    if (!parse_number(std::string_view(entry->d_name), tid)) continue;
    auto text = read_proc_file(fmt::format("/proc/{}/task/{}/stat", pid, tid));
    auto task = text ? parse_proc_stat(*text) : std::nullopt;
    if (task && !task->ended()) {
      live = task->state;
      break;
    }
  }
  ::closedir(tasks);
  return live;
}

std::optional<ProcStat> read_proc_stat(int pid) {
  auto text = read_proc_file(fmt::format("/proc/{}/stat", pid));
  if (!text) return std::nullopt;
  auto stat = parse_proc_stat(*text);
  if (stat && stat->ended())
    if (auto live = live_thread_state(pid)) stat->state = *live;
  return stat;
}

std::vector<ProcStat> all_processes() {
  std::vector<ProcStat> processes;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return processes;
  while (const dirent* entry = ::readdir(proc)) {
    int pid = 0;
    if (!parse_number(std::string_view(entry->d_name), pid)) continue;
    if (auto stat = read_proc_stat(pid)) processes.push_back(*stat);
  }
  ::closedir(proc);
  return processes;
}

std::vector<ProcStat> processes_in_group(int pgid) {
  std::vector<ProcStat> members;
  for (const auto& process : all_processes())
    if (process.pgrp == pgid) members.push_back(process);
  return members;
}

std::vector<ProcStat> process_tree(int root, const std::vector<ProcStat>& processes) {
  std::vector<ProcStat> tree;
  for (const auto& process : processes)
    if (process.pid == root) tree.push_back(process);
  // Breadth first: each round adds the children of the processes found so far.
  for (size_t next = 0; next < tree.size(); ++next) {
    int parent = tree[next].pid;
    for (const auto& process : processes)
      if (process.ppid == parent && process.pid != root) tree.push_back(process);
  }
  return tree;
}

std::vector<ProcStat> process_tree(int root) { return process_tree(root, all_processes()); }

std::vector<std::string> process_cmdline(int pid) {
  std::vector<std::string> words;
  auto text = read_proc_file(fmt::format("/proc/{}/cmdline", pid));
  if (!text) return words;
  size_t pos = 0;
  while (pos < text->size()) {
    size_t end = text->find('\0', pos);
    if (end == std::string::npos) end = text->size();
    words.push_back(text->substr(pos, end - pos));
    pos = end + 1;
  }
  return words;
}

std::string process_name(int pid) {
  auto text = read_proc_file(fmt::format("/proc/{}/comm", pid));
  if (!text || text->empty()) return "?";
  if (text->back() == '\n') text->pop_back();
  return *text;
}

std::optional<std::chrono::seconds> uptime_since(uint64_t start_time) {
  auto text = read_proc_file("/proc/uptime");
  long ticks_per_second = ::sysconf(_SC_CLK_TCK);
  if (!text || ticks_per_second <= 0) return std::nullopt;
  std::string_view seconds_text(*text);
  seconds_text = seconds_text.substr(0, seconds_text.find('.'));
  uint64_t since_boot = 0;
  if (!parse_number(seconds_text, since_boot)) return std::nullopt;
  uint64_t started = start_time / static_cast<uint64_t>(ticks_per_second);
  return std::chrono::seconds(since_boot > started ? since_boot - started : 0);
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char* name = ::sigabbrev_np(sig);
    return fmt::format("was killed by signal {} (SIG{})", sig, name != nullptr ? name : "?");
  }
  return fmt::format("ended with wait status {:#x}", status);
}

}  // namespace nstopo::services
