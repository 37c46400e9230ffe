#include "store/line_rows.h"

#include "store/row_search.h"

#include <algorithm>
#include <iterator>

namespace parley::store {
namespace {
// Columns in the order LineRow::read_from takes them; the blob last, so that
// a query that stops before it never reads its overflow pages.
constexpr const char* kRowColumns = "target, first_seq, last_seq, last_ms, lines, packed";

std::string cursor_sql(bool ascending) {
  // Ascending, from the last row starting at or before `seq` (it may hold it).
  if (ascending)
    return std::string("SELECT ") + kRowColumns +
           " FROM history_rows WHERE target = ?1 AND first_seq >= COALESCE((SELECT first_seq FROM history_rows "
           "WHERE target = ?1 AND first_seq <= ?2 ORDER BY first_seq DESC LIMIT 1), ?2) ORDER BY first_seq";
  return std::string("SELECT ") + kRowColumns +
         " FROM history_rows WHERE target = ?1 AND first_seq <= ?2 ORDER BY first_seq DESC";
}

// A row's first line at `seq` or past it (its lines rise by seq).
std::vector<PackedLine>::const_iterator first_from(const std::vector<PackedLine>& lines, std::int64_t seq) {
  return std::lower_bound(lines.begin(), lines.end(), seq,
                          [](const PackedLine& l, std::int64_t s) { return l.seq < s; });
}
}  // namespace

void insert_row(SQLite::Statement& insert, std::int64_t target, const LinePacker& packer) {
  insert.reset();
  insert.bind(1, target);
  insert.bind(2, packer.first_seq());
  insert.bind(3, packer.last_seq());
  insert.bind(4, packer.first_ms());
  insert.bind(5, packer.last_ms());
  insert.bind(6, static_cast<std::int64_t>(packer.lines()));
  // The packer outlives exec(): SQLite reads the blob in place.
  insert.bindNoCopy(7, packer.blob().data(), static_cast<int>(packer.blob().size()));
  insert.exec();
}

const std::vector<PackedLine>& LineRow::lines() {
  if (!unpacked_) {
    lines_ = unpack_lines(packed);
    unpacked_ = true;
  }
  return lines_;
}

void LineRow::read_from(SQLite::Statement& q) {
  target = q.getColumn(0).getInt64();
  first_seq = q.getColumn(1).getInt64();
  last_seq = q.getColumn(2).getInt64();
  last_ms = q.getColumn(3).getInt64();
  count = static_cast<std::size_t>(q.getColumn(4).getInt64());
  const SQLite::Column blob = q.getColumn(5);
  packed.assign(static_cast<const char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes()));
  lines_.clear();
  unpacked_ = false;
}

RowCursor::RowCursor(SQLite::Database& db, bool ascending)
    : q_(db, cursor_sql(ascending)) {}

LineRow* RowCursor::next() {
  if (!q_.executeStep()) {
    q_.reset();  // no read snapshot kept open past the caller's transaction
    return nullptr;
  }
  row_.read_from(q_);
  return &row_;
}

void RowCursor::start(std::int64_t target, std::int64_t seq) {
  q_.reset();
  q_.bind(1, target);
  q_.bind(2, seq);
}

std::optional<std::int64_t> line_before(SQLite::Database& db, std::int64_t target, std::int64_t seq) {
  RowCursor rows(db, /*ascending=*/false);
  rows.start(target, seq - 1);
  LineRow* row = rows.next();
  if (!row) return std::nullopt;
  if (row->last_seq < seq) return row->last_seq;
  const auto& lines = row->lines();
  // Lines of the row holding `seq`, in order: the last one before it.
  const auto it = first_from(lines, seq);
  if (it == lines.begin()) return std::nullopt;  // first_seq <= seq - 1 makes this unreachable
  return std::prev(it)->seq;
}

LineFinder::LineFinder(SQLite::Database& db)
    : q_(db, std::string("SELECT ") + kRowColumns +
                 " FROM history_rows WHERE target = ? AND first_seq <= ? ORDER BY first_seq DESC LIMIT 1") {}

const PackedLine* LineFinder::find(std::int64_t target, std::int64_t seq) {
  q_.reset();
  q_.bind(1, target);
  q_.bind(2, seq);
  if (!q_.executeStep()) return nullptr;
  row_.read_from(q_);
  q_.reset();
  if (row_.last_seq < seq) return nullptr;
  const auto& lines = row_.lines();
  const auto it = first_from(lines, seq);
  return it != lines.end() && it->seq == seq ? &*it : nullptr;
}

std::int64_t indexed_seq(SQLite::Database& db) {
  return db.execAndGet("SELECT indexed_seq FROM search_progress").getInt64();
}

void rewrite_row(SQLite::Database& db, LineRow& row, const std::vector<PackedLine>& kept) {
  const std::int64_t indexed = indexed_seq(db);
  SearchIndexWriter index(db);
  if (row.first_seq <= indexed) index.remove(row.first_seq, row.lines());
  if (!kept.empty() && kept.front().seq <= indexed) index.add(kept.front().seq, kept);
  if (kept.empty()) {
    SQLite::Statement q(db, "DELETE FROM history_rows WHERE target = ? AND first_seq = ?");
    q.bind(1, row.target);
    q.bind(2, row.first_seq);
    q.exec();
    return;
  }
  const std::string packed = pack_lines(kept);
  SQLite::Statement q(db,
                      "UPDATE history_rows SET first_seq = ?, last_seq = ?, first_ms = ?, last_ms = ?, lines = ?, "
                      "packed = ? WHERE target = ? AND first_seq = ?");
  q.bind(1, kept.front().seq);
  q.bind(2, kept.back().seq);
  q.bind(3, kept.front().ms);
  q.bind(4, kept.back().ms);
  q.bind(5, static_cast<std::int64_t>(kept.size()));
  q.bindNoCopy(6, packed.data(), static_cast<int>(packed.size()));
  q.bind(7, row.target);
  q.bind(8, row.first_seq);
  q.exec();
}

std::size_t delete_target_rows(SQLite::Database& db, std::int64_t target) {
  const std::int64_t indexed = indexed_seq(db);
  SearchIndexWriter index(db);
  std::size_t deleted = 0;
  {
    RowCursor rows(db, /*ascending=*/true);
    rows.start(target, 0);
    while (LineRow* row = rows.next()) {
      deleted += row->count;
      if (row->first_seq <= indexed) index.remove(row->first_seq, row->lines());
    }
  }
  SQLite::Statement q(db, "DELETE FROM history_rows WHERE target = ?");
  q.bind(1, target);
  q.exec();
  return deleted;
}

}  // namespace parley::store
