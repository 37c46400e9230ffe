#pragma once
// What the core tells sessions. Events are immutable once built and shared by
// every recipient, on every loop.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/session_ref.h"

namespace parley::core {

using WallTime = std::chrono::system_clock::time_point;

// What a room allows, and whom it keeps out. Protocol-neutral: IRC shows it
// as channel modes, the text protocol in words.
struct RoomSettings {
  bool topic_locked = true;  // only operators change the topic
  bool moderated = false;    // only operators and voiced members speak
  bool invite_only = false;  // joining needs an invitation
  bool secret = false;       // hidden from room lists for non-members
  std::string key;           // joining needs this key ("" for none)
  std::size_t limit = 0;     // most members allowed (0 for no limit)
  std::vector<std::string> bans;  // nick!user@host masks with * and ?
};

// One setting or role to change, and how.
enum class RoomSetting { topic_locked, moderated, invite_only, secret, key, limit, ban, op, voice };

// The one-letter names both protocols use for settings (IRC's mode letters,
// which the text protocol's /mode adopted): t m i s k l b o v.
inline std::optional<RoomSetting> setting_for_letter(char letter) {
  switch (letter) {
    case 't': return RoomSetting::topic_locked;
    case 'm': return RoomSetting::moderated;
    case 'i': return RoomSetting::invite_only;
    case 's': return RoomSetting::secret;
    case 'k': return RoomSetting::key;
    case 'l': return RoomSetting::limit;
    case 'b': return RoomSetting::ban;
    case 'o': return RoomSetting::op;
    case 'v': return RoomSetting::voice;
    default: return std::nullopt;
  }
}

struct RoomChange {
  RoomSetting setting = RoomSetting::moderated;
  bool on = true;
  // key: the key; limit: the number; ban: the mask; op/voice: the member's
  // display name or nick as asked (as applied: the member's display name).
  std::string arg;
  std::string target_nick;  // op/voice as applied: the member's nick
  SessionRef target;        // op/voice as applied: the member
};

struct RoomSnapshot {
  struct Entry {
    std::string display;
    std::string nick;
    std::string user;
    std::string host;
    std::string real_name;
    bool op = false;
    bool voice = false;
  };
  std::string room;                  // display name, without '#'
  std::string topic;
  RoomSettings settings;
  std::vector<std::string> members;  // display names, in join order
  std::vector<Entry> entries;        // the same members, in full
};

struct RoomEvent {
  enum class Kind { joined, left, message, action, notice, renamed, topic_changed, settings_changed, kicked };
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
  // left: the reason given, if any; kicked: the reason given, if any.
  std::string text;
  std::string new_nick;  // renamed only
  WallTime time;
  // joined only: the room as the joiner finds it.
  std::shared_ptr<const RoomSnapshot> snapshot;
  // settings_changed only: what changed, in order (only real changes).
  std::vector<RoomChange> changes;
  // kicked only: who was removed (the actor is who removed them).
  SessionRef target;
  std::string target_name;
  std::string target_nick;
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
  std::string id;  // unique across the server's life (IRC's msgid)
};

// You are invited to a room (delivered to the invitee only).
struct Invitation {
  SessionRef from;
  std::string from_name;
  std::string from_nick;
  std::string from_user;
  std::string from_host;
  std::string to_nick;
  std::string room;  // display name, without '#'
};

struct RoomSummary {
  std::string room;
  std::size_t members = 0;
  std::string topic;
};

}  // namespace parley::core
