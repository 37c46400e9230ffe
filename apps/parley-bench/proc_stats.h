#pragma once
// CPU time and memory of processes, from /proc and getrusage.

#include <cstdint>
#include <optional>
#include <vector>

namespace parley::bench {

// utime + stime of every thread of process `pid`, in seconds.
std::optional<double> process_cpu_seconds(int pid);

// VmRSS of process `pid`, in bytes.
std::optional<std::int64_t> process_rss_bytes(int pid);
// The sum over `pids` (a cluster's nodes); nothing when one cannot be read.
std::optional<std::int64_t> servers_rss_bytes(const std::vector<int>& pids);

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
