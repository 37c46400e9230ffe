#pragma once
// What the server keeps across restarts besides history and accounts:
// registered rooms and server-wide bans. A small synchronous interface, so the
// core does not know which store holds them (SQLite in src/store; PostgreSQL
// may replace it). Calls come from one thread, never an event loop (the hub
// hands each write to its offload function); an implementation may block.
// Loading happens once, before the loops run. Failures are thrown as
// exceptions derived from std::exception.
#include <string>
#include <vector>

#include "core/events.h"

namespace parley::core {

// A registered room as it is kept.
struct RoomRecord {
  std::string key;      // the room's folded name
  std::string name;     // its display name, without '#'
  std::string founder;  // the account that registered it, as registered
  std::vector<std::string> operators;  // accounts made operators on joining (not the founder)
  std::string topic;
  std::string topic_by;
  WallTime topic_time;
  RoomSettings settings;
  WallTime registered;
  friend bool operator==(const RoomRecord&, const RoomRecord&) = default;
};

// A server-wide ban (K-line): a nick!user@host mask, or "$a:ACCOUNT" for an
// account (core/server_bans.h).
struct ServerBan {
  std::string mask;    // normalized
  std::string reason;
  std::string set_by;  // the server operator's name
  WallTime set_at;
  WallTime expires{};  // when a temporary ban lapses; the epoch (the default): never
  bool temporary() const { return expires != WallTime{}; }
  bool expired(WallTime now) const { return temporary() && expires <= now; }
  friend bool operator==(const ServerBan&, const ServerBan&) = default;
};

class RoomRecords {
 public:
  virtual ~RoomRecords() = default;
  virtual std::vector<RoomRecord> load_rooms() = 0;
  // Inserts the room, or replaces it wholly when its key is kept already.
  virtual void save_room(const RoomRecord& room) = 0;
  virtual void remove_room(const std::string& key) = 0;
};

class BanRecords {
 public:
  virtual ~BanRecords() = default;
  virtual std::vector<ServerBan> load_bans() = 0;
  // Inserts the ban, or replaces the one with the same mask.
  virtual void save_ban(const ServerBan& ban) = 0;
  virtual void remove_ban(const std::string& mask) = 0;
};

}  // namespace parley::core
