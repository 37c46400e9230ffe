#pragma once
// What the core/room unit tests share: identities, the calls that return the
// event or null, and a few sessions. Included by the room_*_test.cpp files.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/room.h"

namespace parley::core::room_testing {

// A name whose nick is itself, as an IRC user's would be.
inline SharedIdentity id(std::string name) { return std::make_shared<const Identity>(Identity{name, name, {}, {}, {}}); }
inline SharedIdentity id(Identity identity) { return std::make_shared<const Identity>(std::move(identity)); }

using EventPtr = Room::EventPtr;
using Said = RoomEvent::Said;

// Joins; the joiner's copy of the joined event (with the snapshot), or null
// when the join changed nothing or was refused.
inline EventPtr join(Room& room, SessionRef who, SharedIdentity identity, std::string_view key = {}) {
  auto r = room.join(who, std::move(identity), key);
  return r.ok() ? r.value().for_joiner : nullptr;
}
// What the room said yields, or null when refused.
inline EventPtr say(Room& room, SessionRef who, Speech speech, std::string text) {
  auto r = room.say(who, speech, std::move(text));
  return r.ok() ? r.value() : nullptr;
}
inline EventPtr set_topic(Room& room, SessionRef who, std::string topic) {
  auto r = room.set_topic(who, std::move(topic));
  return r.ok() ? r.value() : nullptr;
}
inline std::string said(const EventPtr& ev) {
  const auto* s = ev ? ev->as<Said>() : nullptr;
  return s ? s->text : "(not said)";
}
inline std::vector<std::string> names_in(const RoomSnapshot& s) {
  std::vector<std::string> out;
  for (const auto& e : s.entries) out.push_back(e.identity->display);
  return out;
}
inline const std::shared_ptr<const RoomSnapshot>& snapshot_of(const EventPtr& ev) {
  static const std::shared_ptr<const RoomSnapshot> none;
  const auto* joined = ev ? ev->as<RoomEvent::Joined>() : nullptr;
  return joined ? joined->snapshot : none;
}

const SessionRef kAlice{0, 1};
const SessionRef kBob{2, 1};  // same id, another loop: another session
const SessionRef kCarol{2, 7};
const SessionRef kDave{1, 3};

inline std::vector<std::string> members(const Room& room) { return names_in(room.snapshot()); }

inline SharedIdentity full_id(std::string nick, std::string user, std::string host) {
  return id(Identity{nick, nick, std::move(user), std::move(host), {}});
}

// A server operator's identity (presence.server_operator).
inline SharedIdentity oper_id(std::string name) {
  Identity i{name, name, {}, {}, {}};
  i.presence.server_operator = true;
  return id(std::move(i));
}

inline RoomChange set(RoomSetting setting, bool on, std::string arg = {}) { return RoomChange{setting, on, std::move(arg), {}, {}}; }

inline const std::vector<RoomChange>& changes_of(const EventPtr& ev) {
  static const std::vector<RoomChange> none;
  const auto* c = ev ? ev->as<RoomEvent::SettingsChanged>() : nullptr;
  return c ? c->changes : none;
}

}  // namespace parley::core::room_testing
