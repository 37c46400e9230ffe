#pragma once
// CPU time and memory of processes, from /proc and getrusage.

#include <cstdint>
#include <optional>
#include <vector>

namespace parley::bench {

// utime + stime of every thread of process `pid`, in seconds.
std::optional<double> process_cpu_seconds(int pid);

// Resident memory, in bytes: all of it (VmRSS), and the anonymous part
// (RssAnon: heap, stacks). The rest is pages of files (code, libraries'
// data) that the first use of a path faults in once, not per connection.
struct ResidentMemory {
  std::int64_t total = 0;
  std::int64_t anonymous = 0;
};
std::optional<ResidentMemory> process_memory(int pid);
// The sum over `pids` (a cluster's nodes); nothing when one cannot be read.
std::optional<ResidentMemory> servers_memory(const std::vector<int>& pids);

// User + system CPU this process has used, in seconds.
double own_cpu_seconds();

// Clock ticks all CPUs of the machine have spent, busy and in total (/proc/stat).
struct MachineTicks {
  std::uint64_t busy = 0;
  std::uint64_t total = 0;
};
std::optional<MachineTicks> machine_ticks();

// Online CPUs.
int cpu_count();

}  // namespace parley::bench
