// A room's members on other nodes, and the events other nodes decided
// (issue 16; core/backplane.h, docs/cluster.md). This node does not decide
// them again: it applies them as they come, in the room's cluster order.
#include <algorithm>
#include <charconv>

#include "core/mask.h"
#include "core/room.h"

namespace parley::core {

bool Room::has_local_members() const {
  return std::any_of(per_loop_.begin(), per_loop_.end(), [](std::size_t n) { return n > 0; });
}

void Room::settle_join(SessionRef who, bool runs_room) {
  if (auto it = find(who); it != members_.end()) it->op = runs_room;
}

void apply_setting(RoomSettings& s, const RoomChange& c) {
  auto list = [&]() -> std::vector<std::string>& {
    return c.setting == RoomSetting::ban ? s.bans : c.setting == RoomSetting::ban_exception ? s.ban_exceptions
                                                                                          : s.invite_exceptions;
  };
  switch (c.setting) {
    case RoomSetting::no_outside: s.no_outside = c.on; break;
    case RoomSetting::topic_locked: s.topic_locked = c.on; break;
    case RoomSetting::moderated: s.moderated = c.on; break;
    case RoomSetting::invite_only: s.invite_only = c.on; break;
    case RoomSetting::secret: s.secret = c.on; break;
    case RoomSetting::key: s.key = c.on ? c.arg : std::string(); break;
    case RoomSetting::limit: {
      std::size_t n = 0;
      if (c.on) std::from_chars(c.arg.data(), c.arg.data() + c.arg.size(), n);
      s.limit = n;
      break;
    }
    case RoomSetting::ban:
    case RoomSetting::ban_exception:
    case RoomSetting::invite_exception: {
      auto& masks = list();
      auto it = std::find_if(masks.begin(), masks.end(), [&](const std::string& m) { return same_mask(m, c.arg); });
      if (c.on && it == masks.end()) masks.push_back(c.arg);
      if (!c.on && it != masks.end()) masks.erase(it);
      break;
    }
    case RoomSetting::op:
    case RoomSetting::voice: break;  // the member's role: the caller's
  }
}

void Room::settle_change(const RoomEvent& event) {
  if (event.as<RoomEvent::TopicChanged>() || event.as<RoomEvent::SettingsChanged>()) apply_remote(event, std::nullopt);
}

void Room::apply_remote(const RoomEvent& event, std::optional<bool> runs_room) {
  auto take_identity = [&] {
    if (auto it = find(event.actor); it != members_.end() && event.actor_identity) it->identity = event.actor_identity;
  };
  std::visit(Overloaded{
                 [&](const RoomEvent::Joined& joined) {
                   if (contains(event.actor)) return;
                   // Announced again: with the roles its own node kept (docs/cluster.md, "A node taken for dead").
                   const Rejoin* back = joined.again ? joined.rejoin.get() : nullptr;
                   members_.push_back(Entry{event.actor, event.actor_identity,
                                            back ? back->op : runs_room.value_or(false), back && back->voice});
                 },
                 [&](const RoomEvent::Left&) {
                   auto it = find(event.actor);
                   if (it == members_.end()) return;
                   if (it->ref.loop < per_loop_.size()) --per_loop_[it->ref.loop];
                   members_.erase(it);
                 },
                 [&](const RoomEvent::Renamed& r) {
                   if (auto it = find(event.actor); it != members_.end()) it->identity = r.to;
                 },
                 [&](const RoomEvent::TopicChanged& t) {
                   topic_ = t.topic;
                   topic_by_ = event.by().nick;
                   topic_time_ = event.time;
                 },
                 [&](const RoomEvent::SettingsChanged& changed) {
                   for (const RoomChange& c : changed.changes) {
                     if (c.setting != RoomSetting::op && c.setting != RoomSetting::voice) {
                       apply_setting(settings_, c);
                       continue;
                     }
                     auto it = find(c.target);
                     if (it == members_.end()) continue;
                     (c.setting == RoomSetting::op ? it->op : it->voice) = c.on;
                   }
                 },
                 [&](const RoomEvent::Kicked& k) {
                   auto it = find(k.target);
                   if (it == members_.end()) return;
                   if (it->ref.loop < per_loop_.size()) --per_loop_[it->ref.loop];
                   members_.erase(it);
                 },
                 // Another node's member changed its away message, real name or account.
                 [&](const RoomEvent::AwayChanged&) { take_identity(); },
                 [&](const RoomEvent::RealNameChanged&) { take_identity(); },
                 [&](const RoomEvent::AccountChanged&) { take_identity(); },
                 [](const auto&) {},
             },
             event.what);
}

Room::EventPtr Room::rejoin(SessionRef who, std::shared_ptr<const Netjoin> netjoin) {
  auto it = find(who);
  if (it == members_.end()) return nullptr;
  auto rejoin = std::make_shared<const Rejoin>(Rejoin{it->op, it->voice, std::move(netjoin)});
  return next_event(who, it->identity, RoomEvent::Joined{nullptr, true, std::move(rejoin)});
}

void Room::forget_remote() {
  std::erase_if(members_, [&](const Entry& e) { return e.ref.loop >= per_loop_.size(); });
  recent_.forget();
}

void Room::restore_remote(const std::vector<std::pair<SessionRef, SharedIdentity>>& members,
                          const std::vector<std::pair<bool, bool>>& roles, const RoomSnapshot* state) {
  forget_remote();
  for (std::size_t i = 0; i < members.size(); ++i) {
    const auto& [ref, identity] = members[i];
    if (ref.loop < per_loop_.size() || contains(ref) || !identity) continue;  // this node's own: as it has them
    const auto [op, voice] = i < roles.size() ? roles[i] : std::pair<bool, bool>{false, false};
    members_.push_back(Entry{ref, identity, op, voice});
  }
  if (!state) return;
  topic_ = state->topic;
  topic_by_ = state->topic_by;
  topic_time_ = state->topic_time;
  settings_ = state->settings;
}

}  // namespace parley::core
