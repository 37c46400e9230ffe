#pragma once
// Registered rooms and server-wide bans kept in the database (tables `rooms`,
// `room_masks`, `room_operators` and `server_bans`, schema version 3), for the
// thread the hub hands its writes to: a connection of its own (WAL), so it
// never waits for history's writer.
#include <SQLiteCpp/Database.h>

#include "core/kept_records.h"
#include "store/database.h"

namespace parley::store {

class SqliteRooms final : public core::RoomRecords, public core::BanRecords {
 public:
  // Opens (creating and migrating) the database; throws StoreError.
  explicit SqliteRooms(const StorageSettings& settings);

  std::vector<core::RoomRecord> load_rooms() override;
  void save_room(const core::RoomRecord& room) override;
  void remove_room(const std::string& key) override;

  std::vector<core::ServerBan> load_bans() override;
  void save_ban(const core::ServerBan& ban) override;
  void remove_ban(const std::string& mask) override;

 private:
  SQLite::Database db_;
};

}  // namespace parley::store
