#include "scenario_common.h"

#include <fmt/format.h>

#include "clock.h"
#include "irc_wire.h"
#include "net_addr.h"
#include "redis_wire.h"
#include "seed_wire.h"
#include "text_wire.h"
#include "ws_wire.h"

namespace parley::bench {

std::unique_ptr<Protocol> make_protocol(const Options& o) {
  switch (o.proto) {
    case Proto::irc: {
      auto irc = make_irc_protocol({o.caps, o.oper, o.sender_umode});
      if (o.ws) return make_websocket_protocol(std::move(irc), fmt::format("{}:{}", o.host, o.port));
      return irc;
    }
    case Proto::redis:
      return make_redis_protocol();
    case Proto::seed:
      return make_seed_protocol(o.name_prefix, o.size);
    case Proto::text:
      break;
  }
  return make_text_protocol();
}

PoolConfig pool_config(const Options& o, const Protocol& protocol) {
  PoolConfig c;
  for (std::uint16_t port : o.ports) c.servers.push_back(*make_address(o.host, port));  // validated by parse_options
  c.clients = o.clients;
  c.senders = o.scenario == Scenario::fanout ? o.senders : 0;
  if (o.rooms <= 1) {
    c.rooms.push_back(o.room.empty() ? protocol.default_room() : o.room);
  } else {
    for (std::size_t k = 0; k < o.rooms; ++k)
      c.rooms.push_back(o.room.empty() ? protocol.numbered_room(k) : fmt::format("{}{}", o.room, k));
  }
  c.part = o.part;
  c.quickack = o.quickack;
  c.tls = o.tls;
  c.connect_rate = o.connect_rate;
  c.register_timeout_ns = seconds_to_ns(o.register_timeout);
  c.name_prefix = o.name_prefix;
  return c;
}

std::uint64_t expected_join_lines(std::size_t clients) {
  const auto c = static_cast<std::uint64_t>(clients);
  return c > 0 ? c * (c - 1) / 2 : 0;
}

std::uint64_t expected_join_lines(std::size_t clients, std::size_t rooms) {
  std::uint64_t total = 0;
  for (std::size_t k = 0; k < rooms; ++k) total += expected_join_lines(clients / rooms + (k < clients % rooms ? 1 : 0));
  return total;
}

void fill_setup(Report& r, const Options& o, const PoolConfig& pool) {
  r.proto = std::string{proto_name(o.proto)};
  r.quickack = o.quickack;
  r.tls = o.tls;
  r.rooms = pool.rooms.size();
  r.room = pool.rooms.size() == 1 ? pool.rooms.front() : "";
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

CpuSnapshot cpu_snapshot(const std::vector<int>& server_pids) {
  CpuSnapshot s;
  for (int pid : server_pids) {
    const auto seconds = process_cpu_seconds(pid);
    if (!seconds) return CpuSnapshot{std::nullopt, own_cpu_seconds(), machine_ticks()};  // one gone: unknown
    s.server = s.server.value_or(0) + *seconds;
  }
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
