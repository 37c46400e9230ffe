#include "scenario_common.h"

#include <fmt/format.h>

#include "clock.h"
#include "net_addr.h"

namespace parley::bench {

PoolConfig pool_config(const Options& o) {
  PoolConfig c;
  c.server = *make_address(o.host, o.port);  // validated by parse_options
  c.count = o.clients;
  c.connect_rate = o.connect_rate;
  c.register_timeout_ns = seconds_to_ns(o.register_timeout);
  c.name_prefix = o.name_prefix;
  return c;
}

std::uint64_t expected_join_lines(std::size_t clients) {
  const auto c = static_cast<std::uint64_t>(clients);
  return c * (c - 1) / 2;
}

void fill_registration(Report& r, const ClientPool& pool) {
  r.registered = pool.registered();
  r.registration_failures = pool.failed();
  const std::int64_t span = pool.last_registered_ns() - pool.first_connect_ns();
  if (pool.registered() > 0 && span > 0)
    r.registrations_per_sec = static_cast<double>(pool.registered()) / ns_to_seconds(span);
  if (pool.registration_latency().count() > 0) r.registration = percentiles_ms(pool.registration_latency());
}

void fill_problems(Report& r, const ClientPool& pool) {
  r.disconnected = pool.disconnected();
  for (const auto& [what, count] : pool.problems()) r.problems.push_back(fmt::format("{} x {}", count, what));
}

CpuSnapshot cpu_snapshot(int server_pid) {
  CpuSnapshot s;
  if (server_pid > 0) s.server = process_cpu_seconds(server_pid);
  s.own = own_cpu_seconds();
  s.machine = machine_ticks();
  return s;
}

void fill_cpu(Report& r, const CpuSnapshot& before, const CpuSnapshot& after) {
  if (before.server && after.server) r.server_cpu_seconds = *after.server - *before.server;
  r.bench_cpu_seconds = after.own - before.own;
  r.cpus = cpu_count();
  if (before.machine && after.machine && after.machine->total > before.machine->total)
    r.machine_cpu_busy = static_cast<double>(after.machine->busy - before.machine->busy) /
                         static_cast<double>(after.machine->total - before.machine->total);
}

}  // namespace parley::bench
