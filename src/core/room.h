#pragma once
// One room, owned by its home loop: its members, its topic and its order.
// Every change returns the event that tells the members about it, already
// numbered in the room's sequence. Not thread-safe: touched only on the home loop.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/events.h"
#include "core/name_registry.h"

namespace parley::core {

class Room {
 public:
  Room(std::string display, std::string key, LoopIndex loop_count);

  const std::string& display() const { return display_; }
  const std::string& topic() const { return topic_; }
  std::size_t size() const { return members_.size(); }
  bool empty() const { return members_.empty(); }
  bool contains(SessionRef who) const;
  bool is_op(SessionRef who) const;
  // Whether members live on `loop`, so that it must hear the room's events.
  bool has_members_on(LoopIndex loop) const { return per_loop_[loop] > 0; }

  using EventPtr = std::shared_ptr<const RoomEvent>;
  // Each returns nullptr when nothing changed (joining twice, a non-member speaking).
  EventPtr join(SessionRef who, Identity identity);
  EventPtr leave(SessionRef who, std::string reason, bool quit = false);
  EventPtr say(SessionRef who, RoomEvent::Kind kind, std::string text);
  EventPtr rename(SessionRef who, Identity renamed);
  EventPtr set_topic(SessionRef who, std::string topic);

  RoomSnapshot snapshot() const;

 private:
  struct Entry {
    SessionRef ref;
    Identity identity;
    bool op = false;  // the room's creator is its first operator
  };
  std::vector<Entry>::iterator find(SessionRef who);
  std::vector<Entry>::const_iterator find(SessionRef who) const;
  std::shared_ptr<RoomEvent> next_event(RoomEvent::Kind kind, SessionRef actor, const Identity& identity);

  std::string display_;
  std::string key_;
  std::string topic_;
  std::string id_prefix_;  // makes event ids unique across rooms and restarts of a room
  std::uint64_t seq_ = 0;
  std::vector<Entry> members_;  // join order
  std::vector<std::size_t> per_loop_;
};

}  // namespace parley::core
