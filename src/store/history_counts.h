#pragma once
// What a history store has done with the lines it was given, for /metrics
// and for tests; the same for the SQLite file and PostgreSQL.
#include <cstdint>
#include <string_view>

namespace parley::store {

struct HistoryCounts {
  std::uint64_t recorded = 0;
  std::uint64_t committed = 0;
  std::uint64_t lost = 0;     // could not be written before shutdown (logged)
  std::uint64_t refused = 0;  // record() said no: the queue was full
  // accepting() said no: a message refused (storage_busy) while the writer
  // was queue_lines behind; `behind` from the first such answer until half
  // of that backlog is written.
  std::uint64_t turned_away = 0;
  bool behind = false;
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

// core::History::accepting() for a store whose writer keeps `queue_lines`
// lines at most before new messages are refused; counts the refusals, and
// tells the log when they start and when the writer has caught up (once
// each: a busy server asks for every message). Call with the store's lock
// held.
bool accept_another(HistoryCounts& counts, std::uint64_t queue_lines, std::string_view store);

// record()'s check: whether another line may wait. Past twice queue_lines
// (only lines other than messages get that far: a writer that is stuck) the
// line is refused and counted, and the log says so once per thousand. Call
// with the store's lock held.
bool room_for_another(HistoryCounts& counts, std::uint64_t queue_lines, std::string_view store);

}  // namespace parley::store
