#pragma once
// What the core tells sessions. Events are immutable once built and shared by
// every recipient, on every loop.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/name_registry.h"
#include "core/presence.h"
#include "core/session_ref.h"

namespace parley::core {

using WallTime = std::chrono::system_clock::time_point;

// What a room allows, and whom it keeps out. Protocol-neutral: IRC shows it
// as channel modes, the text protocol in words.
struct RoomSettings {
  bool no_outside = true;    // only members send messages to it
  bool topic_locked = true;  // only operators change the topic
  bool moderated = false;    // only operators and voiced members speak
  bool invite_only = false;  // joining needs an invitation
  bool secret = false;       // hidden from room lists for non-members
  std::string key;           // joining needs this key ("" for none)
  std::size_t limit = 0;     // most members allowed (0 for no limit)
  std::vector<std::string> bans;  // nick!user@host masks with * and ?
  std::vector<std::string> ban_exceptions;     // masks a ban does not apply to
  std::vector<std::string> invite_exceptions;  // masks that join an invite-only room uninvited
  friend bool operator==(const RoomSettings&, const RoomSettings&) = default;
};

// One setting or role to change, and how.
enum class RoomSetting {
  topic_locked,
  moderated,
  invite_only,
  secret,
  key,
  limit,
  ban,
  op,
  voice,
  no_outside,
  ban_exception,
  invite_exception,
};

// Whether a setting is a list of masks (bans and their exceptions).
inline bool is_mask_list(RoomSetting s) {
  return s == RoomSetting::ban || s == RoomSetting::ban_exception || s == RoomSetting::invite_exception;
}

// The one-letter names both protocols use for settings (IRC's mode letters,
// which the text protocol's /mode adopted): n t m i s k l b e I o v.
inline std::optional<RoomSetting> setting_for_letter(char letter) {
  switch (letter) {
    case 'n': return RoomSetting::no_outside;
    case 'e': return RoomSetting::ban_exception;
    case 'I': return RoomSetting::invite_exception;
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

// The letter setting_for_letter reads as `s`.
inline char letter_of(RoomSetting s) {
  for (char c : std::string_view("ntmisklboveI")) {
    if (setting_for_letter(c) == s) return c;
  }
  return '?';
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

// Applies a change to a setting that is a value or a list (not a role), as
// every node of a cluster does in the room's order (room_remote.cpp).
void apply_setting(RoomSettings& settings, const RoomChange& change);

// The room as one member finds it (the joiner, NAMES, WHO). Entries share the
// members' identities: a snapshot of n members is n pointers, not 5n strings.
struct RoomSnapshot {
  struct Entry {
    SharedIdentity identity;  // never null
    bool op = false;
    bool voice = false;
  };
  std::string room;             // display name, without '#'
  std::string topic;
  std::string topic_by;         // the nick of whoever set the topic ("" when none is set)
  WallTime topic_time;          // when it was set
  WallTime created;             // when the room was made
  RoomSettings settings;
  std::vector<Entry> entries;   // members, in join order
};

// std::visit(Overloaded{[](const A&) {...}, [](const B&) {...}}, variant):
// one lambda per alternative, checked by the compiler for exhaustiveness.
template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// How a session ended: the user asked (with or without a reason), or its
// connection was lost (closed, reset, timed out, too slow, shut down).
enum class Ending { lost, asked };

// Who in a room hears what is said there: everyone, or only those with a
// role (IRC's STATUSMSG: "@#room" reaches its operators, "+#room" its
// operators and voiced members).
enum class Audience { members, voiced, operators };

// What someone says, to a room or to one person.
enum class Speech {
  message,
  action,  // "/me waves"
  notice,  // not to be answered automatically
  tagged,  // no text, only client tags (IRC's TAGMSG)
};

// In a cluster (docs/cluster.md, "Node liveness"): a node found dead, whose
// users' quits a survivor announced, in each of its rooms' order. Each
// member hears the quits it would see at once, as one group
// (Member::on_netsplit; IRC's netsplit batch).
struct Netsplit {
  std::string id;        // one node's death, the same on every node
  std::string survivor;  // the node that announced it
  std::string lost;      // the node found dead
};

// In a cluster: a node the others had found dead (frozen, cut off) coming
// back and announcing its members again in their rooms (RoomEvent::Joined::
// again), one netjoin per return. Each member hears the joins of one netjoin
// that come together as one group (Member::on_netjoin; IRC's netjoin batch).
struct Netjoin {
  std::string id;    // one return of one node, the same on every node
  std::string here;  // the node showing it (filled in where it is received)
  std::string back;  // the node coming back
};

// A member announced again (RoomEvent::Joined::again): its roles on its own
// node, which kept them, so that every node has them again, and its netjoin.
struct Rejoin {
  bool op = false;
  bool voice = false;
  std::shared_ptr<const Netjoin> netjoin;  // null: shown on its own
};

// Something that happened in a room, decided on its home loop in the room's
// one order. A small common header and one payload per kind; codecs handle
// each kind with std::visit, so a new kind fails to compile until every codec
// says how it shows it.
struct RoomEvent {
  // Joined the room. `snapshot` (the room as the joiner finds it) is set only in
  // the copy the joiner receives; the other members' copy shares nothing of it.
  struct Joined {
    std::shared_ptr<const RoomSnapshot> snapshot;
    // In a cluster: the member was in the room all along on its own node,
    // which the other nodes had found dead (it was frozen or cut off) or
    // whose members Redis lost. Nodes that announced its quit show it
    // joining again; its own node, and nodes that still have it, show nothing.
    // (No default member initializer: Joined{} makes it false, and the
    // variant below needs Joined default-constructible inside RoomEvent.)
    bool again;
    std::shared_ptr<const Rejoin> rejoin;  // again: its roles and netjoin (may be null)
  };
  struct Left {
    std::string reason;     // as given, if any
    bool quit = false;      // the session ended, rather than leaving this room
    std::string closed_by;  // quit: the server operator (nick) who ended it; "" when it ended by itself
    // quit: the user asked to end it (IRC's QUIT, the text LEAVE), with or
    // without a reason; false when the connection was lost, timed out or was closed.
    bool asked = false;
    // quit: its node died (a netsplit); null otherwise.
    std::shared_ptr<const Netsplit> split = nullptr;
  };
  struct Said {
    Speech speech = Speech::message;
    std::string text;
    // Tags the sender attached for other clients, opaque to the core (for
    // IRC: client-only tags in wire form, "+a=b;+c").
    std::string client_tags;
    Audience audience = Audience::members;
    // audience other than members: the members who hear it (the sender too).
    std::vector<SessionRef> hearers;
    // The sender is not a member (the room lets outsiders speak): it hears
    // its own message all the same, as members do.
    bool from_outside = false;
  };
  struct Renamed {
    SharedIdentity to;  // the actor's identity after; the header's is the one before
  };
  struct TopicChanged {
    std::string topic;
  };
  struct SettingsChanged {
    std::vector<RoomChange> changes;  // what changed, in order (only real changes)
  };
  struct Kicked {
    SessionRef target;
    SharedIdentity target_identity;
    std::string reason;
  };
  // A member invited someone; told to `audience` (empty: every member).
  struct Invited {
    SessionRef target;
    SharedIdentity invitee;
    std::vector<SessionRef> audience;
  };
  // The actor's away message (its identity's presence.away, "" when back) or
  // real name changed. `presence_seq` counts the actor's announced changes, so
  // a member hearing one change from several shared rooms shows it once.
  struct AwayChanged {
    std::uint64_t presence_seq = 0;
  };
  struct RealNameChanged {
    std::uint64_t presence_seq = 0;
  };
  // The actor logged in to an account (its identity's presence.account).
  struct AccountChanged {
    std::uint64_t presence_seq = 0;
  };
  // The actor removed line `msgid` of the room (IRCv3 draft/message-redaction):
  // its sender, or an operator. History no longer holds it.
  struct Redacted {
    std::string msgid;
    std::string reason;  // as given, if any
  };
  using Payload = std::variant<Joined, Left, Said, Renamed, TopicChanged, SettingsChanged, Kicked, Invited,
                               AwayChanged, RealNameChanged, AccountChanged, Redacted>;

  std::string room;       // display name, without '#'
  std::string room_key;   // folded
  std::uint64_t seq = 0;  // the room's order: every member sees events in seq order
  std::string id;         // unique across the server's life (IRC's msgid)
  WallTime time;
  SessionRef actor;
  SharedIdentity actor_identity;  // as of the event; never null
  CommandId cause = 0;            // the actor's command that caused it (0: none of its own)
  // The actor is not a member (a server operator acting on the room from
  // outside): it hears the event too, as members do.
  bool outsider = false;
  Payload what;

  const Identity& by() const { return *actor_identity; }
  template <class T>
  const T* as() const {
    return std::get_if<T>(&what);
  }
};

// Someone said something to one person.
struct PrivateMessage {
  SessionRef from;
  SharedIdentity sender;  // never null
  std::string to_name;
  std::string to_nick;
  Speech speech = Speech::message;
  std::string text;
  WallTime time;
  std::string id;           // unique across the server's life (IRC's msgid)
  std::string client_tags;  // opaque, as RoomEvent::Said::client_tags
};

// The sender of a kept private message removed it from history (IRCv3
// draft/message-redaction): told to the recipient, as the message was.
struct PrivateRedaction {
  SharedIdentity sender;  // never null
  std::string to_nick;    // the recipient's nick, as the sender named it
  std::string msgid;      // the line removed
  std::string reason;     // as given, if any
  WallTime time;
  std::string id;  // this redaction's own id (IRC's msgid)
};

// A name someone watches came online (took the name) or went offline (gave it
// up, by leaving or renaming). Delivered to each watcher on its own loop.
struct WatchNotice {
  bool online = false;
  Identity identity;  // online: who holds the name now; offline: who held it
};

// Someone whose name you watch changed their away message or real name
// (IRC's extended-monitor). `presence_seq` numbers it as the room events that
// announce the same change, so it can be shown once.
struct ProfileNotice {
  enum class Change { away, real_name, account };
  Change change = Change::away;
  SessionRef who;
  std::uint64_t presence_seq = 0;
  SharedIdentity identity;  // as changed: presence.away ("" when back), real_name, presence.account
};

// A server operator ended your session (delivered to that session only, just
// before the hub detaches it).
struct Removal {
  std::string by_name;
  std::string by_nick;
  std::string reason;
  // A server ban applies to the session (core/server_bans.h): no operator
  // removed it, and `reason` is the ban's.
  bool banned = false;
};

// A server operator's notice to everyone who asked to hear them
// (Presence::operator_notices; IRC's WALLOPS).
struct OperatorNotice {
  SharedIdentity from;  // never null
  std::string text;
};

// You are invited to a room (delivered to the invitee only).
struct Invitation {
  SessionRef from;
  SharedIdentity inviter;  // never null
  std::string to_nick;
  std::string room;  // display name, without '#'
};

// The last message an account read in one conversation changed (IRCv3
// draft/read-marker): told to that account's other sessions.
struct ReadMarkerNotice {
  std::string target;  // as the session that set it named it (a channel, a nick)
  WallTime time;
};

// The session's account was ended under it (deleted): the hub has logged
// the session out (its rooms heard "no account"); `reason` says why.
struct LoggedOut {
  std::string reason;
};

struct RoomSummary {
  std::string room;
  std::size_t members = 0;
  std::string topic;
  std::string key;  // the room's folded name: the same room from several nodes is listed once
};

}  // namespace parley::core
