#include "store/pg_records.h"

#include <fmt/format.h>

#include <map>

#include "core/unicode.h"
#include "store/pg_schema.h"
#include "store/room_mask_lists.h"
#include "store/time_ms.h"

namespace parley::store {
namespace {

PgConnection connect_and_migrate(const std::string& url) {
  PgConnection db(url);
  pg_migrate(db);
  return db;
}

// --- accounts -----------------------------------------------------------

bool is_account(const std::string& shown, const std::string& key) { return core::fold_key(shown).value_or(shown) == key; }

// The registered rooms forget a deleted account as the SQLite store's
// account deletion does (and core::Room::forget_account in a running
// server): off every access list; a room it founded passes to the first
// account on its access list, or, with none, is no longer registered.
void forget_account_in_rooms(PgConnection& db, const std::string& key) {
  PgResult ops = db.exec("SELECT room, position, account FROM room_operators");
  for (int row = 0; row < ops.rows(); ++row) {
    if (is_account(ops.text(row, 2), key))
      db.exec("DELETE FROM room_operators WHERE room = $1 AND position = $2", {ops.text(row, 0), ops.integer(row, 1)});
  }
  PgResult rooms = db.exec("SELECT key, founder FROM rooms");
  for (int row = 0; row < rooms.rows(); ++row) {
    if (!is_account(rooms.text(row, 1), key)) continue;
    const std::string room = rooms.text(row, 0);
    PgResult next = db.exec("SELECT position, account FROM room_operators WHERE room = $1 ORDER BY position LIMIT 1",
                            {room});
    if (next.rows() > 0) {
      db.exec("UPDATE rooms SET founder = $1 WHERE key = $2", {next.text(0, 1), room});
      db.exec("DELETE FROM room_operators WHERE room = $1 AND position = $2", {room, next.integer(0, 0)});
      continue;
    }
    for (const char* table : {"rooms WHERE key", "room_masks WHERE room", "room_operators WHERE room"})
      db.exec(fmt::format("DELETE FROM {} = $1", table), {room});
  }
}

// A record's fields after `key` ($2..$8), in the table's order.
std::vector<PgParam> account_params(const auth::AccountRecord& r) {
  return {r.key,
          r.name,
          r.password_hash,
          PgParam::bytes(r.scram.salt),
          static_cast<std::int64_t>(r.scram.iterations),
          PgParam::bytes(r.scram.stored_key),
          PgParam::bytes(r.scram.server_key),
          r.created};
}

// --- rooms --------------------------------------------------------------

void delete_room_rows(PgConnection& db, const std::string& key) {
  db.exec("DELETE FROM rooms WHERE key = $1", {key});
  db.exec("DELETE FROM room_masks WHERE room = $1", {key});
  db.exec("DELETE FROM room_operators WHERE room = $1", {key});
}

}  // namespace

PgAccounts::PgAccounts(const std::string& url) : db_(connect_and_migrate(url)) {}

std::optional<auth::AccountRecord> PgAccounts::find(const std::string& key) {
  PgResult q = db_.exec(
      "SELECT key, name, password_hash, scram_salt, scram_iterations, scram_stored_key, scram_server_key, created "
      "FROM accounts WHERE key = $1",
      {key});
  if (q.rows() == 0) return std::nullopt;
  auth::AccountRecord r;
  r.key = q.text(0, 0);
  r.name = q.text(0, 1);
  r.password_hash = q.text(0, 2);
  r.scram.salt = q.bytes(0, 3);
  r.scram.iterations = static_cast<std::uint32_t>(q.integer(0, 4));
  r.scram.stored_key = q.bytes(0, 5);
  r.scram.server_key = q.bytes(0, 6);
  r.created = q.integer(0, 7);
  return r;
}

bool PgAccounts::insert(const auth::AccountRecord& record) {
  // ON CONFLICT DO NOTHING: an existing key (perhaps registered on another node
  // a moment ago) is the caller's "taken", not an error.
  return db_.exec("INSERT INTO accounts (key, name, password_hash, scram_salt, scram_iterations, "
                  "scram_stored_key, scram_server_key, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                  "ON CONFLICT (key) DO NOTHING",
                  account_params(record))
             .affected() == 1;
}

bool PgAccounts::update(const auth::AccountRecord& record) {
  return db_.exec("UPDATE accounts SET name = $2, password_hash = $3, scram_salt = $4, scram_iterations = $5, "
                  "scram_stored_key = $6, scram_server_key = $7, created = $8 WHERE key = $1",
                  account_params(record))
             .affected() == 1;
}

std::optional<std::int64_t> PgAccounts::remove(const std::string& key) {
  // As the file's: the account's read markers and private conversations go
  // with it, and its deletion is recorded. Deletions take turns (the lock, held
  // to the commit), so that their numbers are committed in order: a node that
  // has read number n never finds a smaller one committed later.
  PgTransaction tx(db_);
  db_.exec("LOCK TABLE account_deletions IN EXCLUSIVE MODE");
  PgResult gone = db_.exec("DELETE FROM accounts WHERE key = $1 RETURNING name", {key});
  if (gone.rows() != 1) return std::nullopt;
  const std::string name = gone.text(0, 0);
  db_.exec("DELETE FROM read_markers WHERE account = $1", {key});
  db_.exec("DELETE FROM history WHERE target IN (SELECT target FROM conversations WHERE account = $1)", {key});
  db_.exec("DELETE FROM history_targets WHERE key IN (SELECT target FROM conversations WHERE account = $1)", {key});
  db_.exec("DELETE FROM conversations WHERE target IN (SELECT target FROM conversations WHERE account = $1)", {key});
  forget_account_in_rooms(db_, key);
  const std::int64_t now_ms = to_ms(std::chrono::system_clock::now());
  PgResult recorded = db_.exec("INSERT INTO account_deletions (key, name, deleted_ms) VALUES ($1, $2, $3) RETURNING id",
                               {key, name, now_ms});
  const std::int64_t id = recorded.integer(0, 0);
  // Pruned here, where a deletion is written anyway; the newest (this one) stays.
  db_.exec("DELETE FROM account_deletions WHERE deleted_ms < $1 AND id < $2", {now_ms - auth::kDeletionsKeptMs, id});
  tx.commit();
  return id;
}

std::vector<auth::AccountDeletion> PgAccounts::deletions_after(std::int64_t after) {
  PgResult q = db_.exec("SELECT id, key, name, deleted_ms FROM account_deletions WHERE id > $1 ORDER BY id", {after});
  std::vector<auth::AccountDeletion> out;
  for (int row = 0; row < q.rows(); ++row)
    out.push_back({q.integer(row, 0), q.text(row, 1), q.text(row, 2), q.integer(row, 3)});
  return out;
}

std::int64_t PgAccounts::last_deletion() {
  return db_.exec("SELECT COALESCE(MAX(id), 0) FROM account_deletions").integer(0, 0);
}

PgRooms::PgRooms(const std::string& url) : db_(connect_and_migrate(url)) {}

std::vector<core::RoomRecord> PgRooms::load_rooms() {
  std::vector<core::RoomRecord> rooms;
  std::map<std::string, std::size_t> by_key;
  PgResult q = db_.exec(
      "SELECT key, name, founder, topic, topic_by, topic_time_ms, no_outside, topic_locked, moderated, "
      "invite_only, secret, join_key, member_limit, registered_ms FROM rooms ORDER BY key");
  for (int i = 0; i < q.rows(); ++i) {
    core::RoomRecord r;
    r.key = q.text(i, 0);
    r.name = q.text(i, 1);
    r.founder = q.text(i, 2);
    r.topic = q.text(i, 3);
    r.topic_by = q.text(i, 4);
    r.topic_time = from_ms(q.integer(i, 5));
    r.settings.no_outside = q.boolean(i, 6);
    r.settings.topic_locked = q.boolean(i, 7);
    r.settings.moderated = q.boolean(i, 8);
    r.settings.invite_only = q.boolean(i, 9);
    r.settings.secret = q.boolean(i, 10);
    r.settings.key = q.text(i, 11);
    r.settings.limit = static_cast<std::size_t>(q.integer(i, 12));
    r.registered = from_ms(q.integer(i, 13));
    by_key[r.key] = rooms.size();
    rooms.push_back(std::move(r));
  }
  PgResult masks = db_.exec("SELECT room, list, mask FROM room_masks ORDER BY room, list, position");
  for (int i = 0; i < masks.rows(); ++i) {
    auto at = by_key.find(masks.text(i, 0));
    if (at == by_key.end()) continue;
    const std::string list = masks.text(i, 1);
    for (const MaskList& m : kMaskLists) {
      if (list == m.letter) (rooms[at->second].settings.*m.list).push_back(masks.text(i, 2));
    }
  }
  PgResult ops = db_.exec("SELECT room, account FROM room_operators ORDER BY room, position");
  for (int i = 0; i < ops.rows(); ++i) {
    auto at = by_key.find(ops.text(i, 0));
    if (at != by_key.end()) rooms[at->second].operators.push_back(ops.text(i, 1));
  }
  return rooms;
}

void PgRooms::save_room(const core::RoomRecord& r) {
  // Wholly replaced: a room is a few rows, and is saved only when it changes.
  PgTransaction tx(db_);
  delete_room_rows(db_, r.key);
  db_.exec("INSERT INTO rooms (key, name, founder, topic, topic_by, topic_time_ms, no_outside, topic_locked, "
           "moderated, invite_only, secret, join_key, member_limit, registered_ms) "
           "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
           {r.key, r.name, r.founder, r.topic, r.topic_by, to_ms(r.topic_time), r.settings.no_outside,
            r.settings.topic_locked, r.settings.moderated, r.settings.invite_only, r.settings.secret, r.settings.key,
            static_cast<std::int64_t>(r.settings.limit), to_ms(r.registered)});
  for (const MaskList& m : kMaskLists) {
    const auto& list = r.settings.*m.list;
    for (std::size_t i = 0; i < list.size(); ++i) {
      db_.exec("INSERT INTO room_masks (room, list, position, mask) VALUES ($1, $2, $3, $4)",
               {r.key, m.letter, static_cast<std::int64_t>(i), list[i]});
    }
  }
  for (std::size_t i = 0; i < r.operators.size(); ++i) {
    db_.exec("INSERT INTO room_operators (room, position, account) VALUES ($1, $2, $3)",
             {r.key, static_cast<std::int64_t>(i), r.operators[i]});
  }
  tx.commit();
}

void PgRooms::remove_room(const std::string& key) {
  PgTransaction tx(db_);
  delete_room_rows(db_, key);
  tx.commit();
}

std::vector<core::ServerBan> PgRooms::load_bans() {
  std::vector<core::ServerBan> bans;
  PgResult q = db_.exec("SELECT mask, reason, set_by, set_at_ms, expires_ms FROM server_bans ORDER BY set_at_ms, mask");
  for (int i = 0; i < q.rows(); ++i) {
    const std::int64_t expires = q.integer(i, 4);
    bans.push_back({q.text(i, 0), q.text(i, 1), q.text(i, 2), from_ms(q.integer(i, 3)),
                    expires == 0 ? core::WallTime{} : from_ms(expires)});
  }
  return bans;
}

void PgRooms::save_ban(const core::ServerBan& ban) {
  db_.exec("INSERT INTO server_bans (mask, reason, set_by, set_at_ms, expires_ms) VALUES ($1, $2, $3, $4, $5) "
           "ON CONFLICT (mask) DO UPDATE SET reason = excluded.reason, set_by = excluded.set_by, "
           "set_at_ms = excluded.set_at_ms, expires_ms = excluded.expires_ms",
           {ban.mask, ban.reason, ban.set_by, to_ms(ban.set_at), ban.temporary() ? to_ms(ban.expires) : std::int64_t{0}});
}

void PgRooms::remove_ban(const std::string& mask) { db_.exec("DELETE FROM server_bans WHERE mask = $1", {mask}); }

PgReadMarkers::PgReadMarkers(const std::string& url) : db_(connect_and_migrate(url)) {}

std::optional<core::WallTime> PgReadMarkers::get(const std::string& account, const std::string& target) {
  PgResult q = db_.exec("SELECT time_ms FROM read_markers WHERE account = $1 AND target = $2", {account, target});
  if (q.rows() == 0) return std::nullopt;
  return from_ms(q.integer(0, 0));
}

core::WallTime PgReadMarkers::raise(const std::string& account, const std::string& target, core::WallTime time) {
  // Only ever forward, in one statement: two nodes raising at once keep the later.
  PgResult q = db_.exec(
      "INSERT INTO read_markers (account, target, time_ms) VALUES ($1, $2, $3) "
      "ON CONFLICT (account, target) DO UPDATE SET time_ms = GREATEST(read_markers.time_ms, excluded.time_ms) "
      "RETURNING time_ms",
      {account, target, to_ms(time)});
  return q.rows() == 0 ? time : from_ms(q.integer(0, 0));
}

}  // namespace parley::store
