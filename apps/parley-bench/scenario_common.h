#pragma once
// Pieces both scenarios share: pool set-up, registration figures, CPU windows.

#include <cstdint>
#include <optional>

#include "client_pool.h"
#include "options.h"
#include "proc_stats.h"
#include "report.h"

namespace parley::bench {

PoolConfig pool_config(const Options& options);

// Join announcements C clients receive in all: each of the C*(C-1)/2 pairs
// produces exactly one, to whichever of the two joined first.
std::uint64_t expected_join_lines(std::size_t clients);

void fill_registration(Report& report, const ClientPool& pool);
void fill_problems(Report& report, const ClientPool& pool);

struct CpuSnapshot {
  std::optional<double> server;  // seconds, when the server PID is known
  double own = 0;
  std::optional<MachineTicks> machine;
};
CpuSnapshot cpu_snapshot(int server_pid);
void fill_cpu(Report& report, const CpuSnapshot& before, const CpuSnapshot& after);

}  // namespace parley::bench
