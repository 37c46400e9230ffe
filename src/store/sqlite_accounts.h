#pragma once
// Accounts kept in the database (the `accounts` table, schema version 2, and
// `account_deletions`, version 9),
// for the account service's worker thread: its own connection, so it never
// waits for history's writer (WAL), and another process (`parleyd account
// add` while the server runs) may change accounts too.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "auth/account_records.h"
#include "store/database.h"

namespace parley::store {

class SqliteAccounts final : public auth::AccountRecords {
 public:
  // Opens (creating and migrating) the database; throws StoreError.
  explicit SqliteAccounts(const StorageSettings& settings);

  std::optional<auth::AccountRecord> find(const std::string& key) override;
  bool insert(const auth::AccountRecord& record) override;
  bool update(const auth::AccountRecord& record) override;
  std::optional<std::int64_t> remove(const std::string& key) override;
  std::vector<auth::AccountDeletion> deletions_after(std::int64_t after) override;
  std::int64_t last_deletion() override;

 private:
  SQLite::Database db_;
  // Prepared once: every registration asks (name ownership, auth::NameGuard),
  // and preparing it was most of a lookup's cost.
  SQLite::Statement find_;
};

}  // namespace parley::store
