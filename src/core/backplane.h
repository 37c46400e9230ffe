#pragma once
// Where a cluster of nodes attaches to the core (issue 16; docs/cluster.md).
// The core decides a room event once, on the room's home loop
// (Fanout::broadcast); an event the backplane shares does not go to the
// room's members from there, but to the backplane, which puts it in the
// room's one order across every node and hands it back, with the other
// nodes' events for the room, through OrderedDelivery. The core knows no
// Redis and does no I/O here: src/backplane implements this.
#include <functional>
#include <string>

#include "core/room.h"
#include "core/session_table.h"

namespace parley::core {

// Delivers an event, decided here or on another node, to this node's members
// of its room, in the order the calls come (the room's cluster order). The
// ticket is the one Backplane::publish was given (Ticket{} for another node's
// event); it is finished once the actor has the event. Any thread.
using OrderedDelivery = std::function<void(Room::EventPtr, Ticket)>;

class Backplane {
 public:
  virtual ~Backplane() = default;
  // Once, before the loops run: where ordered events go.
  virtual void attach(OrderedDelivery deliver) = 0;
  // Whether the cluster orders `event` (else it stays on this node, delivered
  // as without a backplane). On the room's home loop; must not block.
  virtual bool shares(const RoomEvent& event) const = 0;
  // On the room's home loop, instead of delivering a shared event: the
  // backplane hands it back through OrderedDelivery in its place in the
  // room's order, with `ticket`, or never when the cluster cannot take it
  // (then it finishes the ticket through OrderedDelivery with a null event).
  // Must not block.
  virtual void publish(Room::EventPtr event, Ticket ticket) = 0;
  // On the room's home loop, after each join or departure: whether the room
  // has members on this node (a node follows a room only while it has).
  virtual void room_in_use(const std::string& room_key, bool in_use) = 0;

  // Names, unique across nodes. On the registry loop, before the directory
  // gives `who` the name whose folded key is `key`: whether no other node
  // holds it. `answer` runs once, on any thread; the core then decides as
  // without a cluster (the name may still be in use here).
  virtual void lease_name(SessionRef who, const std::string& key, std::function<void(bool free)> answer) = 0;
  // Registry loop: the directory settled a claim `lease_name` allowed: `who`
  // holds `key` now (taken) or did not get it (!taken). Either way no other
  // name of `who` is held any more but its current one.
  virtual void name_settled(SessionRef who, const std::string& key, bool taken) = 0;
  // Registry loop: `who` gave up every name (it left, or was banned).
  virtual void names_released(SessionRef who) = 0;
};

}  // namespace parley::core
