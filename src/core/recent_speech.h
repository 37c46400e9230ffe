#pragma once
// What was said lately in one room, kept by the room on its home loop so that
// a join's replay (HistoryPolicy::replay_lines) is answered from memory: in a
// reconnect storm, a room's history is read at most once per node, when the
// room is new here, however many join (issue 16). No I/O here.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/events.h"
#include "core/history.h"

namespace parley::core {

class RecentSpeech {
 public:
  using EventPtr = std::shared_ptr<const RoomEvent>;
  // Gets the lines a join replays, oldest first.
  using Waiter = std::function<void(std::vector<HistoryLine>)>;

  // Whether `event` is a line a replay shows: speech to every member (not a
  // TAGMSG, not operators-only); the store keeps those too (history_line).
  static bool replayed(const RoomEvent& event);

  // A line of the room, in the room's order, as history recorded it. Keeps
  // the newest `capacity` lines, older ones first to go.
  void add(EventPtr event, std::size_t capacity);
  // A line removed from history (redaction): no replay shows it again.
  void remove(std::string_view id);
  // This node stopped following the room (a cluster's room with no members
  // here): what it holds may miss lines from now on, so it holds nothing.
  void forget();

  // Whether the room's last `capacity` lines are here: those said since the
  // room was made here number that many, or history's older ones were read
  // (prime). Then lines() is what a join now replays.
  bool complete(std::size_t capacity) const { return primed_ || added_since_forgotten_ >= capacity; }
  std::vector<HistoryLine> lines(std::size_t capacity) const { return lines_before(next_index_, capacity); }

  // Not complete: `waiter` gets the lines before this moment once history's
  // older lines are read. For the first waiter, a read to start: the caller
  // reads the room's latest `capacity` speech lines and hands them to prime()
  // with it; empty while one is on its way already.
  using Read = std::weak_ptr<const bool>;
  Read wait(Waiter waiter);
  // History's latest lines as `read` found them, oldest first (they may
  // include lines added here since; those are recognised by id), or nullopt
  // when the read failed (the waiters get what was added here, and the next
  // join reads again). Answers every waiter. A read for another room of the
  // same name (this one went and came back meanwhile) is ignored.
  void prime(const Read& read, std::optional<std::vector<HistoryLine>> latest, std::size_t capacity);

  RecentSpeech() = default;
  RecentSpeech(RecentSpeech&&) = default;
  RecentSpeech& operator=(RecentSpeech&&) = default;
  // Waiters still here when the room goes (all its members left while
  // history was read) get nothing: they are not in the room any more.
  ~RecentSpeech();

 private:
  struct Added {
    std::uint64_t index = 0;  // next_index_ when it came
    EventPtr event;
  };
  struct Waiting {
    std::uint64_t before = 0;  // what it sees: lines added before this
    Waiter waiter;
  };
  // The newest `capacity` lines added before `before`, after the older ones.
  std::vector<HistoryLine> lines_before(std::uint64_t before, std::size_t capacity) const;
  void trim(std::size_t capacity);

  std::vector<HistoryLine> older_;  // read from history, older than every line in added_
  std::vector<Added> added_;        // oldest first
  std::uint64_t next_index_ = 0;
  std::uint64_t added_since_forgotten_ = 0;
  bool primed_ = false;
  bool forgotten_while_reading_ = false;  // the read in flight primes nothing
  std::vector<std::string> removed_while_reading_;
  std::unordered_set<std::string> said_while_reading_;  // ids of lines added while history is read
  std::vector<Waiting> waiting_;         // non-empty while history is read
  std::shared_ptr<const bool> reading_;  // the read on its way, if any
};

}  // namespace parley::core
