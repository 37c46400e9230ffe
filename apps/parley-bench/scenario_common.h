#pragma once
// Pieces both scenarios share: pool set-up, registration figures, CPU windows.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "client_pool.h"
#include "options.h"
#include "proc_stats.h"
#include "report.h"
#include "wire.h"

namespace parley::bench {

std::unique_ptr<Protocol> make_protocol(const Options& options);

PoolConfig pool_config(const Options& options, const Protocol& protocol);

// Join announcements the clients of one room receive in all: each of the
// n*(n-1)/2 pairs produces exactly one, to whichever of the two joined first.
std::uint64_t expected_join_lines(std::size_t clients);

// The same over the rooms of a pool: clients[i] joins room i % rooms.
std::uint64_t expected_join_lines(std::size_t clients, std::size_t rooms);

void fill_registration(Report& report, const ClientPool& pool);
void fill_problems(Report& report, const ClientPool& pool);
// What the run was: protocol, rooms, options that change what is measured.
void fill_setup(Report& report, const Options& options, const PoolConfig& pool);

struct CpuSnapshot {
  std::optional<double> server;  // seconds, when the server PID is known
  double own = 0;
  std::optional<MachineTicks> machine;
};
// The servers' CPU time summed (unknown when there are none or one is gone).
CpuSnapshot cpu_snapshot(const std::vector<int>& server_pids);
void fill_cpu(Report& report, const CpuSnapshot& before, const CpuSnapshot& after);

}  // namespace parley::bench
