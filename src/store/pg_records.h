#pragma once
// What several nodes share in PostgreSQL ([storage] url): accounts,
// registered rooms, server bans and read markers, behind the same interfaces
// as the SQLite file's. Each object holds a connection of its own and is used
// from one thread (the account service's worker, the hub's offload thread),
// never an event loop. Constructors connect and migrate; they and every call
// throw StoreError.
#include <string>

#include "auth/account_records.h"
#include "core/account_data.h"
#include "core/kept_records.h"
#include "store/pg_connection.h"

namespace parley::store {

class PgAccounts final : public auth::AccountRecords {
 public:
  explicit PgAccounts(const std::string& url);
  std::optional<auth::AccountRecord> find(const std::string& key) override;
  bool insert(const auth::AccountRecord& record) override;
  bool update(const auth::AccountRecord& record) override;
  std::optional<std::int64_t> remove(const std::string& key) override;
  std::vector<auth::AccountDeletion> deletions_after(std::int64_t after) override;
  std::int64_t last_deletion() override;

 private:
  PgConnection db_;
};

class PgRooms final : public core::RoomRecords, public core::BanRecords {
 public:
  explicit PgRooms(const std::string& url);
  std::vector<core::RoomRecord> load_rooms() override;
  void save_room(const core::RoomRecord& room) override;
  void remove_room(const std::string& key) override;
  std::vector<core::ServerBan> load_bans() override;
  void save_ban(const core::ServerBan& ban) override;
  void remove_ban(const std::string& mask) override;

 private:
  PgConnection db_;
};

class PgReadMarkers final : public core::ReadMarkerRecords {
 public:
  explicit PgReadMarkers(const std::string& url);
  std::optional<core::WallTime> get(const std::string& account, const std::string& target) override;
  core::WallTime raise(const std::string& account, const std::string& target, core::WallTime time) override;

 private:
  PgConnection db_;
};

}  // namespace parley::store
