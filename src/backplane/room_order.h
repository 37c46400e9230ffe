#pragma once
// One room's events as a node applies them: strictly in the cluster's
// sequence, each once, whichever way it arrived (the room's pub/sub channel,
// the reply to this node's own append, or a read of the room's stream to fill
// a gap). Pure: no I/O, one thread.
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/room.h"
#include "core/session_table.h"

namespace parley::backplane {

class RoomOrder {
 public:
  struct Entry {
    core::Room::EventPtr event;
    core::Ticket ticket;  // this node's own event: its sender's request; else Ticket{}
    core::Room::EventPtr own;  // this node's own join: the joiner's copy
    char flag = '.';           // as parley_say set it ('o'/'-': whether a joiner runs the room)
  };

  // Where applying starts: events up to `seq` happened before this node
  // followed the room. Drops what waits at or before it.
  void start_at(std::uint64_t seq);
  bool started() const { return started_; }
  // Stops following (the room is unused, or the connection was lost): what
  // waits is returned, so that own events' tickets can be finished.
  std::vector<Entry> stop();
  std::uint64_t applied() const { return applied_; }
  // Whether events wait for one before them (a gap not filled yet).
  bool holds_back() const { return !waiting_.empty(); }

  // An event at `seq`. False when it is a duplicate (applied, or waiting).
  bool offer(std::uint64_t seq, Entry entry);
  // The events that are next in order, in order; applied() advances past them.
  std::vector<Entry> take_ready();
  // The missing range before the first waiting event, when there is one.
  std::optional<std::pair<std::uint64_t, std::uint64_t>> gap() const;
  // Gives up on everything up to `seq` (the stream no longer holds it).
  void skip_to(std::uint64_t seq);

 private:
  bool started_ = false;
  std::uint64_t applied_ = 0;
  std::map<std::uint64_t, Entry> waiting_;
};

}  // namespace parley::backplane
