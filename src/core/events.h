#pragma once
// What the core tells sessions. Events are immutable once built and shared by
// every recipient, on every loop.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/session_ref.h"

namespace parley::core {

using WallTime = std::chrono::system_clock::time_point;

struct RoomSnapshot {
  struct Entry {
    std::string display;
    std::string nick;
    std::string user;
    std::string host;
    std::string real_name;
    bool op = false;
  };
  std::string room;                  // display name, without '#'
  std::string topic;
  std::vector<std::string> members;  // display names, in join order
  std::vector<Entry> entries;        // the same members, in full
};

struct RoomEvent {
  enum class Kind { joined, left, message, action, notice, renamed, topic_changed };
  Kind kind;
  std::string room;       // display name, without '#'
  std::string room_key;   // folded
  std::uint64_t seq = 0;  // the room's order: every member sees events in seq order
  std::string id;         // unique across the server's life (IRC's msgid)
  bool quit = false;      // left: the session ended, rather than leaving this room
  SessionRef actor;
  std::string actor_name;  // renamed: the old name
  std::string actor_nick;  // renamed: the old nick
  std::string actor_user;
  std::string actor_host;
  std::string actor_real_name;
  // message/action: the text; renamed: the new name; topic_changed: the topic;
  // left: the reason given, if any.
  std::string text;
  std::string new_nick;  // renamed only
  WallTime time;
  // joined only: the room as the joiner finds it.
  std::shared_ptr<const RoomSnapshot> snapshot;
};

struct PrivateMessage {
  SessionRef from;
  std::string from_name;
  std::string from_nick;
  std::string from_user;
  std::string from_host;
  std::string to_name;
  std::string to_nick;
  std::string text;
  bool action = false;
  WallTime time;
  bool notice = false;
};

struct RoomSummary {
  std::string room;
  std::size_t members = 0;
  std::string topic;
};

}  // namespace parley::core
