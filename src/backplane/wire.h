#pragma once
// How shared room events, members and room state travel between nodes (in
// Redis's streams, hashes and pub/sub messages): a version, then
// length-prefixed fields, so any byte may appear in a text. Pure: no I/O.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/backplane.h"
#include "core/events.h"

namespace parley::backplane {

// A session's name across the cluster: "NODE/LOOP.ID", NODE being the node's
// incarnation (a restarted node is a new node).
std::string owner_name(std::string_view node, core::SessionRef who);
// The session an owner name means on node `self`: its own ref when the
// session is here, else a ref on core::kRemoteLoop made from the name.
core::SessionRef ref_of_owner(std::string_view owner, std::string_view self);
// The node part of an owner name.
std::string_view node_of_owner(std::string_view owner);

// Finds the cluster name of a session an event names (its actor, a kicked
// member, a member given a role); "" when unknown.
using OwnerOf = std::function<std::string(core::SessionRef)>;

// The event as another node rebuilds it (what Backplane::shares lets
// through: messages to every member, joins, departures, renames, topics,
// settings and roles, kicks).
std::string encode_event(const core::RoomEvent& event, std::string_view node, const OwnerOf& owner_of);

struct DecodedEvent {
  std::string node;  // the node it was decided on
  std::shared_ptr<core::RoomEvent> event;
  std::string actor_owner;  // the actor's cluster name
  std::string target_owner;  // a kicked member's ("" otherwise)
};
// nullopt when `bytes` is not an event this version reads. Sessions are
// named as `self` sees them (ref_of_owner).
std::optional<DecodedEvent> decode_event(std::string_view bytes, std::string_view self = {});

// A member as the room's hash in Redis keeps it, and a room's topic and settings.
std::string encode_identity(const core::Identity& identity);
core::SharedIdentity decode_identity(std::string_view bytes);
std::string encode_room_state(const core::RoomSnapshot& state);
std::shared_ptr<core::RoomSnapshot> decode_room_state(std::string_view bytes);

}  // namespace parley::backplane
