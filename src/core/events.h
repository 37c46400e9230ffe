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

#include "core/name_registry.h"
#include "core/presence.h"
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
    Presence presence = {};
  };
  std::string room;                  // display name, without '#'
  std::string topic;
  RoomSettings settings;
  std::vector<std::string> members;  // display names, in join order
  std::vector<Entry> entries;        // the same members, in full
};

struct RoomEvent {
  // tagged: a message with no text, only client tags (IRC's TAGMSG); invited:
  // a member invited someone (target) to the room, told to `audience`.
  enum class Kind {
    joined, left, message, action, notice, renamed, topic_changed, settings_changed, kicked, tagged, invited,
    away_changed,       // text: the away message ("" when back)
    real_name_changed,  // text (and actor_real_name): the new real name
  };
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
  std::string actor_away;  // the actor's away message as of the event ("" while present)
  bool actor_bot = false;  // the actor is a bot
  // away_changed and real_name_changed: the actor's count of such changes, so a
  // member hearing one change from several shared rooms can show it once.
  std::uint64_t presence_seq = 0;
  // left with quit: the server operator (nick) who ended the session; "" when it ended by itself.
  std::string closed_by;
  WallTime time;
  // joined only: the room as the joiner finds it.
  std::shared_ptr<const RoomSnapshot> snapshot;
  // settings_changed only: what changed, in order (only real changes).
  std::vector<RoomChange> changes;
  // kicked: who was removed (the actor is who removed them); invited: who was invited.
  SessionRef target;
  std::string target_name;
  std::string target_nick;
  // message/action/notice/tagged: tags the sender attached for other clients,
  // opaque to the core (for IRC: client-only tags in wire form, "+a=b;+c").
  std::string client_tags;
  // invited only: the members told (empty: every member).
  std::vector<SessionRef> audience;
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
  std::string client_tags;  // opaque, as RoomEvent::client_tags
  bool tags_only = false;   // no text, only client tags (IRC's TAGMSG)
  bool from_bot = false;    // the sender is a bot
};

// A name someone watches came online (took the name) or went offline (gave it
// up, by leaving or renaming). Delivered to each watcher on its own loop.
struct WatchNotice {
  bool online = false;
  Identity identity;  // online: who holds the name now; offline: who held it
};

// Someone whose name you watch changed their away message or real name
// (IRC's extended-monitor). `presence_seq` numbers it as the room events that
// announce the same change (RoomEvent::presence_seq), so it can be shown once.
struct ProfileNotice {
  RoomEvent::Kind kind = RoomEvent::Kind::away_changed;  // or real_name_changed
  SessionRef who;
  std::uint64_t presence_seq = 0;
  std::string nick;
  std::string user;
  std::string host;
  std::string text;  // the away message ("" when back), or the new real name
};

// A server operator ended your session (delivered to that session only, just
// before the hub detaches it).
struct Removal {
  std::string by_name;
  std::string by_nick;
  std::string reason;
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
