#pragma once
// History lines to and from the packed rows of `history_rows` (schema.cpp, line_rows.h).
#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/history.h"
#include "store/packed_lines.h"
#include "store/recent_keys.h"

namespace parley::store {

// Inserts lines, in order, on a connection that is inside a transaction.
// Targets' and senders' numbers are kept in memory (a busy room's line costs
// no lookup), and what changes once per target per batch (its newest seq, the
// private conversations' lists) is written by finish(). A target's lines go
// into one row per batch (line_rows.h: up to kMaxLinesPerRow lines or
// kMaxRowBytes bytes, then another), written by finish(): the B-tree work of
// a row is paid once for many lines (docs/performance.md, "History writes").
class HistoryInserter {
 public:
  explicit HistoryInserter(SQLite::Database& db);
  // Adds one line (its bytes are copied); call finish() before the
  // transaction commits.
  void add(const core::HistoryLineRef& line);
  void finish();
  // add() and finish(): one line on its own (a row of its own).
  void insert(const core::HistoryLine& line) {
    add(line);
    finish();
  }
  // After a rolled-back transaction: the numbers kept in memory may name
  // rows that were never kept.
  void forget();

 private:
  struct Target {
    std::int64_t id = 0;
    std::string room;
  };
  struct Touched {
    std::string key;
    std::int64_t last_seq = 0;
    std::int64_t last_ms = 0;
  };
  const Target& target(const core::HistoryLineRef& line);
  std::int64_t sender(const core::HistoryLineRef& line);
  // Writes a target's packed lines as a row, and empties the packer.
  void close_row(std::int64_t target, LinePacker& row);

  SQLite::Database& db_;
  SQLite::Statement insert_row_;
  std::unordered_map<std::int64_t, LinePacker> open_rows_;  // by target id: lines not written yet
  SQLite::Statement add_target_, find_target_, rename_target_;
  SQLite::Statement add_sender_, find_sender_;
  SQLite::Statement touch_target_;
  SQLite::Statement conversation_;  // a private line: its readers' conversations lists
  // Most targets and senders remembered, per generation (recent_keys.h): a
  // few thousand keep any busy server's lookups in memory without holding
  // something for every user ever met.
  static constexpr std::size_t kRecentPerGeneration = 1024;
  RecentKeys<Target> targets_{kRecentPerGeneration};          // by key
  RecentKeys<std::int64_t> senders_{kRecentPerGeneration};    // by sender_key_'s form
  std::unordered_map<std::int64_t, Touched> touched_;   // by target id, since the last finish()
  std::string sender_key_;
  std::int64_t next_seq_ = 1;
};

// The number the store gives a target (history_targets.id), if it has any line.
std::optional<std::int64_t> target_id(SQLite::Database& db, const std::string& key);

// How far from the time its id carries a line may have been numbered: lines
// are numbered in the order they reach the writer, which for a private
// conversation (two loops stamp its lines) or a cluster's room (several
// clocks) is not quite the order of their times.
inline constexpr std::int64_t kIdTimeSlackMs = 2000;

// The seq of the target's line with message id `id`, if it has one. No index
// by id is kept (schema 11): an id carries its line's time (core/message_id.h),
// found by a binary search over the target's rows, and the lines of that
// millisecond (then of kIdTimeSlackMs either side) are read for the id. An id
// made before schema 11, without a time, is found in history_old_ids (schema 12).
std::optional<std::int64_t> line_seq(SQLite::Database& db, std::int64_t target, const std::string& id);

// Runs a query: the lines it asks for, oldest first. An unknown message id
// yields no lines.
std::vector<core::HistoryLine> read_history(SQLite::Database& db, const core::HistoryQuery& query);
std::vector<core::HistoryTarget> read_targets(SQLite::Database& db, const core::TargetsQuery& query);
// Searches the targets' lines for every word: newest first, or by
// relevance (BM25 over lines: row_search.h, search_weights.h). Relevance is
// judged among the matches of the newest rows that hold the words, until
// kRankedLinesLookedAt of their lines have been looked at: a word in much of
// a long history ranks its recent matches, and a search stays a few
// milliseconds.
std::vector<core::HistoryLine> search_history(SQLite::Database& db, const core::SearchQuery& query);
inline constexpr std::size_t kRankedLinesLookedAt = 10000;
// Deletes up to `batch` lines older than `cutoff` (oldest first) and, with
// max_lines_per_room, up to `batch` lines of each room past its newest
// max_lines_per_room. A row partly past the limits is rewritten without those
// lines. Returns how many it deleted (batch: call again).
std::size_t prune_history(SQLite::Database& db, std::optional<core::WallTime> cutoff, std::size_t max_lines_per_room,
                          std::size_t batch);

// Adds up to `limit` lines after the search index's progress to the index,
// in seq order. Returns how many lines it looked at (fewer than `limit`: the
// index has caught up). On a connection inside a transaction.
std::size_t index_for_search(SQLite::Database& db, std::size_t limit);

}  // namespace parley::store
