#include "store/sqlite_accounts.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

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

}  // namespace

SqliteAccounts::SqliteAccounts(const StorageSettings& settings) : db_(open_for_writing(settings)) {}

std::optional<auth::AccountRecord> SqliteAccounts::find(const std::string& key) {
  SQLite::Statement q(db_,
                      "SELECT key, name, password_hash, scram_salt, scram_iterations, scram_stored_key, "
                      "scram_server_key, created FROM accounts WHERE key = ?");
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
// names, and whoever registers the name next must not read them).
bool SqliteAccounts::remove(const std::string& key) {
  SQLite::Transaction t(db_);
  SQLite::Statement q(db_, "DELETE FROM accounts WHERE key = ?");
  q.bind(1, key);
  if (q.exec() != 1) return false;
  for (const char* sql : {
           "DELETE FROM read_markers WHERE account = ?1",
           // history.target numbers the conversation's key (schema 7: history_targets).
           "DELETE FROM history WHERE target IN (SELECT id FROM history_targets WHERE key IN "
           "(SELECT target FROM conversations WHERE account = ?1))",
           "DELETE FROM conversations WHERE target IN (SELECT target FROM conversations WHERE account = ?1)",
       }) {
    SQLite::Statement edit(db_, sql);
    edit.bind(1, key);
    edit.exec();
  }
  t.commit();
  return true;
}

}  // namespace parley::store
