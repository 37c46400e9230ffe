#pragma once
// History lines to and from rows of the `history` table (schema.cpp).
#include <SQLiteCpp/Database.h>

#include <optional>
#include <vector>

#include "core/history.h"

namespace parley::store {

// Inserts lines, in order, on a connection that is inside a transaction.
class HistoryInserter {
 public:
  explicit HistoryInserter(SQLite::Database& db);
  void insert(const core::HistoryLine& line);

 private:
  SQLite::Statement insert_;
  SQLite::Statement conversation_;  // a private line: both sides' conversations list
};

// Runs a query: the lines it asks for, oldest first. An unknown message id
// yields no lines.
std::vector<core::HistoryLine> read_history(SQLite::Database& db, const core::HistoryQuery& query);
std::vector<core::HistoryTarget> read_targets(SQLite::Database& db, const core::TargetsQuery& query);
std::vector<core::HistoryLine> search_history(SQLite::Database& db, const core::SearchQuery& query);
// Deletes up to `batch` lines older than `cutoff` (oldest first) and, with
// max_lines_per_room, up to `batch` lines of each room past its newest
// max_lines_per_room. Returns how many it deleted (batch or more: call again).
std::size_t prune_history(SQLite::Database& db, std::optional<core::WallTime> cutoff, std::size_t max_lines_per_room,
                          std::size_t batch);

// Adds up to `limit` lines after the search index's progress to the index,
// in seq order. Returns how many lines it looked at (fewer than `limit`: the
// index has caught up). On a connection inside a transaction.
std::size_t index_for_search(SQLite::Database& db, std::size_t limit);

// The words as an FTS5 query: each a quoted string (a trailing '*' kept as a
// prefix search), all of them required; "" when there is no word.
std::string fts_query(std::string_view words);

}  // namespace parley::store
