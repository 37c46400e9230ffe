#include "core/room.h"

#include <fmt/format.h>

#include <algorithm>

namespace parley::core {

Room::Room(std::string display, std::string key, LoopIndex loop_count)
    : display_(std::move(display)), key_(std::move(key)), per_loop_(loop_count, 0) {
  // The room's key hash and its creation time: two rooms, or one room made
  // twice, never share an id prefix in practice.
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  id_prefix_ = fmt::format("{:x}{:x}-", std::hash<std::string>{}(key_) & 0xffffff, static_cast<std::uint64_t>(now));
}

std::vector<Room::Entry>::iterator Room::find(SessionRef who) {
  return std::find_if(members_.begin(), members_.end(), [&](const Entry& e) { return e.ref == who; });
}

std::vector<Room::Entry>::const_iterator Room::find(SessionRef who) const {
  return std::find_if(members_.begin(), members_.end(), [&](const Entry& e) { return e.ref == who; });
}

bool Room::contains(SessionRef who) const { return find(who) != members_.end(); }

bool Room::is_op(SessionRef who) const {
  auto it = find(who);
  return it != members_.end() && it->op;
}

std::shared_ptr<RoomEvent> Room::next_event(RoomEvent::Kind kind, SessionRef actor, const Identity& identity) {
  auto ev = std::make_shared<RoomEvent>();
  ev->kind = kind;
  ev->room = display_;
  ev->room_key = key_;
  ev->seq = ++seq_;
  ev->id = id_prefix_ + std::to_string(seq_);
  ev->actor = actor;
  ev->actor_name = identity.display;
  ev->actor_nick = identity.nick;
  ev->actor_user = identity.user;
  ev->actor_host = identity.host;
  ev->actor_real_name = identity.real_name;
  ev->time = std::chrono::system_clock::now();
  return ev;
}

Room::EventPtr Room::join(SessionRef who, Identity identity) {
  if (contains(who)) return nullptr;
  members_.push_back({who, identity, members_.empty()});
  ++per_loop_[who.loop];
  auto ev = next_event(RoomEvent::Kind::joined, who, identity);
  ev->snapshot = std::make_shared<const RoomSnapshot>(snapshot());
  return ev;
}

Room::EventPtr Room::leave(SessionRef who, std::string reason, bool quit) {
  auto it = find(who);
  if (it == members_.end()) return nullptr;
  const Identity identity = std::move(it->identity);
  members_.erase(it);
  --per_loop_[who.loop];
  auto ev = next_event(RoomEvent::Kind::left, who, identity);
  ev->text = std::move(reason);
  ev->quit = quit;
  return ev;
}

Room::EventPtr Room::say(SessionRef who, RoomEvent::Kind kind, std::string text) {
  auto it = find(who);
  if (it == members_.end()) return nullptr;
  auto ev = next_event(kind, who, it->identity);
  ev->text = std::move(text);
  return ev;
}

Room::EventPtr Room::rename(SessionRef who, Identity renamed) {
  auto it = find(who);
  if (it == members_.end() || it->identity == renamed) return nullptr;
  auto ev = next_event(RoomEvent::Kind::renamed, who, it->identity);
  ev->text = renamed.display;
  ev->new_nick = renamed.nick;
  it->identity = std::move(renamed);
  return ev;
}

Room::EventPtr Room::set_topic(SessionRef who, std::string topic) {
  auto it = find(who);
  if (it == members_.end()) return nullptr;
  topic_ = topic;
  auto ev = next_event(RoomEvent::Kind::topic_changed, who, it->identity);
  ev->text = std::move(topic);
  return ev;
}

RoomSnapshot Room::snapshot() const {
  RoomSnapshot s{display_, topic_, {}, {}};
  s.members.reserve(members_.size());
  for (const auto& e : members_) {
    s.members.push_back(e.identity.display);
    const Identity& id = e.identity;
    s.entries.push_back({id.display, id.nick, id.user, id.host, id.real_name, e.op});
  }
  return s;
}

}  // namespace parley::core
