#include "store/sqlite_accounts.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <utility>
#include <vector>

#include "core/unicode.h"
#include "store/line_rows.h"
#include "store/time_ms.h"

namespace parley::store {
namespace {

void bind_blob(SQLite::Statement& q, int index, const std::string& bytes) {
  q.bind(index, static_cast<const void*>(bytes.data()), static_cast<int>(bytes.size()));
}

std::string blob(const SQLite::Column& column) {
  return std::string(static_cast<const char*>(column.getBlob()), static_cast<std::size_t>(column.getBytes()));
}

// Binds a record's fields after `key` (parameters 2..8), in the table's order.
void bind_fields(SQLite::Statement& q, const auth::AccountRecord& r) {
  q.bind(2, r.name);
  q.bind(3, r.password_hash);
  bind_blob(q, 4, r.scram.salt);
  q.bind(5, static_cast<std::int64_t>(r.scram.iterations));
  bind_blob(q, 6, r.scram.stored_key);
  bind_blob(q, 7, r.scram.server_key);
  q.bind(8, r.created);
}

bool is_account(const std::string& shown, const std::string& key) { return core::fold_key(shown).value_or(shown) == key; }

// The registered rooms forget a deleted account as core::Room::forget_account
// does (a running server does the same in memory): off every access list; a
// room it founded passes to the first account on its access list, or, with
// none, is no longer registered. Names are kept as registered, so they are
// folded here rather than in SQL.
void forget_account_in_rooms(SQLite::Database& db, const std::string& key) {
  std::vector<std::pair<std::string, std::int64_t>> listed;  // (room, position)
  SQLite::Statement ops(db, "SELECT room, position, account FROM room_operators");
  while (ops.executeStep()) {
    if (is_account(ops.getColumn(2).getString(), key))
      listed.emplace_back(ops.getColumn(0).getString(), ops.getColumn(1).getInt64());
  }
  SQLite::Statement unlist(db, "DELETE FROM room_operators WHERE room = ? AND position = ?");
  for (const auto& [room, position] : listed) {
    unlist.reset();
    unlist.bind(1, room);
    unlist.bind(2, position);
    unlist.exec();
  }
  std::vector<std::string> founded;
  SQLite::Statement rooms(db, "SELECT key, founder FROM rooms");
  while (rooms.executeStep()) {
    if (is_account(rooms.getColumn(1).getString(), key)) founded.push_back(rooms.getColumn(0).getString());
  }
  for (const std::string& room : founded) {
    SQLite::Statement next(db, "SELECT position, account FROM room_operators WHERE room = ? ORDER BY position LIMIT 1");
    next.bind(1, room);
    if (next.executeStep()) {
      const std::int64_t position = next.getColumn(0).getInt64();
      const std::string successor = next.getColumn(1).getString();
      next.reset();
      SQLite::Statement promote(db, "UPDATE rooms SET founder = ? WHERE key = ?");
      promote.bind(1, successor);
      promote.bind(2, room);
      promote.exec();
      unlist.reset();
      unlist.bind(1, room);
      unlist.bind(2, position);
      unlist.exec();
      continue;
    }
    for (const char* table : {"rooms WHERE key", "room_masks WHERE room", "room_operators WHERE room"}) {
      SQLite::Statement gone(db, std::string("DELETE FROM ") + table + " = ?");
      gone.bind(1, room);
      gone.exec();
    }
  }
}

}  // namespace

SqliteAccounts::SqliteAccounts(const StorageSettings& settings)
    : db_(open_for_writing(settings)),
      find_(db_,
            "SELECT key, name, password_hash, scram_salt, scram_iterations, scram_stored_key, "
            "scram_server_key, created FROM accounts WHERE key = ?") {}

std::optional<auth::AccountRecord> SqliteAccounts::find(const std::string& key) {
  // Reset on the way out, found or not: a statement left stepping would hold
  // its read snapshot, and a later find would miss what another process
  // (`parleyd account add`) wrote since.
  struct ResetAfter {
    SQLite::Statement& q;
    ~ResetAfter() { q.tryReset(); }
  } reset_after{find_};
  SQLite::Statement& q = find_;
  q.bind(1, key);
  if (!q.executeStep()) return std::nullopt;
  auth::AccountRecord r;
  r.key = q.getColumn(0).getString();
  r.name = q.getColumn(1).getString();
  r.password_hash = q.getColumn(2).getString();
  r.scram.salt = blob(q.getColumn(3));
  r.scram.iterations = static_cast<std::uint32_t>(q.getColumn(4).getInt64());
  r.scram.stored_key = blob(q.getColumn(5));
  r.scram.server_key = blob(q.getColumn(6));
  r.created = q.getColumn(7).getInt64();
  return r;
}

bool SqliteAccounts::insert(const auth::AccountRecord& record) {
  // OR IGNORE: an existing key is the caller's "taken", not an error.
  SQLite::Statement q(db_,
                      "INSERT OR IGNORE INTO accounts (key, name, password_hash, scram_salt, scram_iterations, "
                      "scram_stored_key, scram_server_key, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, record.key);
  bind_fields(q, record);
  return q.exec() == 1;
}

bool SqliteAccounts::update(const auth::AccountRecord& record) {
  SQLite::Statement q(db_,
                      "UPDATE accounts SET name = ?2, password_hash = ?3, scram_salt = ?4, scram_iterations = ?5, "
                      "scram_stored_key = ?6, scram_server_key = ?7, created = ?8 WHERE key = ?1");
  q.bind(1, record.key);
  bind_fields(q, record);
  return q.exec() == 1;
}

// With the account goes what was kept for it alone: its read markers, and
// its private conversations (both sides' copies: they are keyed by account
// names, and whoever registers the name next must not read them); and the
// registered rooms forget it (forget_account_in_rooms), for the same reason.
// Its deletion is recorded with it (auth::AccountDeletion): numbered one past
// the newest, which the pruning keeps, so numbers only grow (this file has one
// writer at a time, so they are also in the order deletions are committed).
std::optional<std::int64_t> SqliteAccounts::remove(const std::string& key) {
  SQLite::Transaction t(db_, SQLite::TransactionBehavior::IMMEDIATE);
  std::string name;
  {
    SQLite::Statement q(db_, "SELECT name FROM accounts WHERE key = ?");
    q.bind(1, key);
    if (!q.executeStep()) return std::nullopt;
    name = q.getColumn(0).getString();
  }
  SQLite::Statement q(db_, "DELETE FROM accounts WHERE key = ?");
  q.bind(1, key);
  if (q.exec() != 1) return std::nullopt;
  {
    // Its conversations' rows (schema 12: packed lines, line_rows.h), out of the search index too.
    SQLite::Statement targets(db_, "SELECT id FROM history_targets WHERE key IN "
                                   "(SELECT target FROM conversations WHERE account = ?)");
    targets.bind(1, key);
    std::vector<std::int64_t> ids;
    while (targets.executeStep()) ids.push_back(targets.getColumn(0).getInt64());
    for (const std::int64_t id : ids) delete_target_rows(db_, id);
  }
  for (const char* sql : {
           "DELETE FROM read_markers WHERE account = ?1",
           "DELETE FROM conversations WHERE target IN (SELECT target FROM conversations WHERE account = ?1)",
       }) {
    SQLite::Statement edit(db_, sql);
    edit.bind(1, key);
    edit.exec();
  }
  forget_account_in_rooms(db_, key);
  const std::int64_t now_ms = to_ms(std::chrono::system_clock::now());
  SQLite::Statement record(db_,
                           "INSERT INTO account_deletions (id, key, name, deleted_ms) "
                           "VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM account_deletions), ?, ?, ?)");
  record.bind(1, key);
  record.bind(2, name);
  record.bind(3, now_ms);
  record.exec();
  const std::int64_t id = db_.getLastInsertRowid();
  // Pruned here, where a deletion is written anyway; after it, so that the
  // newest (this one) stays and the next number follows it.
  SQLite::Statement prune(db_, "DELETE FROM account_deletions WHERE deleted_ms < ? AND id < ?");
  prune.bind(1, now_ms - auth::kDeletionsKeptMs);
  prune.bind(2, id);
  prune.exec();
  t.commit();
  return id;
}

std::vector<auth::AccountDeletion> SqliteAccounts::deletions_after(std::int64_t after) {
  std::vector<auth::AccountDeletion> out;
  SQLite::Statement q(db_, "SELECT id, key, name, deleted_ms FROM account_deletions WHERE id > ? ORDER BY id");
  q.bind(1, after);
  while (q.executeStep()) {
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                   q.getColumn(3).getInt64()});
  }
  return out;
}

std::int64_t SqliteAccounts::last_deletion() {
  return db_.execAndGet("SELECT COALESCE(MAX(id), 0) FROM account_deletions").getInt64();
}

}  // namespace parley::store
