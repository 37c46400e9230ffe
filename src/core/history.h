#pragma once
// What the server remembers of what was said, and how the core asks for it.
// The core decides what is kept (a room event, once its room has decided it;
// see Fanout::broadcast) and who may read it; where it is kept is behind the
// History interface (src/store implements it on SQLite). No I/O here.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/events.h"
#include "core/refusal.h"

namespace parley::core {

// One remembered event of a room, as both protocols can show it again.
struct HistoryLine {
  enum class Kind : std::uint8_t { message = 0, action, notice, join, part, quit, kick, topic, rename };

  std::string target;  // the room's key
  std::string room;    // the room's display name, without '#'
  std::string id;      // the event's id (IRC's msgid)
  WallTime time;
  Kind kind = Kind::message;
  Identity sender;      // display, nick, user and host as of the event
  std::string account;  // the sender's account, "" for none
  // message, action, notice: what was said; part, quit, kick: the reason;
  // topic: the new topic; rename: the new display name.
  std::string text;
  std::string object_name;  // kick: whom; rename: the new nick
  std::string client_tags;  // as RoomEvent::Said::client_tags
  // Whether it is something said (not a join, part, topic...).
  bool is_speech() const { return kind == Kind::message || kind == Kind::action || kind == Kind::notice; }
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
};

// Where history is kept. Implementations run on threads of their own:
// `record` never waits on a disk, and `fetch` answers on one of their threads.
class History {
 public:
  virtual ~History() = default;
  // Whether new messages should be taken: false while the writer is far
  // behind (a full disk, say), so that a message is refused, not lost.
  virtual bool accepting() const = 0;
  // Keeps `line`, after every line recorded before it. False (and the line
  // not kept, which the implementation reports) only far past the point where
  // accepting() turned false.
  virtual bool record(HistoryLine line) = 0;
  // Reads lines; sees every line recorded before the call.
  virtual void fetch(HistoryQuery query, std::function<void(Result<std::vector<HistoryLine>>)> done) = 0;
  // Whether an event may be delivered only once it is kept (sync = "always");
  // the hub then sends deliveries through after_commit (core::CommitGate).
  virtual bool keeps_before_delivery() const = 0;
  // Runs `then`, on a thread of the implementation, once every line recorded
  // before the call is kept (or given up on at shutdown); in call order.
  virtual void after_commit(std::function<void()> then) = 0;
};

// How the hub uses history (docs/configuration.md, [history]).
struct HistoryPolicy {
  std::size_t replay_lines = 20;  // lines shown on joining a room to clients that ask; 0: none
  std::size_t max_query_lines = 100;  // most lines one query returns (IRC's CHATHISTORY=)
};

// The line that keeps `event`, or nothing for events not kept (invitations,
// away and real-name changes, settings). `account` is the actor's.
std::optional<HistoryLine> history_line(const RoomEvent& event);

}  // namespace parley::core
