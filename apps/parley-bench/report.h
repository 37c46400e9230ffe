#pragma once
// The result of a run, and its two renderings: a summary line and JSON.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "histogram.h"
#include "proc_stats.h"

namespace parley::bench {

struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;  // milliseconds
  std::uint64_t samples = 0;
};

Percentiles percentiles_ms(const Histogram& h);

struct Report {
  std::string scenario;
  std::string proto;
  bool quickack = true;
  bool tls = false;
  std::string room;        // empty: several rooms, or the server's default room
  std::size_t rooms = 1;
  std::size_t clients = 0, senders = 0, size = 0, window = 0;
  double rate = 0, warmup = 0, duration = 0;

  // Registration (both scenarios).
  std::size_t registered = 0, registration_failures = 0, disconnected = 0;
  double registrations_per_sec = 0;
  std::optional<Percentiles> registration;

  // Measured window.
  double measured_seconds = 0;
  std::uint64_t sent = 0, delivered = 0;  // in the measured window
  std::optional<double> server_cpu_seconds;
  double bench_cpu_seconds = 0;
  int cpus = 0;
  std::optional<double> machine_cpu_busy;  // 0..1, all CPUs, over the measured window
  std::optional<Percentiles> latency;

  // Whole run (fanout).
  std::uint64_t sent_total = 0, delivered_total = 0, expected_total = 0;
  std::uint64_t lost = 0, out_of_order = 0, foreign_lines = 0, error_lines = 0;

  // Memory (idle, or whenever the server PID is known).
  std::optional<ResidentMemory> memory_before, memory_after;

  bool settled = true, drained = true, time_limit_hit = false;
  std::vector<std::string> problems;  // "N x what"

  double sent_per_sec() const;
  double deliveries_per_sec() const;
  std::optional<double> deliveries_per_server_cpu_second() const;
  // Growth per registered connection: of all resident memory, and of its
  // anonymous part (without the code and library pages first touched).
  std::optional<double> rss_bytes_per_connection() const;
  std::optional<double> anon_rss_bytes_per_connection() const;
  bool ok() const;
};

std::string summary_line(const Report& r);
std::string to_json(const Report& r);

}  // namespace parley::bench
