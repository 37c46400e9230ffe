#pragma once
// What the server keeps for accounts besides their passwords, and the history
// edits that go with redaction: small synchronous interfaces, so the core does
// not know which store holds them (SQLite in src/store). Like RoomRecords, they
// are called only from the hub's offload thread, never an event loop; an
// implementation may block. Failures are thrown as exceptions derived from
// std::exception (the requests answer history_unavailable).
#include <optional>
#include <string>

#include "core/events.h"
#include "core/history.h"

namespace parley::core {

// IRCv3 draft/read-marker: per account and target, the time of the last
// message the user read. Keys are folded: the account's, and the target's
// (a room key, or a nick folded as an account name).
class ReadMarkerRecords {
 public:
  virtual ~ReadMarkerRecords() = default;
  virtual std::optional<WallTime> get(const std::string& account, const std::string& target) = 0;
  // Keeps `time` when it is later than what is kept; yields what is kept after.
  virtual WallTime raise(const std::string& account, const std::string& target, WallTime time) = 0;
};

// A kept line, as much as redaction needs to decide who may remove it.
struct KeptLine {
  HistoryLine::Kind kind = HistoryLine::Kind::message;
  std::string account;  // the sender's account ("" for none)
  std::string nick;     // the sender's nick then
  WallTime time;
};

// IRCv3 draft/message-redaction: removing one line from history, so that
// history reads (CHATHISTORY, replays) and search no longer return it.
class HistoryEdits {
 public:
  virtual ~HistoryEdits() = default;
  // The line of `target` (a room key) with id `msgid`, if kept.
  virtual std::optional<KeptLine> find(const std::string& target, const std::string& msgid) = 0;
  // Removes it (and its words from the search index); false when not kept.
  virtual bool remove(const std::string& target, const std::string& msgid) = 0;
};

}  // namespace parley::core
