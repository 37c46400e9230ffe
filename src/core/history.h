#pragma once
// What the server remembers of what was said, and how the core asks for it.
// The core decides what is kept (a room event, once its room has decided it;
// see Fanout::broadcast) and who may read it; where it is kept is behind the
// History interface (src/store implements it on SQLite). No I/O here.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/events.h"
#include "core/loop_poster.h"
#include "core/refusal.h"

namespace parley::core {

// One remembered event of a room, as both protocols can show it again.
struct HistoryLine {
  // Append only: the store keeps these numbers. `tagged`: a TAGMSG kept for
  // its tags (client_tags; no text), e.g. +draft/persist (kept_tagmsg).
  enum class Kind : std::uint8_t { message = 0, action, notice, join, part, quit, kick, topic, rename, tagged };

  std::string target;  // the room's key, or a private conversation's (private_history_key)
  std::string room;    // the room's display name, without '#' ("" for a private message)
  std::string id;      // the event's id (IRC's msgid)
  WallTime time;
  Kind kind = Kind::message;
  Identity sender;      // display, nick, user and host as of the event
  std::string account;  // the sender's account, "" for none
  // message, action, notice: what was said; part, quit, kick: the reason;
  // topic: the new topic; rename: the new display name.
  std::string text;
  // kick: whom; rename: the new nick; private message: the recipient's nick;
  // quit: how it ended: "" the user asked (and every quit kept before this
  // was recorded), "*" the connection was lost or closed, else the nick of
  // the server operator who closed it (no nick is "*").
  std::string object_name;
  std::string client_tags;  // as RoomEvent::Said::client_tags
  // Whether it is something said (not a join, part, topic...).
  bool is_speech() const { return kind == Kind::message || kind == Kind::action || kind == Kind::notice; }
};

// A line as History::record takes it: views into the event it keeps (or into
// a HistoryLine), valid during the call; the store copies what it keeps. Made
// without copying a string: one is made for every message said.
struct HistoryLineRef {
  HistoryLineRef() = default;
  // Views of `line`'s fields (implicit, as a std::string_view of a std::string:
  // valid while `line` is).
  HistoryLineRef(const HistoryLine& line);  // NOLINT(google-explicit-constructor)
  std::string_view target, room, id;
  WallTime time;
  HistoryLine::Kind kind = HistoryLine::Kind::message;
  std::string_view display, nick, user, host;  // the sender's, as in HistoryLine::sender
  bool bot = false;
  std::string_view account, text, object_name, client_tags;
  HistoryLine owned() const;  // a copy that keeps
};

// A point in a room's history: a moment, or one line (by its id).
struct HistoryPoint {
  std::optional<WallTime> time;
  std::string id;  // when set, the line with this id (time is then ignored)
  static HistoryPoint at(WallTime t) { return {t, {}}; }
  static HistoryPoint line(std::string id) { return {std::nullopt, std::move(id)}; }
};

// Which lines of one room to read. Results are always oldest first.
struct HistoryQuery {
  enum class Direction {
    latest,   // the newest `limit` lines (after `from`, when set)
    before,   // the newest `limit` lines before `from`
    after,    // the oldest `limit` lines after `from`
    around,   // `limit` lines around `from`: half before, the rest from it on
    between,  // `limit` lines strictly between `from` and `to`, from `from`'s side
  };
  std::string target;  // the room's key
  Direction direction = Direction::latest;
  std::optional<HistoryPoint> from;
  std::optional<HistoryPoint> to;
  std::size_t limit = 50;
  bool speech_only = false;  // leave out joins, parts, topics... (clients without event playback)
  // A second target read with `target` as one history, in one order ("" for
  // none): a logged-in reader's conversation with guests of a nick
  // (private_guest_key) beside the one with the account of that name.
  std::string also_target;
};

// Which conversations had lines in a span of time (IRC's CHATHISTORY TARGETS):
// the rooms named, and the private conversations of `account`.
struct TargetsQuery {
  std::vector<std::string> rooms;  // room keys
  std::string account;             // "" for none: no private conversations
  WallTime from, to;               // lines strictly between them
  std::size_t limit = 50;
};
struct HistoryTarget {
  std::string target;  // room key, or private_history_key
  std::string name;    // the room's display name, or the other side's account
  WallTime latest;     // its latest line in the span
};

// Which lines hold words (search): speech only, of the targets named.
struct SearchQuery {
  std::vector<std::string> targets;  // room keys and private conversation keys
  std::string words;                 // every word must appear (prefixes with '*')
  std::size_t limit = 20;
  bool newest_first = true;  // else by relevance
};

// Where history is kept. Implementations run on threads of their own:
// `record` never waits on a disk, and `fetch` answers on one of their threads.
class History {
 public:
  virtual ~History() = default;
  // Whether a new message should be taken (asked once per message): false
  // while the writer is far behind (a full disk, say), so that a message is
  // refused, not lost. The store counts and logs the refusals.
  virtual bool accepting() = 0;
  // Keeps `line`, after every line recorded before it. False (and the line
  // not kept, which the implementation reports) only far past the point where
  // accepting() turned false.
  virtual bool record(const HistoryLineRef& line) = 0;
  // Reads lines; sees every line recorded before the call.
  virtual void fetch(HistoryQuery query, std::function<void(Result<std::vector<HistoryLine>>)> done) = 0;
  // Newest first, at most query.limit.
  virtual void fetch_targets(TargetsQuery query, std::function<void(Result<std::vector<HistoryTarget>>)> done) = 0;
  // Lines holding the words, in the order the query asks.
  virtual void search(SearchQuery query, std::function<void(Result<std::vector<HistoryLine>>)> done) = 0;
  // Whether an event may be delivered only once it is kept (sync = "always");
  // the hub then sends deliveries through after_commit (core::CommitGate).
  virtual bool keeps_before_delivery() const = 0;
  // Runs `then`, on a thread of the implementation, once every line recorded
  // before the call is kept (or given up on at shutdown); in call order.
  virtual void after_commit(Task then) = 0;
};

// How the hub uses history (docs/configuration.md, [history]).
struct HistoryPolicy {
  std::size_t replay_lines = 20;  // lines shown on joining a room to clients that ask; 0: none
  std::size_t max_query_lines = 100;  // most lines one query returns (IRC's CHATHISTORY=)
  // Lines older than this are not replayed (history deletes them: [history]
  // keep_days); 0: any age.
  std::chrono::seconds replay_max_age{0};
};

// The line that keeps `event`, or nothing for events not kept (invitations,
// away and real-name changes, settings): as views into the event, and as a
// copy that keeps.
std::optional<HistoryLineRef> history_line_ref(const RoomEvent& event);
std::optional<HistoryLine> history_line(const RoomEvent& event);

// Whether a TAGMSG with these client tags (as RoomEvent::Said::client_tags,
// "+a=b;+c") is kept: those asking for it (+draft/persist) and reactions,
// which mean something read again later. Typing notices are not.
bool kept_tagmsg(std::string_view client_tags);

// Private messages are kept when at least one side is logged in to an
// account, and only its account holders read them, so that nobody who takes
// a nick later reads what was said to or by an earlier holder (docs/irc.md,
// "History"). Between two accounts, the key holds both, folded, in order:
// "@a\x1fb". Between an account and a guest (no account), only the account's
// side keeps it: "@a\x1f!nick" (the nick folded; names never hold control
// characters or '!', and room keys never start with '@').
std::string private_history_key(std::string_view account, std::string_view other_account);
std::string private_guest_key(std::string_view account, std::string_view guest_nick);
bool is_private_history_key(std::string_view target);
// The other side of a private conversation, seen from `account` ("" if the
// key is not one of its conversations): an account, or a guest's nick.
std::string other_side(std::string_view key, std::string_view account);
// Who lists a private conversation among theirs: (account, the other side's
// name) for each account that may read it (one for a guest conversation).
std::vector<std::pair<std::string, std::string>> private_history_readers(std::string_view key);
// The line that keeps `pm` (sent to someone logged in to `to_account`, "" for
// none), or nothing when it is not kept (neither side logged in).
std::optional<HistoryLine> history_line(const PrivateMessage& pm, std::string_view to_account);

}  // namespace parley::core
