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
  if (pending && pending->claims.empty() && pending->joining.empty() && pending->outstanding.empty() &&
      pending->after_earlier.empty() && !pending->rejoin)
    Spares<Pending>::give_back(std::move(pending));  // empty, with its vectors' room for the next
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

// A netsplit's quit or a netjoin's join: held until its end (the id both
// share the machinery under), so that it is shown with the others.
const std::string* SessionTable::held_as(const RoomEvent& event) {
  if (const auto* left = event.as<RoomEvent::Left>(); left && left->split) return &left->split->id;
  if (const auto* joined = event.as<RoomEvent::Joined>(); joined && joined->again && joined->rejoin &&
                                                           joined->rejoin->netjoin)
    return &joined->rejoin->netjoin->id;
  return nullptr;
}

void SessionTable::deliver(const std::shared_ptr<const RoomEvent>& shared, const RoomEvent* own) {
  const RoomEvent& event = *shared;
  const std::string* id = held_as(event);
  // Later news of a room whose netsplit quits (or netjoin joins) are held:
  // those go first, unless it is one more of them.
  for (std::size_t i = 0; i < held_.size();) {
    const auto& quits = held_[i].quits;
    const bool same_room =
        std::any_of(quits.begin(), quits.end(), [&](const auto& q) { return q->room_key == event.room_key; });
    if (same_room && !(id && *id == held_[i].id)) release_netsplit(i);
    else ++i;
  }
  if (id) {
    auto held = std::find_if(held_.begin(), held_.end(), [&](const HeldSplit& h) { return h.id == *id; });
    if (held == held_.end()) held = held_.insert(held_.end(), HeldSplit{*id, {}});
    held->quits.push_back(shared);
    return;
  }
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

void SessionTable::for_all(const std::function<void(LocalSession&)>& fn) {
  for (auto& [id, session] : sessions_) fn(session);
}

void SessionTable::netsplit_passed(const std::string& id, std::uint64_t round, LoopIndex loops) {
  auto it =
      std::find_if(rounds_.begin(), rounds_.end(), [&](const SplitRound& r) { return r.id == id && r.round == round; });
  if (it == rounds_.end()) it = rounds_.insert(rounds_.end(), SplitRound{id, round, 0});
  if (++it->passed < loops) return;
  rounds_.erase(it);
  auto held = std::find_if(held_.begin(), held_.end(), [&](const HeldSplit& h) { return h.id == id; });
  if (held != held_.end()) release_netsplit(static_cast<std::size_t>(held - held_.begin()));
}

void SessionTable::release_netsplit(std::size_t index) {
  HeldSplit split = std::move(held_[index]);
  held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(index));
  // Each quit is rendered once per wire form for all its recipients here.
  std::vector<RenderCache> caches(split.quits.size());
  // Each member's quits in the order they came; members in the order met.
  std::vector<std::pair<LocalSession*, std::vector<NetsplitQuit>>> members;
  std::unordered_map<LocalSession*, std::size_t> slot;
  for (std::size_t i = 0; i < split.quits.size(); ++i) {
    auto view = views_.find(split.quits[i]->room_key);
    if (view == views_.end()) continue;
    for (LocalSession* member : view->second) {
      auto [at, fresh] = slot.try_emplace(member, members.size());
      if (fresh) members.emplace_back(member, std::vector<NetsplitQuit>{});
      members[at->second].second.push_back(NetsplitQuit{split.quits[i].get(), &caches[i]});
    }
  }
  if (const auto* joined = split.quits.front()->as<RoomEvent::Joined>()) {
    const Netjoin& netjoin = *joined->rejoin->netjoin;
    for (auto& [member, quits] : members) {
      std::vector<NetjoinJoin> joins;
      joins.reserve(quits.size());
      for (const NetsplitQuit& q : quits) joins.push_back(NetjoinJoin{q.event, q.cache});
      member->member->on_netjoin(netjoin, joins);
    }
    return;
  }
  const Netsplit& netsplit = *split.quits.front()->as<RoomEvent::Left>()->split;
  for (auto& [member, quits] : members) member->member->on_netsplit(netsplit, quits);
}

}  // namespace parley::core
