#pragma once
// What a history store has done with the lines it was given, for /metrics
// and for tests; the same for the SQLite file and PostgreSQL.
#include <cstdint>

namespace parley::store {

struct HistoryCounts {
  std::uint64_t recorded = 0;
  std::uint64_t committed = 0;
  std::uint64_t lost = 0;     // could not be written before shutdown (logged)
  std::uint64_t refused = 0;  // record() said no: the queue was full
  std::uint64_t pruned = 0;   // deleted past the retention limits
  // Batches written (one transaction each) and the time they took, for
  // /metrics: their ratio is the mean write latency.
  std::uint64_t batches = 0;
  std::uint64_t batch_microseconds = 0;
  // Reads asked of it (history, targets, searches), for /metrics: a join's
  // replay reads a room's history once per node, not once per join.
  std::uint64_t reads = 0;
  // Written, or given up on: nothing more will come of them.
  std::uint64_t settled() const { return committed + lost; }
  // Recorded and not settled yet.
  std::uint64_t waiting() const { return recorded - settled(); }
};

}  // namespace parley::store
