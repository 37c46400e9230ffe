#include "store/sqlite_rooms.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <chrono>
#include <map>

#include "store/room_mask_lists.h"
#include "store/time_ms.h"

namespace parley::store {
namespace {

void delete_room_rows(SQLite::Database& db, const std::string& key) {
  for (const char* table : {"rooms WHERE key", "room_masks WHERE room", "room_operators WHERE room"}) {
    SQLite::Statement q(db, std::string("DELETE FROM ") + table + " = ?");
    q.bind(1, key);
    q.exec();
  }
}

}  // namespace

SqliteRooms::SqliteRooms(const StorageSettings& settings) : db_(open_for_writing(settings)) {}

std::vector<core::RoomRecord> SqliteRooms::load_rooms() {
  std::vector<core::RoomRecord> rooms;
  std::map<std::string, std::size_t> by_key;
  SQLite::Statement q(db_,
                      "SELECT key, name, founder, topic, topic_by, topic_time_ms, no_outside, topic_locked, "
                      "moderated, invite_only, secret, join_key, member_limit, registered_ms FROM rooms ORDER BY key");
  while (q.executeStep()) {
    core::RoomRecord r;
    r.key = q.getColumn(0).getString();
    r.name = q.getColumn(1).getString();
    r.founder = q.getColumn(2).getString();
    r.topic = q.getColumn(3).getString();
    r.topic_by = q.getColumn(4).getString();
    r.topic_time = from_ms(q.getColumn(5).getInt64());
    r.settings.no_outside = q.getColumn(6).getInt() != 0;
    r.settings.topic_locked = q.getColumn(7).getInt() != 0;
    r.settings.moderated = q.getColumn(8).getInt() != 0;
    r.settings.invite_only = q.getColumn(9).getInt() != 0;
    r.settings.secret = q.getColumn(10).getInt() != 0;
    r.settings.key = q.getColumn(11).getString();
    r.settings.limit = static_cast<std::size_t>(q.getColumn(12).getInt64());
    r.registered = from_ms(q.getColumn(13).getInt64());
    by_key[r.key] = rooms.size();
    rooms.push_back(std::move(r));
  }
  SQLite::Statement masks(db_, "SELECT room, list, mask FROM room_masks ORDER BY room, list, position");
  while (masks.executeStep()) {
    auto at = by_key.find(masks.getColumn(0).getString());
    if (at == by_key.end()) continue;
    const std::string list = masks.getColumn(1).getString();
    for (const MaskList& m : kMaskLists) {
      if (list == m.letter) (rooms[at->second].settings.*m.list).push_back(masks.getColumn(2).getString());
    }
  }
  SQLite::Statement ops(db_, "SELECT room, account FROM room_operators ORDER BY room, position");
  while (ops.executeStep()) {
    auto at = by_key.find(ops.getColumn(0).getString());
    if (at != by_key.end()) rooms[at->second].operators.push_back(ops.getColumn(1).getString());
  }
  return rooms;
}

void SqliteRooms::save_room(const core::RoomRecord& r) {
  // Wholly replaced: a room is a few rows, and is saved only when it changes.
  SQLite::Transaction tx(db_);
  delete_room_rows(db_, r.key);
  SQLite::Statement q(db_,
                      "INSERT INTO rooms (key, name, founder, topic, topic_by, topic_time_ms, no_outside, "
                      "topic_locked, moderated, invite_only, secret, join_key, member_limit, registered_ms) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, r.key);
  q.bind(2, r.name);
  q.bind(3, r.founder);
  q.bind(4, r.topic);
  q.bind(5, r.topic_by);
  q.bind(6, to_ms(r.topic_time));
  q.bind(7, r.settings.no_outside ? 1 : 0);
  q.bind(8, r.settings.topic_locked ? 1 : 0);
  q.bind(9, r.settings.moderated ? 1 : 0);
  q.bind(10, r.settings.invite_only ? 1 : 0);
  q.bind(11, r.settings.secret ? 1 : 0);
  q.bind(12, r.settings.key);
  q.bind(13, static_cast<std::int64_t>(r.settings.limit));
  q.bind(14, to_ms(r.registered));
  q.exec();
  SQLite::Statement mask(db_, "INSERT INTO room_masks (room, list, position, mask) VALUES (?, ?, ?, ?)");
  for (const MaskList& m : kMaskLists) {
    const auto& list = r.settings.*m.list;
    for (std::size_t i = 0; i < list.size(); ++i) {
      mask.bind(1, r.key);
      mask.bind(2, m.letter);
      mask.bind(3, static_cast<std::int64_t>(i));
      mask.bind(4, list[i]);
      mask.exec();
      mask.reset();
    }
  }
  SQLite::Statement op(db_, "INSERT INTO room_operators (room, position, account) VALUES (?, ?, ?)");
  for (std::size_t i = 0; i < r.operators.size(); ++i) {
    op.bind(1, r.key);
    op.bind(2, static_cast<std::int64_t>(i));
    op.bind(3, r.operators[i]);
    op.exec();
    op.reset();
  }
  tx.commit();
}

void SqliteRooms::remove_room(const std::string& key) {
  SQLite::Transaction tx(db_);
  delete_room_rows(db_, key);
  tx.commit();
}

std::vector<core::ServerBan> SqliteRooms::load_bans() {
  std::vector<core::ServerBan> bans;
  SQLite::Statement q(db_,
                      "SELECT mask, reason, set_by, set_at_ms, expires_ms FROM server_bans ORDER BY set_at_ms, mask");
  while (q.executeStep()) {
    const std::int64_t expires = q.getColumn(4).getInt64();
    bans.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                    from_ms(q.getColumn(3).getInt64()), expires == 0 ? core::WallTime{} : from_ms(expires)});
  }
  return bans;
}

void SqliteRooms::save_ban(const core::ServerBan& ban) {
  SQLite::Statement q(db_,
                      "INSERT OR REPLACE INTO server_bans (mask, reason, set_by, set_at_ms, expires_ms) "
                      "VALUES (?, ?, ?, ?, ?)");
  q.bind(1, ban.mask);
  q.bind(2, ban.reason);
  q.bind(3, ban.set_by);
  q.bind(4, to_ms(ban.set_at));
  q.bind(5, ban.temporary() ? to_ms(ban.expires) : std::int64_t{0});
  q.exec();
}

void SqliteRooms::remove_ban(const std::string& mask) {
  SQLite::Statement q(db_, "DELETE FROM server_bans WHERE mask = ?");
  q.bind(1, mask);
  q.exec();
}

}  // namespace parley::store
