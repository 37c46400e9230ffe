#pragma once
// A target's history lines, kept a writer's batch to a row (schema 12,
// table history_rows, keyed (target, first_seq)): the rows that hold a seq,
// read in order, and rewritten when lines leave them (redaction, retention),
// with the search index kept in step. Every row holds at least one line, and
// its first_seq, last_seq, first_ms, last_ms and lines columns are those of
// the lines it holds.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/packed_lines.h"

namespace parley::store {

// A row closes at this many lines, or before the line that would take it past
// this many bytes: reading one line unpacks its whole row, so a row stays a
// few pages, and a quiet room's lines are read without unpacking many others.
inline constexpr std::size_t kMaxLinesPerRow = 128;
inline constexpr std::size_t kMaxRowBytes = 16 * 1024;

// Whether `line` may join the row `row` packs, or the row must be closed
// first (a row always takes its first line, however long).
inline bool row_has_room(const LinePacker& row, const PackedLine& line) {
  if (row.lines() == 0) return true;
  // Numbers and lengths take at most 60 bytes of a line (packed_lines.h).
  const std::size_t most = 60 + line.msgid.size() + line.body.size() + line.object_name.size() + line.client_tags.size();
  return row.lines() < kMaxLinesPerRow && row.bytes() + most <= kMaxRowBytes;
}

// Adds the packed lines as one row of `target` (on `insert`, prepared from
// kInsertRowSql); `packer` holds at least one line.
inline constexpr const char* kInsertRowSql =
    "INSERT INTO history_rows (target, first_seq, last_seq, first_ms, last_ms, lines, packed) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
void insert_row(SQLite::Statement& insert, std::int64_t target, const LinePacker& packer);

// One row as read. `lines()` views `packed`: a row is read in place, never copied.
class LineRow {
 public:
  LineRow() = default;
  LineRow(const LineRow&) = delete;
  LineRow& operator=(const LineRow&) = delete;

  std::int64_t target = 0;
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;
  std::int64_t last_ms = 0;
  std::size_t count = 0;
  std::string packed;
  // Unpacked on first use; throws StoreError for a damaged row.
  const std::vector<PackedLine>& lines();
  void read_from(SQLite::Statement& q);  // the columns of kRowColumns

 private:
  std::vector<PackedLine> lines_;
  bool unpacked_ = false;
};

// Walks a target's rows in seq order, ascending or descending, from the row
// that holds `seq` (or the nearest one past it in that direction). Rows
// before `seq` in the walk's direction may come too: callers compare seqs.
class RowCursor {
 public:
  RowCursor(SQLite::Database& db, bool ascending);
  void start(std::int64_t target, std::int64_t seq);
  // The next row, or nullptr at the end; valid until the next call.
  LineRow* next();
  // Ends the walk (its read of the table), so that the table may be changed.
  void stop() { q_.reset(); }

 private:
  SQLite::Statement q_;
  LineRow row_;
};

// The seq of the target's line just before `seq`, if any.
std::optional<std::int64_t> line_before(SQLite::Database& db, std::int64_t target, std::int64_t seq);

// Finds one line by (target, seq): the row that holds it, unpacked.
class LineFinder {
 public:
  explicit LineFinder(SQLite::Database& db);
  // The line, or nullptr; valid until the next call. row() is the row read.
  const PackedLine* find(std::int64_t target, std::int64_t seq);
  LineRow& row() { return row_; }

 private:
  SQLite::Statement q_;
  LineRow row_;
};

// The seq up to which lines are in the search index (search_progress).
std::int64_t indexed_seq(SQLite::Database& db);

// Replaces `row` by the lines of it that `keep` says to keep (none: the row
// goes), the search index kept in step. Returns how many went.
template <class Keep>
std::size_t keep_lines(SQLite::Database& db, LineRow& row, Keep&& keep);

// Deletes every row of `target`, and takes them out of the search index.
std::size_t delete_target_rows(SQLite::Database& db, std::int64_t target);

// Replaces `row` with `kept` (in seq order; empty: deletes it). If the row
// was in the search index, the old document goes, and the new one takes its
// place unless its first_seq moved past what the indexer has reached (it
// then indexes the row when it gets there).
void rewrite_row(SQLite::Database& db, LineRow& row, const std::vector<PackedLine>& kept);

template <class Keep>
std::size_t keep_lines(SQLite::Database& db, LineRow& row, Keep&& keep) {
  std::vector<PackedLine> kept;
  for (const PackedLine& line : row.lines()) {
    if (keep(line)) kept.push_back(line);
  }
  const std::size_t gone = row.lines().size() - kept.size();
  if (gone > 0) rewrite_row(db, row, kept);
  return gone;
}

}  // namespace parley::store
