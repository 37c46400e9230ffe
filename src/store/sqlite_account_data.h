#pragma once
// Read markers (the `read_markers` table, schema version 5) and redaction's
// edits of history (rows of `history` removed by message id), for the thread
// the hub offloads its writes to: a connection of their own (WAL), so they
// never wait for history's writer, which they leave alone: a removal touches
// only a committed row (the hub waits for History::after_commit first), and
// the search index follows by its trigger.
#include <SQLiteCpp/Database.h>

#include "core/account_data.h"
#include "store/database.h"

namespace parley::store {

class SqliteReadMarkers final : public core::ReadMarkerRecords {
 public:
  // Opens (creating and migrating) the database; throws StoreError.
  explicit SqliteReadMarkers(const StorageSettings& settings);
  std::optional<core::WallTime> get(const std::string& account, const std::string& target) override;
  core::WallTime raise(const std::string& account, const std::string& target, core::WallTime time) override;

 private:
  SQLite::Database db_;
};

class SqliteHistoryEdits final : public core::HistoryEdits {
 public:
  // Opens (creating and migrating) the database; throws StoreError.
  explicit SqliteHistoryEdits(const StorageSettings& settings);
  std::optional<core::KeptLine> find(const std::string& target, const std::string& msgid) override;
  bool remove(const std::string& target, const std::string& msgid) override;

 private:
  SQLite::Database db_;
};

}  // namespace parley::store
