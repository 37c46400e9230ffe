#include "core/session_table.h"

#include <algorithm>

#include "core/compact_vector.h"

namespace parley::core {

void LocalSession::joined(const std::string& room_key) {
  if (!pending) return;
  auto& joining = pending->joining;
  if (auto j = std::find(joining.begin(), joining.end(), room_key); j != joining.end()) joining.erase(j);
  release_if_settled();
}

void LocalSession::release_if_settled() {
  if (pending && pending->claims.empty() && pending->joining.empty() && pending->outstanding.empty()) pending.reset();
}

LocalSession::Outstanding* LocalSession::outstanding_for(CommandId command) {
  if (!pending) return nullptr;
  auto& o = pending->outstanding;
  auto it = std::find_if(o.begin(), o.end(), [&](const Outstanding& x) { return x.command == command; });
  return it == o.end() ? nullptr : &*it;
}

Profile LocalSession::claim_profile() const {
  if (profile) return *profile;
  return Profile{identity->user, identity->host, real_name_given ? identity->real_name : std::string(),
                 identity->address};
}

Identity& LocalSession::changed_identity() {
  auto copy = std::make_shared<Identity>(*identity);
  Identity& changed = *copy;
  identity = std::move(copy);
  return changed;
}

LocalSession& SessionTable::add(Member& member, SharedIdentity no_identity) {
  const SessionRef ref{loop_, next_id_++};
  LocalSession& s = sessions_.try_emplace(ref.id).first->second;
  s.ref = ref;
  s.member = &member;
  s.identity = std::move(no_identity);
  return s;
}

LocalSession* SessionTable::find(std::uint64_t id) {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : &it->second;
}

SessionTable::Removed SessionTable::remove(std::uint64_t id) {
  auto node = sessions_.extract(id);
  if (!node.empty()) {
    for (const std::string& key : node.mapped().room_keys) remove_from_view(key, &node.mapped());
  }
  return node;
}

void SessionTable::add_to_view(const std::string& room_key, LocalSession* session) {
  auto& members = views_[room_key];
  if (std::find(members.begin(), members.end(), session) == members.end()) append_compact(members, session);
}

void SessionTable::remove_from_view(const std::string& room_key, LocalSession* session) {
  auto view = views_.find(room_key);
  if (view == views_.end()) return;
  std::erase(view->second, session);
  if (view->second.empty()) views_.erase(view);
}

void SessionTable::deliver(const RoomEvent& event, const RoomEvent* own) {
  const bool actor_here = event.actor.loop == loop_;
  LocalSession* actor = actor_here ? find(event.actor.id) : nullptr;
  if (actor && event.as<RoomEvent::Joined>()) {
    add_to_view(event.room_key, actor);
    actor->joined(event.room_key);
  }
  RenderCache cache;
  const auto* said = event.as<RoomEvent::Said>();
  // An outsider's message reaches it too, as a member's reaches the member.
  if (actor && ((said && said->from_outside) || event.outsider)) actor->member->on_room_event(event, cache);
  auto view = views_.find(event.room_key);
  if (view == views_.end()) return;

  // Said to some members only: those (and the sender) hear it.
  const std::vector<SessionRef>* hearers =
      said && said->audience != Audience::members ? &said->hearers : nullptr;
  for (LocalSession* member : view->second) {
    if (hearers && std::find(hearers->begin(), hearers->end(), member->ref) == hearers->end()) continue;
    const RoomEvent& given = own && member == actor ? *own : event;
    member->member->on_room_event(given, cache);
  }
  if (actor && event.as<RoomEvent::Left>()) {
    remove_from_view(event.room_key, actor);
  } else if (const auto* kicked = event.as<RoomEvent::Kicked>(); kicked && kicked->target.loop == loop_) {
    if (LocalSession* target = find(kicked->target.id)) {
      remove_from_view(event.room_key, target);
      // Out of the room, unless it has asked to join it again since.
      if (!target->is_joining(event.room_key)) std::erase(target->room_keys, event.room_key);
    }
  }
}

void SessionTable::for_each(const std::vector<std::uint64_t>& ids, const std::function<void(LocalSession&)>& fn) {
  for (std::uint64_t id : ids) {
    if (LocalSession* s = find(id)) fn(*s);
  }
}

}  // namespace parley::core
