#include "store/sqlite_account_data.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <chrono>

#include "store/history_rows.h"
#include "store/line_rows.h"

namespace parley::store {
namespace {

std::int64_t to_ms(core::WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

core::WallTime from_ms(std::int64_t ms) {
  return core::WallTime(std::chrono::duration_cast<core::WallTime::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace

SqliteReadMarkers::SqliteReadMarkers(const StorageSettings& settings) : db_(open_for_writing(settings)) {}

std::optional<core::WallTime> SqliteReadMarkers::get(const std::string& account, const std::string& target) {
  SQLite::Statement q(db_, "SELECT time_ms FROM read_markers WHERE account = ? AND target = ?");
  q.bind(1, account);
  q.bind(2, target);
  if (!q.executeStep()) return std::nullopt;
  return from_ms(q.getColumn(0).getInt64());
}

core::WallTime SqliteReadMarkers::raise(const std::string& account, const std::string& target, core::WallTime time) {
  // Only ever forward: a client that read less on another device does not move it back.
  SQLite::Statement q(db_,
                      "INSERT INTO read_markers (account, target, time_ms) VALUES (?, ?, ?) "
                      "ON CONFLICT (account, target) DO UPDATE SET time_ms = MAX(time_ms, excluded.time_ms)");
  q.bind(1, account);
  q.bind(2, target);
  q.bind(3, static_cast<std::int64_t>(to_ms(time)));
  q.exec();
  return get(account, target).value_or(time);
}

SqliteHistoryEdits::SqliteHistoryEdits(const StorageSettings& settings) : db_(open_for_writing(settings)) {}

std::optional<core::KeptLine> SqliteHistoryEdits::find(const std::string& target, const std::string& msgid) {
  const std::optional<std::int64_t> id = target_id(db_, target);
  if (!id) return std::nullopt;
  const std::optional<std::int64_t> seq = line_seq(db_, *id, msgid);
  if (!seq) return std::nullopt;
  LineFinder lines(db_);
  const PackedLine* found = lines.find(*id, *seq);
  if (!found) return std::nullopt;
  SQLite::Statement q(db_, "SELECT account, nick FROM history_senders WHERE id = ?");
  q.bind(1, found->sender);
  if (!q.executeStep()) return std::nullopt;
  core::KeptLine line;
  line.kind = static_cast<core::HistoryLine::Kind>(found->kind);
  line.account = q.getColumn(0).getString();
  line.nick = q.getColumn(1).getString();
  line.time = from_ms(found->ms);
  return line;
}

bool SqliteHistoryEdits::remove(const std::string& target, const std::string& msgid) {
  const std::optional<std::int64_t> id = target_id(db_, target);
  if (!id) return false;
  const std::optional<std::int64_t> seq = line_seq(db_, *id, msgid);
  if (!seq) return false;
  // The line leaves its row (packed with its batch's other lines), which is
  // rewritten, and the search index; one transaction for both. IMMEDIATE:
  // the row is read then written, and a read snapshot could not become a
  // write once the history writer has committed since (SQLITE_BUSY at once,
  // no waiting); taking the write lock first waits its turn instead.
  SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
  LineFinder lines(db_);
  if (!lines.find(*id, *seq)) return false;
  const std::size_t removed = keep_lines(db_, lines.row(), [&](const PackedLine& line) { return line.seq != *seq; });
  tx.commit();
  return removed > 0;
}

}  // namespace parley::store
