#include "core/hub.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "core/compact_vector.h"
#include "core/mask.h"
#include "core/unicode.h"

namespace parley::core {

namespace {

// The identity of a session without a name yet, shared by all of them.
const SharedIdentity& no_identity() {
  static const SharedIdentity none = std::make_shared<const Identity>();
  return none;
}

}  // namespace

struct Hub::LocalSession {
  struct Claim {
    std::string raw;
    Callback<Identity> done;
  };
  // Requests not settled yet. Most sessions make a few (a name, a first
  // join) and then none for hours: made by the first, freed once all are settled.
  struct Pending {
    std::vector<Claim> claims;         // name claims asked for, in order
    std::vector<std::string> joining;  // one entry per join not yet answered by its room
  };
  SessionRef ref;
  Member* member;
  // What set_profile gave, until a claim has put it into `identity`; later
  // renames take user, host and (if given) real name from `identity`.
  std::unique_ptr<Profile> profile;
  SharedIdentity identity = no_identity();  // shared with the registry and rooms; never null
  bool real_name_given = false;        // the real name is the profile's, not the display name
  bool claim_in_flight = false;        // the first of the claims is at the registry
  std::vector<std::string> room_keys;  // joined, or join requested
  std::unique_ptr<Pending> pending;
  std::uint64_t private_sent = 0;      // numbers this session's private messages, for their ids
  std::uint64_t presence_changes = 0;  // numbers its announced presence changes (RoomEvent::presence_seq)

  Pending& unsettled() {
    if (!pending) pending = std::make_unique<Pending>();
    return *pending;
  }
  bool has_claims() const { return pending && !pending->claims.empty(); }
  bool is_joining(const std::string& room_key) const {
    return pending && std::find(pending->joining.begin(), pending->joining.end(), room_key) != pending->joining.end();
  }
  // One join of the room is answered.
  void joined(const std::string& room_key) {
    if (!pending) return;
    auto& joining = pending->joining;
    if (auto j = std::find(joining.begin(), joining.end(), room_key); j != joining.end()) joining.erase(j);
    release_if_settled();
  }
  void release_if_settled() {
    if (pending && pending->claims.empty() && pending->joining.empty()) pending.reset();
  }

  // What the next claim completes the identity with (NameRegistry::claim).
  Profile claim_profile() const {
    if (profile) return *profile;
    return Profile{identity->user, identity->host, real_name_given ? identity->real_name : std::string()};
  }
  // A copy of the identity to change; it replaces the shared one.
  Identity& changed_identity() {
    auto copy = std::make_shared<Identity>(*identity);
    Identity& changed = *copy;
    identity = std::move(copy);
    return changed;
  }
};

struct Hub::Shard {
  std::uint64_t next_id = 1;
  std::unordered_map<std::uint64_t, LocalSession> sessions;
  std::unordered_map<std::string, Room> rooms;  // rooms homed on this loop
  // For each room with members on this loop: those members, in join order.
  std::unordered_map<std::string, std::vector<std::uint64_t>> views;
};

Hub::Hub(LoopPoster& poster, HubLimits limits)
    : poster_(poster), limits_(std::move(limits)), registry_(limits_.nick_chars, limits_.name_history), watches_(limits_.watched_names) {
  for (LoopIndex i = 0; i < poster_.loop_count(); ++i) shards_.push_back(std::make_unique<Shard>());
}

Hub::~Hub() = default;

LoopIndex Hub::home_of(const std::string& key) const {
  return static_cast<LoopIndex>(std::hash<std::string>{}(key) % shards_.size());
}

Hub::LocalSession* Hub::find_session(SessionRef who) const {
  auto& sessions = shard(who.loop).sessions;
  auto it = sessions.find(who.id);
  return it == sessions.end() ? nullptr : &it->second;
}

void Hub::on_session_loop(SessionRef who, std::function<void(LocalSession&)> fn) {
  poster_.post(who.loop, [this, who, fn = std::move(fn)] {
    if (LocalSession* s = find_session(who)) fn(*s);
  });
}

template <class T>
void Hub::reply(SessionRef who, Callback<T> done, Result<T> result) {
  on_session_loop(who, [done = std::move(done), result = std::move(result)](LocalSession&) { done(result); });
}

SessionRef Hub::attach(LoopIndex loop, Member& member, Profile profile) {
  Shard& sh = shard(loop);
  SessionRef ref{loop, sh.next_id++};
  LocalSession& s = sh.sessions.try_emplace(ref.id).first->second;
  s.ref = ref;
  s.member = &member;
  if (profile != Profile{}) s.profile = std::make_unique<Profile>(std::move(profile));
  return ref;
}

void Hub::detach(SessionRef who, std::string reason) { detach_closed_by(who, std::move(reason), {}); }

void Hub::detach_closed_by(SessionRef who, std::string reason, std::string closed_by) {
  Shard& sh = shard(who.loop);
  auto node = sh.sessions.extract(who.id);
  if (node.empty()) return;
  LocalSession& s = node.mapped();
  for (const std::string& key : s.room_keys) {
    if (auto v = sh.views.find(key); v != sh.views.end()) {
      std::erase(v->second, who.id);
      if (v->second.empty()) sh.views.erase(v);
    }
    change_room(key, [who, reason, closed_by](Room& room) { return room.leave(who, reason, true, closed_by); });
  }
  if (!s.identity->display.empty()) release_names(who);
}

void Hub::set_profile(SessionRef who, Profile profile) {
  if (LocalSession* s = find_session(who)) s->profile = std::make_unique<Profile>(std::move(profile));
}

std::vector<std::string> Hub::rooms_of(SessionRef who) const {
  const LocalSession* s = find_session(who);
  return s ? s->room_keys : std::vector<std::string>();
}

const Identity& Hub::identity_of(SessionRef who) const {
  static const Identity none;
  const LocalSession* s = find_session(who);
  return s ? *s->identity : none;
}

void Hub::release_names(SessionRef who) {
  poster_.post(kRegistryLoop, [this, who] {
    const auto keys = registry_.keys_of(who);
    std::optional<Identity> before;
    if (const Identity* id = registry_.identity_of(who)) before = *id;
    registry_.release(who);
    watches_.clear(who);
    watched_names_changed(who, keys, before);
  });
}

void Hub::claim_name(SessionRef who, std::string_view raw, Callback<Identity> done) {
  LocalSession* s = find_session(who);
  if (!s) return;
  // One claim at a time per session, in the order asked: two quick renames
  // must not race each other in the registry.
  s->unsettled().claims.push_back({std::string(raw), std::move(done)});
  pump_claims(who);
}

void Hub::pump_claims(SessionRef who) {
  // Re-found after each answer: an answer may claim again, or detach.
  for (LocalSession* s = find_session(who); s && !s->claim_in_flight && s->has_claims(); s = find_session(who)) {
    auto checked = check_user_name(s->pending->claims.front().raw, limits_.name_chars);
    if (!checked.ok()) {
      finish_claim(*s, checked.refusal());
      continue;
    }
    if (s->identity->display == checked.value().display) {
      finish_claim(*s, s->identity);
      continue;
    }
    s->claim_in_flight = true;
    poster_.post(kRegistryLoop, [this, who, name = std::move(checked.value()), profile = s->claim_profile()] {
      const auto before_keys = registry_.keys_of(who);
      std::optional<Identity> before;
      if (const Identity* id = registry_.identity_of(who)) before = *id;
      auto claimed = registry_.claim(who, name, profile);
      Result<SharedIdentity> result = Refusal::name_in_use;
      if (claimed.ok()) {
        watched_names_changed(who, before_keys, before);
        result = registry_.shared_identity_of(who);
      } else {
        result = claimed.refusal();
      }
      poster_.post(who.loop, [this, who, profile, result = std::move(result)]() mutable {
        LocalSession* s = find_session(who);
        if (!s) {  // gone meanwhile: give the name back
          if (result.ok()) release_names(who);
          return;
        }
        s->claim_in_flight = false;
        if (result.ok() && s->profile && *s->profile == profile) {
          // The identity now holds the profile: keep only whether a real name was given.
          s->real_name_given = !profile.real_name.empty();
          s->profile.reset();
        }
        finish_claim(*s, std::move(result));
        pump_claims(who);
      });
    });
  }
}

void Hub::finish_claim(LocalSession& s, Result<SharedIdentity> result) {
  auto& claims = s.pending->claims;
  Callback<Identity> done = std::move(claims.front().done);
  claims.erase(claims.begin());
  s.release_if_settled();
  if (!result.ok()) return done(result.refusal());
  SharedIdentity fresh = std::move(result.value());
  if (fresh->presence != s.identity->presence) {
    // The session's own presence, however the registry's copy lags.
    auto adjusted = std::make_shared<Identity>(*fresh);
    adjusted->presence = s.identity->presence;
    fresh = std::move(adjusted);
  }
  const SharedIdentity old = std::exchange(s.identity, std::move(fresh));
  const SessionRef who = s.ref;
  if (!old->display.empty() && *old != *s.identity) {
    for (const std::string& room : s.room_keys) {
      change_room(room, [who, identity = s.identity](Room& r) { return r.rename(who, identity); });
    }
  }
  done(*s.identity);  // last: it may claim again or detach, and `s` with it
}

Result<CheckedName> Hub::join(SessionRef who, std::string_view raw_room, std::string key, Refused refused) {
  auto room = check_room_name(raw_room, limits_.room_chars);
  if (!room.ok()) return room;
  LocalSession* s = find_session(who);
  if (!s) return Refusal::not_in_room;
  if (std::find(s->room_keys.begin(), s->room_keys.end(), room.value().key) != s->room_keys.end())
    return Refusal::already_in_room;
  if (s->room_keys.size() >= limits_.rooms_per_user) return Refusal::too_many_rooms;
  s->room_keys.push_back(room.value().key);
  s->unsettled().joining.push_back(room.value().key);

  const LoopIndex home = home_of(room.value().key);
  poster_.post(home, [this, home, who, identity = s->identity, room = room.value(), key = std::move(key),
                      refused = std::move(refused)]() mutable {
    auto& rooms = shard(home).rooms;
    auto [it, created] = rooms.try_emplace(room.key, room.display, room.key, poster_.loop_count());
    if (!created) {
      if (auto no = it->second.may_join(who, *identity, key)) {
        poster_.post(who.loop, [this, who, key = room.key, no = *no, refused = std::move(refused)]() mutable {
          join_refused(who, key, no, std::move(refused));
        });
        return;
      }
    }
    if (auto ev = it->second.join(who, std::move(identity))) return broadcast(it->second, std::move(ev));
    // Already a member (not expected: the session's loop refuses that): the join is settled all the same.
    on_session_loop(who, [key = room.key](LocalSession& s) {
      s.joined(key);
    });
  });
  return room;
}

void Hub::join_refused(SessionRef who, const std::string& room_key, Refusal refusal, Refused refused) {
  LocalSession* s = find_session(who);
  if (!s) return;
  s->joined(room_key);
  // A later join of the same room may be on its way; it keeps the room.
  if (!s->is_joining(room_key)) {
    if (auto k = std::find(s->room_keys.begin(), s->room_keys.end(), room_key); k != s->room_keys.end())
      s->room_keys.erase(k);
  }
  if (refused) refused(refusal);
}

bool Hub::in_room(SessionRef who, const std::string& room_key) const {
  const LocalSession* s = find_session(who);
  return s && std::find(s->room_keys.begin(), s->room_keys.end(), room_key) != s->room_keys.end();
}

Result<Done> Hub::part(SessionRef who, const std::string& room_key, std::string reason) {
  LocalSession* s = find_session(who);
  if (!s) return Refusal::not_in_room;
  auto it = std::find(s->room_keys.begin(), s->room_keys.end(), room_key);
  if (it == s->room_keys.end()) return Refusal::not_in_room;
  s->room_keys.erase(it);
  change_room(room_key, [who, reason = std::move(reason)](Room& r) { return r.leave(who, reason); });
  return Done{};
}

Result<Done> Hub::say(SessionRef who, const std::string& room_key, RoomEvent::Kind kind, std::string text,
                     Refused refused, std::string client_tags) {
  if (!in_room(who, room_key)) return Refusal::not_in_room;
  change_room(room_key, [this, who, kind, text = std::move(text), refused = std::move(refused),
                         client_tags = std::move(client_tags)](Room& r) mutable -> std::shared_ptr<const RoomEvent> {
    if (auto no = r.may_speak(who); no && *no != Refusal::not_in_room) {
      if (refused) on_session_loop(who, [no = *no, refused = std::move(refused)](LocalSession&) { refused(no); });
      return nullptr;
    }
    return r.say(who, kind, std::move(text), std::move(client_tags));
  });
  return Done{};
}

Result<Done> Hub::set_topic(SessionRef who, const std::string& room_key, std::string topic, Refused refused) {
  if (count_code_points(topic) > limits_.topic_chars) return Refusal::topic_too_long;
  if (!in_room(who, room_key)) return Refusal::not_in_room;
  change_room(room_key, [this, who, topic = std::move(topic), refused = std::move(refused)](Room& r) mutable
                  -> std::shared_ptr<const RoomEvent> {
    if (auto no = r.may_set_topic(who); no && *no != Refusal::not_in_room) {
      if (refused) on_session_loop(who, [no = *no, refused = std::move(refused)](LocalSession&) { refused(no); });
      return nullptr;
    }
    return r.set_topic(who, std::move(topic));
  });
  return Done{};
}

void Hub::change_settings(SessionRef who, const std::string& room_key, std::vector<RoomChange> changes,
                          Callback<std::vector<Room::RefusedChange>> done) {
  using Outcome = std::vector<Room::RefusedChange>;
  if (!find_session(who)) return;
  if (!in_room(who, room_key)) return done(Refusal::not_in_room);
  const LoopIndex home = home_of(room_key);
  poster_.post(home, [this, home, who, room_key, changes = std::move(changes), done = std::move(done)]() mutable {
    auto& rooms = shard(home).rooms;
    auto it = rooms.find(room_key);
    if (it == rooms.end()) return reply<Outcome>(who, std::move(done), Refusal::not_in_room);
    auto outcome = it->second.change(who, std::move(changes));
    if (!outcome.ok()) return reply<Outcome>(who, std::move(done), outcome.refusal());
    if (outcome.value().event) broadcast(it->second, std::move(outcome.value().event));
    reply<Outcome>(who, std::move(done), std::move(outcome.value().refused));
  });
}

void Hub::kick(SessionRef who, const std::string& room_key, std::string target, std::string reason,
               Callback<Done> done) {
  if (!find_session(who)) return;
  if (!in_room(who, room_key)) return done(Refusal::not_in_room);
  const LoopIndex home = home_of(room_key);
  poster_.post(home, [this, home, who, room_key, target = std::move(target), reason = std::move(reason),
                      done = std::move(done)]() mutable {
    auto& rooms = shard(home).rooms;
    auto it = rooms.find(room_key);
    if (it == rooms.end()) return reply<Done>(who, std::move(done), Refusal::not_in_room);
    auto ev = it->second.kick(who, target, std::move(reason));
    if (!ev.ok()) return reply<Done>(who, std::move(done), ev.refusal());
    broadcast(it->second, std::move(ev.value()));
    if (it->second.empty()) rooms.erase(it);
    reply<Done>(who, std::move(done), Done{});
  });
}

void Hub::invite(SessionRef who, std::string_view target, std::string_view raw_room, Callback<Identity> done) {
  LocalSession* s = find_session(who);
  if (!s) return;
  auto room = check_room_name(raw_room, limits_.room_chars);
  if (!room.ok()) return done(room.refusal());
  if (!in_room(who, room.value().key)) return done(Refusal::not_in_room);
  auto name = check_user_name(target, limits_.name_chars);
  if (!name.ok()) return done(Refusal::no_such_user);
  const Identity& me = *s->identity;
  Invitation inv{who, me.display, me.nick, me.user, me.host, {}, room.value().display};
  poster_.post(kRegistryLoop, [this, who, name = name.value().key, key = room.value().key, inv = std::move(inv),
                               done = std::move(done)]() mutable {
    auto holder = registry_.find(name);
    if (!holder) return reply<Identity>(who, std::move(done), Refusal::no_such_user);
    const LoopIndex home = home_of(key);
    poster_.post(home, [this, home, who, key, holder = *holder, inv = std::move(inv),
                        done = std::move(done)]() mutable {
      auto& rooms = shard(home).rooms;
      auto it = rooms.find(key);
      if (it == rooms.end()) return reply<Identity>(who, std::move(done), Refusal::not_in_room);
      auto r = it->second.invite(who, holder.owner, holder.identity);
      if (!r.ok()) return reply<Identity>(who, std::move(done), r.refusal());
      broadcast(it->second, std::move(r.value()));
      inv.room = it->second.display();
      inv.to_nick = holder.identity.nick;
      poster_.post(holder.owner.loop, [this, who, holder, inv = std::move(inv), done = std::move(done)]() mutable {
        LocalSession* t = find_session(holder.owner);
        if (!t) return reply<Identity>(who, std::move(done), Refusal::no_such_user);
        t->member->on_invite(inv);
        reply<Identity>(who, std::move(done), *t->identity);
      });
    });
  });
}

void Hub::change_room(const std::string& room_key, std::function<std::shared_ptr<const RoomEvent>(Room&)> change) {
  const LoopIndex home = home_of(room_key);
  poster_.post(home, [this, home, room_key, change = std::move(change)] {
    auto& rooms = shard(home).rooms;
    auto it = rooms.find(room_key);
    if (it == rooms.end()) return;
    if (auto ev = change(it->second)) broadcast(it->second, std::move(ev));
    if (it->second.empty()) rooms.erase(it);
  });
}

void Hub::broadcast(const Room& room, std::shared_ptr<const RoomEvent> event) {
  for (LoopIndex loop = 0; loop < shards_.size(); ++loop) {
    const bool kicked_here = event->kind == RoomEvent::Kind::kicked && loop == event->target.loop;
    if (room.has_members_on(loop) || loop == event->actor.loop || kicked_here) {
      poster_.post(loop, [this, loop, event] { deliver_on_loop(loop, event); });
    }
  }
}

void Hub::deliver_on_loop(LoopIndex loop, const std::shared_ptr<const RoomEvent>& event) {
  Shard& sh = shard(loop);
  const bool actor_here = event->actor.loop == loop;
  auto view = sh.views.find(event->room_key);
  if (event->kind == RoomEvent::Kind::joined && actor_here && sh.sessions.contains(event->actor.id)) {
    if (view == sh.views.end()) view = sh.views.try_emplace(event->room_key).first;
    append_compact(view->second, event->actor.id);
    sh.sessions.at(event->actor.id).joined(event->room_key);
  }
  if (view == sh.views.end()) return;

  RenderCache cache;
  for (std::uint64_t id : view->second) {
    if (auto s = sh.sessions.find(id); s != sh.sessions.end()) s->second.member->on_room_event(*event, cache);
  }
  if (event->kind == RoomEvent::Kind::left && actor_here) {
    std::erase(view->second, event->actor.id);
    if (view->second.empty()) sh.views.erase(view);
  } else if (event->kind == RoomEvent::Kind::kicked && event->target.loop == loop) {
    std::erase(view->second, event->target.id);
    if (view->second.empty()) sh.views.erase(view);
    // The kicked session is out of the room, unless it has asked to join it again since.
    if (auto s = sh.sessions.find(event->target.id); s != sh.sessions.end()) {
      auto& session = s->second;
      if (!session.is_joining(event->room_key)) std::erase(session.room_keys, event->room_key);
    }
  }
}

void Hub::room_info(SessionRef who, std::string_view raw_room, Callback<RoomSnapshot> done) {
  auto room = check_room_name(raw_room, limits_.room_chars);
  if (!room.ok()) return done(room.refusal());
  const LoopIndex home = home_of(room.value().key);
  poster_.post(home, [this, home, who, key = room.value().key, done = std::move(done)]() mutable {
    auto& rooms = shard(home).rooms;
    auto it = rooms.find(key);
    if (it == rooms.end()) return reply<RoomSnapshot>(who, std::move(done), Refusal::no_such_room);
    reply<RoomSnapshot>(who, std::move(done), it->second.snapshot());
  });
}

void Hub::list_rooms(SessionRef who, Callback<std::vector<RoomSummary>> done) {
  // Each loop reports the rooms it is home to; the parts are gathered on the
  // asking session's loop, which alone touches the accumulator.
  struct Gather {
    std::size_t remaining;
    std::vector<RoomSummary> rooms;
    Callback<std::vector<RoomSummary>> done;
  };
  auto gather = std::make_shared<Gather>(Gather{shards_.size(), {}, std::move(done)});
  for (LoopIndex loop = 0; loop < shards_.size(); ++loop) {
    poster_.post(loop, [this, loop, who, gather] {
      std::vector<RoomSummary> part;
      for (const auto& [key, room] : shard(loop).rooms) {
        if (room.settings().secret && !room.contains(who)) continue;
        part.push_back({room.display(), room.size(), room.topic()});
      }
      poster_.post(who.loop, [this, who, gather, part = std::move(part)]() mutable {
        std::move(part.begin(), part.end(), std::back_inserter(gather->rooms));
        if (--gather->remaining > 0 || !find_session(who)) return;
        std::sort(gather->rooms.begin(), gather->rooms.end(), [](const RoomSummary& a, const RoomSummary& b) {
          return fold_key(a.room).value_or(a.room) < fold_key(b.room).value_or(b.room);
        });
        gather->done(std::move(gather->rooms));
      });
    });
  }
}

std::string Hub::private_message(SessionRef who, std::string_view target, std::string text, bool action,
                                 Callback<Identity> done, bool notice, std::string client_tags, bool tags_only) {
  LocalSession* s = find_session(who);
  if (!s) return {};
  auto name = check_user_name(target, limits_.name_chars);
  if (!name.ok()) {
    done(Refusal::no_such_user);
    return {};
  }
  const Identity& me = *s->identity;
  const auto now = std::chrono::system_clock::now();
  // The sender's loop and id, and a count of its messages: unique without asking anyone.
  std::string id = fmt::format("p{:x}-{:x}-{:x}", who.loop, who.id, ++s->private_sent);
  PrivateMessage pm{who, me.display, me.nick, me.user, me.host, {}, {}, std::move(text), action, now, notice, id,
                    std::move(client_tags), tags_only, me.presence.bot};

  poster_.post(kRegistryLoop, [this, who, key = name.value().key, pm = std::move(pm), done = std::move(done)]() mutable {
    auto holder = registry_.find(key);
    if (!holder) return reply<Identity>(who, std::move(done), Refusal::no_such_user);
    pm.to_name = holder->identity.display;
    pm.to_nick = holder->identity.nick;
    poster_.post(holder->owner.loop, [this, who, target = holder->owner, pm = std::move(pm), done = std::move(done)]() mutable {
      LocalSession* t = find_session(target);
      if (!t) return reply<Identity>(who, std::move(done), Refusal::no_such_user);
      t->member->on_private_message(pm);
      reply<Identity>(who, std::move(done), *t->identity);
    });
  });
  return id;
}

void Hub::find_user(SessionRef who, std::string_view name, Callback<Identity> done) {
  if (!find_session(who)) return;
  auto checked = check_user_name(name, limits_.name_chars);
  if (!checked.ok()) return done(Refusal::no_such_user);
  poster_.post(kRegistryLoop, [this, who, key = checked.value().key, done = std::move(done)]() mutable {
    auto holder = registry_.find(key);
    if (!holder) return reply<Identity>(who, std::move(done), Refusal::no_such_user);
    reply<Identity>(who, std::move(done), holder->identity);
  });
}

void Hub::find_users(SessionRef who, std::string_view mask, std::size_t max, Callback<std::vector<Identity>> done) {
  if (!find_session(who)) return;
  auto normal = normalize_mask(mask);
  if (!normal) return done(std::vector<Identity>());
  poster_.post(kRegistryLoop, [this, who, mask = *normal, max, done = std::move(done)]() mutable {
    std::vector<Identity> found;
    registry_.for_each([&](SessionRef owner, const Identity& id) {
      if (id.presence.invisible && owner != who) return;
      const std::string subject = fmt::format("{}!{}@{}", id.nick, id.user.empty() ? "*" : id.user,
                                              id.host.empty() ? "*" : id.host);
      if (mask_matches(mask, subject)) found.push_back(id);
    });
    std::sort(found.begin(), found.end(), [](const Identity& a, const Identity& b) { return a.nick < b.nick; });
    if (found.size() > max) found.resize(max);
    reply<std::vector<Identity>>(who, std::move(done), std::move(found));
  });
}

void Hub::count_users(SessionRef who, Callback<std::size_t> done) {
  poster_.post(kRegistryLoop, [this, who, done = std::move(done)]() mutable {
    reply<std::size_t>(who, std::move(done), registry_.size());
  });
}

void Hub::count_users_by_visibility(SessionRef who, Callback<UserCounts> done) {
  poster_.post(kRegistryLoop, [this, who, done = std::move(done)]() mutable {
    const std::size_t invisible = registry_.invisible();
    reply<UserCounts>(who, std::move(done), UserCounts{registry_.size() - invisible, invisible});
  });
}

void Hub::after_room(SessionRef who, const std::string& room_key, std::function<void()> done) {
  // Posts from one loop to another run in order: the answer leaves the home
  // loop after every event it sent to who's loop for earlier requests.
  poster_.post(home_of(room_key), [this, who, done = std::move(done)]() mutable {
    on_session_loop(who, [done = std::move(done)](LocalSession&) { done(); });
  });
}

// --- watching names ------------------------------------------------------------

void Hub::watch(SessionRef who, std::vector<std::string> names, Callback<WatchOutcome> done) {
  if (!find_session(who)) return;
  std::vector<std::pair<std::string, std::string>> checked;  // key, name as spelled
  for (auto& name : names) {
    auto c = check_user_name(name, limits_.name_chars);
    if (c.ok()) checked.emplace_back(c.value().key, std::move(name));
  }
  poster_.post(kRegistryLoop, [this, who, checked = std::move(checked), done = std::move(done)]() mutable {
    WatchOutcome outcome;
    for (auto& [key, name] : checked) {
      if (watches_.add(who, key, name) == WatchList::Added::full) {
        outcome.refused.push_back(std::move(name));
        continue;
      }
      auto holder = registry_.find(key);
      outcome.watched.push_back({std::move(name), holder ? std::optional<Identity>(holder->identity) : std::nullopt});
    }
    reply<WatchOutcome>(who, std::move(done), std::move(outcome));
  });
}

void Hub::unwatch(SessionRef who, std::vector<std::string> names) {
  std::vector<std::string> keys;
  for (const auto& name : names) {
    if (auto c = check_user_name(name, limits_.name_chars); c.ok()) keys.push_back(c.value().key);
  }
  poster_.post(kRegistryLoop, [this, who, keys = std::move(keys)] {
    for (const auto& key : keys) watches_.remove(who, key);
  });
}

void Hub::unwatch_all(SessionRef who) {
  poster_.post(kRegistryLoop, [this, who] { watches_.clear(who); });
}

void Hub::watched(SessionRef who, Callback<std::vector<WatchedName>> done) {
  poster_.post(kRegistryLoop, [this, who, done = std::move(done)]() mutable {
    std::vector<WatchedName> out;
    for (const auto& e : watches_.entries_of(who)) {
      auto holder = registry_.find(e.key);
      out.push_back({e.name, holder ? std::optional<Identity>(holder->identity) : std::nullopt});
    }
    reply<std::vector<WatchedName>>(who, std::move(done), std::move(out));
  });
}

void Hub::tell_watchers(SessionRef subject, std::function<void(Member&)> tell) {
  poster_.post(kRegistryLoop, [this, subject, tell = std::move(tell)]() mutable {
    notify_watchers(registry_.keys_of(subject), subject, std::move(tell));
  });
}

void Hub::notify_watchers(const std::vector<std::string>& keys, SessionRef subject,
                          std::function<void(Member&)> tell) {
  auto watchers = watches_.watchers_of(keys);
  std::erase(watchers, subject);
  if (watchers.empty()) return;
  // One hand-off per loop, not per watcher.
  auto shared_tell = std::make_shared<const std::function<void(Member&)>>(std::move(tell));
  for (LoopIndex loop = 0; loop < shards_.size(); ++loop) {
    std::vector<std::uint64_t> ids;
    for (SessionRef w : watchers) {
      if (w.loop == loop) ids.push_back(w.id);
    }
    if (ids.empty()) continue;
    poster_.post(loop, [this, loop, ids = std::move(ids), shared_tell] {
      for (std::uint64_t id : ids) {
        if (LocalSession* s = find_session({loop, id})) (*shared_tell)(*s->member);
      }
    });
  }
}

void Hub::watched_names_changed(SessionRef who, const std::vector<std::string>& before_keys,
                                const std::optional<Identity>& before) {
  const auto after_keys = registry_.keys_of(who);
  auto missing_from = [](const std::vector<std::string>& keys, const std::vector<std::string>& other) {
    std::vector<std::string> out;
    for (const auto& k : keys) {
      if (std::find(other.begin(), other.end(), k) == other.end()) out.push_back(k);
    }
    return out;
  };
  if (before) {
    if (auto gone = missing_from(before_keys, after_keys); !gone.empty()) {
      notify_watchers(gone, who, [notice = WatchNotice{false, *before}](Member& m) { m.on_watch_notice(notice); });
    }
  }
  if (const Identity* now = registry_.identity_of(who)) {
    if (auto came = missing_from(after_keys, before_keys); !came.empty()) {
      notify_watchers(came, who, [notice = WatchNotice{true, *now}](Member& m) { m.on_watch_notice(notice); });
    }
  }
}

// --- presence ------------------------------------------------------------------

namespace {

// The first `max_chars` code points of valid UTF-8 text.
std::string first_chars(std::string text, std::size_t max_chars) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && points++ == max_chars) {
      text.resize(i);
      break;
    }
  }
  return text;
}

bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

}  // namespace

Result<Done> Hub::publish_profile(LocalSession& s, std::optional<RoomEvent::Kind> announce) {
  const SessionRef who = s.ref;
  const std::uint64_t seq = announce ? ++s.presence_changes : 0;
  poster_.post(kRegistryLoop, [this, who, identity = s.identity] { registry_.update(who, identity); });
  // Rooms still being joined are included: the update reaches each room's home
  // loop after the join, since posts from one loop keep their order.
  for (const std::string& room : s.room_keys) {
    change_room(room, [who, identity = s.identity, announce, seq](Room& r) {
      return r.update_profile(who, identity, announce, seq);
    });
  }
  if (announce) {
    const Identity& id = *s.identity;
    ProfileNotice notice{*announce, who, seq, id.nick, id.user, id.host,
                         *announce == RoomEvent::Kind::away_changed ? id.presence.away : id.real_name};
    tell_watchers(who, [notice = std::move(notice)](Member& m) { m.on_watched_profile(notice); });
  }
  return Done{};
}

Result<Done> Hub::set_away(SessionRef who, std::string message) {
  LocalSession* s = find_session(who);
  if (!s || s->identity->display.empty()) return Refusal::no_such_user;
  message = first_chars(std::move(message), limits_.away_chars);
  if (s->identity->presence.away == message) return Done{};
  s->changed_identity().presence.away = std::move(message);
  return publish_profile(*s, RoomEvent::Kind::away_changed);
}

Result<Done> Hub::set_real_name(SessionRef who, std::string real_name) {
  LocalSession* s = find_session(who);
  if (!s || s->identity->display.empty()) return Refusal::no_such_user;
  if (real_name.empty() || !is_valid_utf8(real_name) || count_code_points(real_name) > limits_.real_name_chars ||
      has_control_character(real_name)) {
    return Refusal::real_name_invalid;
  }
  // Kept through renames: later claims complete the identity with it. While
  // a claim is out, the profile it took stays as it was.
  if (!s->profile && s->claim_in_flight) s->profile = std::make_unique<Profile>(s->claim_profile());
  if (s->profile) s->profile->real_name = real_name;
  else s->real_name_given = true;
  if (s->identity->real_name == real_name) return Done{};
  s->changed_identity().real_name = std::move(real_name);
  return publish_profile(*s, RoomEvent::Kind::real_name_changed);
}

Result<Done> Hub::set_bot(SessionRef who, bool on) {
  LocalSession* s = find_session(who);
  if (!s || s->identity->display.empty()) return Refusal::no_such_user;
  if (s->identity->presence.bot == on) return Done{};
  s->changed_identity().presence.bot = on;
  return publish_profile(*s, std::nullopt);
}

Result<Done> Hub::set_invisible(SessionRef who, bool on) {
  LocalSession* s = find_session(who);
  if (!s || s->identity->display.empty()) return Refusal::no_such_user;
  if (s->identity->presence.invisible == on) return Done{};
  s->changed_identity().presence.invisible = on;
  return publish_profile(*s, std::nullopt);
}

Result<Done> Hub::become_server_operator(SessionRef who, std::string_view name, std::string_view password) {
  LocalSession* s = find_session(who);
  if (!s || s->identity->display.empty()) return Refusal::no_such_user;
  if (operator_logins_.empty()) return Refusal::no_operator_logins;
  // Every login is compared in full, so the time taken tells nothing about
  // which names exist or how much of a password was right.
  bool match = false;
  for (const OperatorLogin& login : operator_logins_) {
    const bool same_name = same_secret(login.name, name);
    const bool same_password = same_secret(login.password, password);
    match = match || (same_name && same_password);
  }
  if (!match) return Refusal::wrong_password;
  if (s->identity->presence.server_operator) return Done{};
  s->changed_identity().presence.server_operator = true;
  return publish_profile(*s, std::nullopt);
}

Result<Done> Hub::stop_being_server_operator(SessionRef who) {
  LocalSession* s = find_session(who);
  if (!s || s->identity->display.empty()) return Refusal::no_such_user;
  if (!s->identity->presence.server_operator) return Done{};
  s->changed_identity().presence.server_operator = false;
  return publish_profile(*s, std::nullopt);
}

void Hub::remove_user(SessionRef who, std::string_view target, std::string reason, Callback<Identity> done) {
  LocalSession* s = find_session(who);
  if (!s) return;
  if (!s->identity->presence.server_operator) return done(Refusal::not_server_operator);
  auto name = check_user_name(target, limits_.name_chars);
  if (!name.ok()) return done(Refusal::no_such_user);
  Removal removal{s->identity->display, s->identity->nick, std::move(reason)};
  poster_.post(kRegistryLoop, [this, who, key = name.value().key, removal = std::move(removal),
                               done = std::move(done)]() mutable {
    auto holder = registry_.find(key);
    if (!holder) return reply<Identity>(who, std::move(done), Refusal::no_such_user);
    poster_.post(holder->owner.loop, [this, who, target = holder->owner, removal = std::move(removal),
                                      done = std::move(done)]() mutable {
      LocalSession* t = find_session(target);
      if (!t) return reply<Identity>(who, std::move(done), Refusal::no_such_user);
      const Identity removed = *t->identity;
      t->member->on_removed(removal);  // says goodbye; closes later, on its own
      detach_closed_by(target, removal.reason, removal.by_nick);
      reply<Identity>(who, std::move(done), removed);
    });
  });
}

void Hub::past_users(SessionRef who, std::string_view name, std::size_t count, Callback<std::vector<PastUser>> done) {
  if (!find_session(who)) return;
  auto checked = check_user_name(name, limits_.name_chars);
  if (!checked.ok()) return done(Refusal::no_such_user);
  poster_.post(kRegistryLoop, [this, who, key = checked.value().key, count, done = std::move(done)]() mutable {
    auto found = registry_.history(key, count);
    if (found.empty()) return reply<std::vector<PastUser>>(who, std::move(done), Refusal::no_such_user);
    reply<std::vector<PastUser>>(who, std::move(done), std::move(found));
  });
}

}  // namespace parley::core
