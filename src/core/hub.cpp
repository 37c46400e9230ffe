#include "core/hub.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "core/unicode.h"

namespace parley::core {

struct Hub::LocalSession {
  struct Claim {
    std::string raw;
    Callback<Identity> done;
  };
  SessionRef ref;
  Member* member;
  Profile profile;
  Identity identity;
  std::vector<std::string> room_keys;  // joined, or join requested
  std::vector<Claim> claims;           // name claims asked for, in order
  bool claim_in_flight = false;        // the first of them is at the registry
  std::vector<std::string> joining;    // one entry per join not yet answered by its room
  std::uint64_t private_sent = 0;      // numbers this session's private messages, for their ids
};

struct Hub::Shard {
  std::uint64_t next_id = 1;
  std::unordered_map<std::uint64_t, LocalSession> sessions;
  std::unordered_map<std::string, Room> rooms;  // rooms homed on this loop
  // For each room with members on this loop: those members, in join order.
  std::unordered_map<std::string, std::vector<std::uint64_t>> views;
};

Hub::Hub(LoopPoster& poster, HubLimits limits)
    : poster_(poster), limits_(std::move(limits)), registry_(limits_.nick_chars) {
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
  sh.sessions.emplace(ref.id, LocalSession{ref, &member, std::move(profile), {}, {}, {}, false, {}});
  return ref;
}

void Hub::detach(SessionRef who, std::string reason) {
  Shard& sh = shard(who.loop);
  auto node = sh.sessions.extract(who.id);
  if (node.empty()) return;
  LocalSession& s = node.mapped();
  for (const std::string& key : s.room_keys) {
    if (auto v = sh.views.find(key); v != sh.views.end()) {
      std::erase(v->second, who.id);
      if (v->second.empty()) sh.views.erase(v);
    }
    change_room(key, [who, reason](Room& room) { return room.leave(who, reason, true); });
  }
  if (!s.identity.display.empty()) release_names(who);
}

void Hub::set_profile(SessionRef who, Profile profile) {
  if (LocalSession* s = find_session(who)) s->profile = std::move(profile);
}

std::vector<std::string> Hub::rooms_of(SessionRef who) const {
  const LocalSession* s = find_session(who);
  return s ? s->room_keys : std::vector<std::string>();
}

const Identity& Hub::identity_of(SessionRef who) const {
  static const Identity none;
  const LocalSession* s = find_session(who);
  return s ? s->identity : none;
}

void Hub::release_names(SessionRef who) {
  poster_.post(kRegistryLoop, [this, who] { registry_.release(who); });
}

void Hub::claim_name(SessionRef who, std::string_view raw, Callback<Identity> done) {
  LocalSession* s = find_session(who);
  if (!s) return;
  // One claim at a time per session, in the order asked: two quick renames
  // must not race each other in the registry.
  s->claims.push_back({std::string(raw), std::move(done)});
  pump_claims(who);
}

void Hub::pump_claims(SessionRef who) {
  // Re-found after each answer: an answer may claim again, or detach.
  for (LocalSession* s = find_session(who); s && !s->claim_in_flight && !s->claims.empty(); s = find_session(who)) {
    auto checked = check_user_name(s->claims.front().raw, limits_.name_chars);
    if (!checked.ok()) {
      finish_claim(*s, checked.refusal());
      continue;
    }
    if (s->identity.display == checked.value().display) {
      finish_claim(*s, s->identity);
      continue;
    }
    s->claim_in_flight = true;
    poster_.post(kRegistryLoop, [this, who, name = std::move(checked.value()), profile = s->profile] {
      poster_.post(who.loop, [this, who, result = registry_.claim(who, name, profile)]() mutable {
        LocalSession* s = find_session(who);
        if (!s) {  // gone meanwhile: give the name back
          if (result.ok()) release_names(who);
          return;
        }
        s->claim_in_flight = false;
        finish_claim(*s, std::move(result));
        pump_claims(who);
      });
    });
  }
}

void Hub::finish_claim(LocalSession& s, Result<Identity> result) {
  Callback<Identity> done = std::move(s.claims.front().done);
  s.claims.erase(s.claims.begin());
  if (!result.ok()) return done(result.refusal());
  const Identity old = std::exchange(s.identity, result.value());
  const SessionRef who = s.ref;
  if (!old.display.empty() && old != s.identity) {
    for (const std::string& room : s.room_keys) {
      change_room(room, [who, identity = s.identity](Room& r) { return r.rename(who, identity); });
    }
  }
  done(s.identity);  // last: it may claim again or detach, and `s` with it
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
  s->joining.push_back(room.value().key);

  const LoopIndex home = home_of(room.value().key);
  poster_.post(home, [this, home, who, identity = s->identity, room = room.value(), key = std::move(key),
                      refused = std::move(refused)]() mutable {
    auto& rooms = shard(home).rooms;
    auto [it, created] = rooms.try_emplace(room.key, room.display, room.key, poster_.loop_count());
    if (!created) {
      if (auto no = it->second.may_join(who, identity, key)) {
        poster_.post(who.loop, [this, who, key = room.key, no = *no, refused = std::move(refused)]() mutable {
          join_refused(who, key, no, std::move(refused));
        });
        return;
      }
    }
    if (auto ev = it->second.join(who, std::move(identity))) return broadcast(it->second, std::move(ev));
    // Already a member (not expected: the session's loop refuses that): the join is settled all the same.
    on_session_loop(who, [key = room.key](LocalSession& s) {
      if (auto j = std::find(s.joining.begin(), s.joining.end(), key); j != s.joining.end()) s.joining.erase(j);
    });
  });
  return room;
}

void Hub::join_refused(SessionRef who, const std::string& room_key, Refusal refusal, Refused refused) {
  LocalSession* s = find_session(who);
  if (!s) return;
  if (auto j = std::find(s->joining.begin(), s->joining.end(), room_key); j != s->joining.end()) s->joining.erase(j);
  // A later join of the same room may be on its way; it keeps the room.
  if (std::find(s->joining.begin(), s->joining.end(), room_key) == s->joining.end()) {
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
                     Refused refused) {
  if (!in_room(who, room_key)) return Refusal::not_in_room;
  change_room(room_key, [this, who, kind, text = std::move(text), refused = std::move(refused)](Room& r) mutable
                  -> std::shared_ptr<const RoomEvent> {
    if (auto no = r.may_speak(who); no && *no != Refusal::not_in_room) {
      if (refused) on_session_loop(who, [no = *no, refused = std::move(refused)](LocalSession&) { refused(no); });
      return nullptr;
    }
    return r.say(who, kind, std::move(text));
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
  const Identity& me = s->identity;
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
      auto r = it->second.invite(who, holder.owner);
      if (!r.ok()) return reply<Identity>(who, std::move(done), r.refusal());
      inv.room = it->second.display();
      inv.to_nick = holder.identity.nick;
      poster_.post(holder.owner.loop, [this, who, holder, inv = std::move(inv), done = std::move(done)]() mutable {
        LocalSession* t = find_session(holder.owner);
        if (!t) return reply<Identity>(who, std::move(done), Refusal::no_such_user);
        t->member->on_invite(inv);
        reply<Identity>(who, std::move(done), t->identity);
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
    view->second.push_back(event->actor.id);
    auto& joining = sh.sessions.at(event->actor.id).joining;
    if (auto j = std::find(joining.begin(), joining.end(), event->room_key); j != joining.end()) joining.erase(j);
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
      if (std::find(session.joining.begin(), session.joining.end(), event->room_key) == session.joining.end())
        std::erase(session.room_keys, event->room_key);
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
                                 Callback<Identity> done, bool notice) {
  LocalSession* s = find_session(who);
  if (!s) return {};
  auto name = check_user_name(target, limits_.name_chars);
  if (!name.ok()) {
    done(Refusal::no_such_user);
    return {};
  }
  const Identity& me = s->identity;
  const auto now = std::chrono::system_clock::now();
  // The sender's loop and id, and a count of its messages: unique without asking anyone.
  std::string id = fmt::format("p{:x}-{:x}-{:x}", who.loop, who.id, ++s->private_sent);
  PrivateMessage pm{who, me.display, me.nick, me.user, me.host, {}, {}, std::move(text), action, now, notice, id};

  poster_.post(kRegistryLoop, [this, who, key = name.value().key, pm = std::move(pm), done = std::move(done)]() mutable {
    auto holder = registry_.find(key);
    if (!holder) return reply<Identity>(who, std::move(done), Refusal::no_such_user);
    pm.to_name = holder->identity.display;
    pm.to_nick = holder->identity.nick;
    poster_.post(holder->owner.loop, [this, who, target = holder->owner, pm = std::move(pm), done = std::move(done)]() mutable {
      LocalSession* t = find_session(target);
      if (!t) return reply<Identity>(who, std::move(done), Refusal::no_such_user);
      t->member->on_private_message(pm);
      reply<Identity>(who, std::move(done), t->identity);
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

void Hub::count_users(SessionRef who, Callback<std::size_t> done) {
  poster_.post(kRegistryLoop, [this, who, done = std::move(done)]() mutable {
    reply<std::size_t>(who, std::move(done), registry_.size());
  });
}

}  // namespace parley::core
