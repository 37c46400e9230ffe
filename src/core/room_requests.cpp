#include "core/room_requests.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <memory>
#include <unordered_set>

#include "core/names.h"
#include "core/room_gate.h"
#include "core/spares.h"
#include "core/unicode.h"

namespace parley::core {

Result<CheckedName> RoomRequests::join(SessionRef who, std::string_view raw_room, std::string key, Refused refused,
                                       Callback<std::vector<HistoryLine>> replay) {
  auto room = check_room_name(raw_room, state_.limits().room_chars);
  if (!room.ok()) return room;
  LocalSession* s = state_.find(who);
  if (!s) return Refusal::not_in_room;
  if (s->in_room(room.value().key)) return Refusal::already_in_room;
  if (s->room_keys.size() >= state_.limits().rooms_per_user) return Refusal::too_many_rooms;
  s->room_keys.push_back(room.value().key);
  s->unsettled().joining.push_back(room.value().key);

  const Ticket ticket = state_.answers().open(*s);
  const bool replaying = replay && state_.history && state_.history_policy.replay_lines > 0;
  const Ticket replay_ticket = replaying ? state_.answers().open(*s) : Ticket{};
  const LoopIndex home_loop = state_.home_of(room.value().key);
  auto decide = [this, ticket, replay_ticket, identity = s->identity, room = room.value(), key = std::move(key),
                 refused = std::move(refused), replay = std::move(replay)](std::optional<RemoteRoom> remote) mutable {
    Room* home = state_.room(room.key, room.display, true);
    if (home && remote && !home->has_local_members()) state_.fanout().restore(*home, *remote);
    auto joined = home ? home->join(ticket.who, std::move(identity), key)
                       : Result<Room::JoinOutcome>(Refusal::room_name_confusable);
    if (!joined.ok() || !joined.value().for_members) state_.answers().finish_later(replay_ticket);
    if (!joined.ok()) {
      if (state_.backplane && home && !home->has_local_members()) {
        // Refused: the room read from the cluster stays unfollowed here, and is not kept.
        state_.backplane->room_in_use(room.key, false);
        home->forget_remote();
        state_.drop_if_empty(*home);
      }
      return state_.answers().answer(ticket, [key = room.key, no = joined.refusal(), refused = std::move(refused)](LocalSession& s) {
        s.joined(key);
        // A later join of the same room may be on its way; it keeps the room.
        if (!s.is_joining(key)) std::erase(s.room_keys, key);
        if (refused) refused(no);
      });
    }
    auto& outcome = joined.value();
    if (outcome.for_members) {
      state_.fanout().broadcast(*home, Fanout::caused_by(std::move(outcome.for_members), ticket.cause), ticket,
                                Fanout::caused_by(std::move(outcome.for_joiner), ticket.cause));
      // The lines said before the join, without the join's own.
      if (replay_ticket.who.id != 0) this->replay(replay_ticket, *home, std::move(replay));
      return;
    }
    // Already a member (not expected: the session's loop refuses that): the join is settled all the same.
    state_.answers().answer(ticket, [key = room.key](LocalSession& s) { s.joined(key); });
  };
  room_gate::post(state_, room.value().key, [this, home_loop, key = room.value().key, decide = std::move(decide)]() mutable {
    const Room* existing = state_.room(key);
    if (!state_.backplane || (existing && existing->has_local_members())) return decide(std::nullopt);
    // In a cluster, a room new to this node is first read from the cluster
    // (its members elsewhere, its key and bans), then the join is decided;
    // what else is asked of the room meanwhile waits behind it.
    room_gate::close(state_, key);
    // prepare_room's callback may be copied: the decision (move-only: its
    // Refused) goes along shared.
    auto shared_decide = std::make_shared<decltype(decide)>(std::move(decide));
    state_.backplane->prepare_room(key, [this, home_loop, key, shared_decide](std::optional<RemoteRoom> remote) {
      state_.post(home_loop, [this, key, shared_decide, remote = std::move(remote)]() mutable {
        (*shared_decide)(std::move(remote));
        room_gate::open(state_, key);
      });
    });
  });
  return room;
}

bool RoomRequests::history_accepts(Speech speech) const {
  // Refused rather than shown and then not kept (speech is what history is for).
  return speech == Speech::tagged || !state_.history || state_.history->accepting();
}

void RoomRequests::replay(Ticket ticket, Room& room, Callback<std::vector<HistoryLine>> done) {
  using Lines = std::vector<HistoryLine>;
  const std::size_t capacity = state_.history_policy.replay_lines;
  // Nothing to show is no answer at all (and no failure worth showing on a join).
  auto answer = [this, ticket, done = std::move(done)](Lines lines) mutable {
    if (const auto max_age = state_.history_policy.replay_max_age; max_age.count() > 0) {
      // Kept in memory past the age at which history deletes them: not shown either.
      const WallTime oldest = state_.wall_clock() - max_age;
      std::erase_if(lines, [&](const HistoryLine& line) { return line.time < oldest; });
    }
    if (lines.empty()) return state_.answers().finish_later(ticket);
    state_.answers().reply<Lines>(ticket, std::move(done), Result<Lines>(std::move(lines)));
  };
  // What was said before the join (whatever is said while the answer is on
  // its way comes after it), from what the room keeps of it; history is read
  // only when the room is new here, once for however many join meanwhile.
  RecentSpeech& recent = room.recent();
  if (recent.complete(capacity)) return answer(recent.lines(capacity));
  const RecentSpeech::Read read = recent.wait(std::move(answer));
  if (read.expired()) return;  // a read is on its way
  HistoryQuery query;
  query.target = room.key();
  query.direction = HistoryQuery::Direction::latest;
  query.limit = capacity;
  query.speech_only = true;
  state_.history->fetch(std::move(query), [this, key = room.key(), capacity, read](Result<Lines> lines) mutable {
    state_.post(state_.home_of(key), [this, key, capacity, read, lines = std::move(lines)]() mutable {
      // Gone (everyone left meanwhile): its waiters were answered as it went.
      if (Room* room = state_.room(key))
        room->recent().prime(read, lines.ok() ? std::optional(std::move(lines.value())) : std::nullopt, capacity);
    });
  });
}

Result<Done> RoomRequests::part(SessionRef who, const std::string& room_key, std::string reason) {
  LocalSession* s = state_.find(who);
  if (!s) return Refusal::not_in_room;
  auto it = std::find(s->room_keys.begin(), s->room_keys.end(), room_key);
  if (it == s->room_keys.end()) return Refusal::not_in_room;
  s->room_keys.erase(it);
  state_.fanout().change_room(state_.answers().open(*s), room_key,
                     [who, reason = std::move(reason)](Room& r) { return r.leave(who, reason); });
  return Done{};
}

void RoomRequests::decide(Ticket ticket, const std::string& room_key, Refused refused, Decision decide) {
  std::unique_ptr<PendingDecision> pending = Spares<PendingDecision>::take();
  pending->ticket = ticket;
  pending->room_key = room_key;
  pending->refused = std::move(refused);
  pending->decide = std::move(decide);
  auto on_home = [this, pending = std::move(pending)]() mutable {
    PendingDecision& p = *pending;
    Room* r = state_.room(p.room_key);
    auto outcome = r ? p.decide(*r) : Result<Room::EventPtr>(Refusal::not_in_room);
    if (outcome.ok()) {
      state_.fanout().broadcast(*r, Fanout::caused_by(std::move(outcome.value()), p.ticket.cause), p.ticket);
    } else if (outcome.refusal() == Refusal::not_in_room || !p.refused) {
      state_.answers().finish_later(p.ticket);
    } else {
      state_.answers().answer(p.ticket,
                              [no = outcome.refusal(), refused = std::move(p.refused)](LocalSession&) { refused(no); });
    }
    p.refused = nullptr;  // emptied as a new one is, the key's room kept
    p.decide = nullptr;
    p.room_key.clear();
    Spares<PendingDecision>::give_back(std::move(pending));
  };
  static_assert(Task::kInline<decltype(on_home)>, "a room message's trip to its home loop is made without an allocation");
  room_gate::post(state_, room_key, std::move(on_home));
}

Result<Done> RoomRequests::say(SessionRef who, const std::string& room_key, Speech speech, std::string text,
                               Refused refused, std::string client_tags, Audience audience) {
  LocalSession* s = state_.find(who);
  if (!s) return Refusal::not_in_room;
  if (speech != Speech::tagged) s->last_spoke = state_.wall_clock();  // WHOIS's idle time
  if (s->in_room(room_key)) {
    auto say_it = [this, who, speech, text = std::move(text), client_tags = std::move(client_tags),
                   audience](Room& r) mutable -> Result<Room::EventPtr> {
      if (!history_accepts(speech)) return Refusal::storage_busy;
      return r.say(who, speech, std::move(text), std::move(client_tags), audience);
    };
    static_assert(Decision::kInline<decltype(say_it)>, "a room message's decision is made without an allocation");
    decide(state_.answers().open(*s), room_key, std::move(refused), std::move(say_it));
    return Done{};
  }
  // From outside: only the home loop knows whether the room exists and lets
  // outsiders speak; either way the sender is answered.
  const Ticket ticket = state_.answers().open(*s);
  room_gate::post(state_, room_key, [this, ticket, room_key, identity = s->identity, speech, audience,
                                         text = std::move(text), client_tags = std::move(client_tags),
                                         refused = std::move(refused)]() mutable {
    Room* r = state_.room(room_key);
    auto outcome = !r                        ? Result<Room::EventPtr>(Refusal::no_such_room)
                   : !history_accepts(speech) ? Result<Room::EventPtr>(Refusal::storage_busy)
                                              : r->say(ticket.who, speech, std::move(text), std::move(client_tags),
                                                       audience, identity);
    if (outcome.ok()) return state_.fanout().broadcast(*r, Fanout::caused_by(std::move(outcome.value()), ticket.cause), ticket);
    if (!refused) return state_.answers().finish_later(ticket);
    state_.answers().answer(ticket, [no = outcome.refusal(), refused = std::move(refused)](LocalSession&) { refused(no); });
  });
  return Done{};
}

Result<Done> RoomRequests::set_topic(SessionRef who, const std::string& room_key, std::string topic, Refused refused) {
  if (count_code_points(topic) > state_.limits().topic_chars) return Refusal::topic_too_long;
  LocalSession* s = state_.find(who);
  if (!s || (!s->in_room(room_key) && !s->identity->presence.server_operator)) return Refusal::not_in_room;
  decide(state_.answers().open(*s), room_key, std::move(refused),
         [this, who, identity = s->identity, topic = std::move(topic)](Room& r) mutable -> Result<Room::EventPtr> {
           const bool was_op = r.is_op(who);
           const bool locked = r.settings().topic_locked;
           auto ev = r.set_topic(who, std::move(topic), identity);
           if (ev.ok() && (locked || !r.contains(who)))
             log_override(r, who, *identity, was_op, fmt::format("changed the topic of #{}", r.display()));
           return ev;
         });
  return Done{};
}

void RoomRequests::change_settings(SessionRef who, const std::string& room_key, std::vector<RoomChange> changes,
                                   Callback<std::vector<Room::RefusedChange>> done) {
  using Outcome = std::vector<Room::RefusedChange>;
  LocalSession* s = state_.find(who);
  if (!s) return;
  const bool server_operator = s->identity->presence.server_operator;
  if (!s->in_room(room_key) && !server_operator) return done(Refusal::not_in_room);
  room_gate::post(state_, room_key, [this, tickets = open_event_and_reply(*s), room_key, changes = std::move(changes),
                                         identity = s->identity, done = std::move(done)]() mutable {
    const SessionRef who = tickets.reply.who;
    Room* r = state_.room(room_key);
    if (!r) {
      const Refusal no = identity->presence.server_operator ? Refusal::no_such_room : Refusal::not_in_room;
      return settle_event_and_reply<Outcome>(tickets, r, nullptr, std::move(done), no);
    }
    const bool was_op = r->is_op(who);
    auto outcome = r->change(who, std::move(changes), identity);
    if (!outcome.ok()) return settle_event_and_reply<Outcome>(tickets, r, nullptr, std::move(done), outcome.refusal());
    if (const Room::EventPtr& ev = outcome.value().event) {
      std::string modes;
      for (const RoomChange& c : ev->as<RoomEvent::SettingsChanged>()->changes) {
        fmt::format_to(std::back_inserter(modes), " {}{}", c.on ? '+' : '-', letter_of(c.setting));
        // A key is a secret: the log says it changed, not what it is.
        if (!c.arg.empty()) modes += c.setting == RoomSetting::key ? " (key)" : " " + c.arg;
      }
      log_override(*r, who, *identity, was_op, fmt::format("set{} on #{}", modes, r->display()));
    }
    settle_event_and_reply<Outcome>(tickets, r, std::move(outcome.value().event), std::move(done),
                                    std::move(outcome.value().refused));
  });
}

void RoomRequests::kick(SessionRef who, const std::string& room_key, std::string target, std::string reason,
                        Callback<Done> done) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  if (!s->in_room(room_key) && !s->identity->presence.server_operator) return done(Refusal::not_in_room);
  room_gate::post(state_, room_key, [this, tickets = open_event_and_reply(*s), room_key, target = std::move(target),
                                         identity = s->identity, reason = std::move(reason),
                                         done = std::move(done)]() mutable {
    const SessionRef who = tickets.reply.who;
    Room* r = state_.room(room_key);
    if (!r) {
      const Refusal no = identity->presence.server_operator ? Refusal::no_such_room : Refusal::not_in_room;
      return settle_event_and_reply<Done>(tickets, r, nullptr, std::move(done), no);
    }
    const bool was_op = r->is_op(who);
    auto ev = r->kick(who, target, reason, identity);
    if (!ev.ok()) return settle_event_and_reply<Done>(tickets, r, nullptr, std::move(done), ev.refusal());
    const auto* kicked = ev.value()->as<RoomEvent::Kicked>();
    log_override(*r, who, *identity, was_op,
                 fmt::format("kicked {} from #{} ({})", kicked->target_identity->nick, r->display(), reason));
    settle_event_and_reply<Done>(tickets, r, std::move(ev.value()), std::move(done), Done{});
    state_.drop_if_empty(*r);
  });
}

void RoomRequests::invite(SessionRef who, std::string_view target, std::string_view raw_room,
                          Callback<Identity> done) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  auto room = check_room_name(raw_room, state_.limits().room_chars);
  if (!room.ok()) return done(room.refusal());
  if (!s->in_room(room.value().key)) return done(Refusal::not_in_room);
  auto name = check_user_name(target, state_.limits().name_chars);
  if (!name.ok()) return done(Refusal::no_such_user);
  Invitation invitation{who, s->identity, {}, room.value().display};
  const Ticket ticket = state_.answers().open(*s);
  // The registry finds the invitee, the home loop lets it in, the invitee's
  // loop tells it; the answer comes back from there.
  state_.post(HubState::kRegistryLoop, [this, ticket, name = name.value().key, key = room.value().key,
                                        invitation = std::move(invitation), done = std::move(done)]() mutable {
    auto holder = state_.directory().find(name);
    if (!holder) return state_.answers().reply<Identity>(ticket, std::move(done), Refusal::no_such_user);
    auto invitee = std::make_shared<const Identity>(holder->identity);
    room_gate::post(state_, key, [this, ticket, key, owner = holder->owner, invitee, invitation = std::move(invitation),
                                      done = std::move(done)]() mutable {
      Room* r = state_.room(key);
      if (!r) return state_.answers().reply<Identity>(ticket, std::move(done), Refusal::not_in_room);
      auto ev = r->invite(ticket.who, owner, invitee);
      if (!ev.ok()) return state_.answers().reply<Identity>(ticket, std::move(done), ev.refusal());
      state_.fanout().broadcast(*r, Fanout::caused_by(std::move(ev.value()), ticket.cause), Ticket{});
      invitation.room = r->display();
      invitation.to_nick = invitee->nick;
      state_.post(owner.loop, [this, ticket, owner, invitation = std::move(invitation), done = std::move(done)]() mutable {
        LocalSession* t = state_.find(owner);
        if (!t) return state_.answers().reply<Identity>(ticket, std::move(done), Refusal::no_such_user);
        t->member->on_invite(invitation);
        state_.answers().reply<Identity>(ticket, std::move(done), *t->identity);
      });
    });
  });
}

void RoomRequests::room_info(SessionRef who, std::string_view raw_room, Callback<RoomSnapshot> done) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  auto room = check_room_name(raw_room, state_.limits().room_chars);
  if (!room.ok()) return done(room.refusal());
  const Ticket ticket = state_.answers().open(*s);
  room_gate::post(state_, room.value().key, [this, ticket, key = room.value().key, done = std::move(done)]() mutable {
    Room* r = state_.room(key);
    if (!r) return state_.answers().reply<RoomSnapshot>(ticket, std::move(done), Refusal::no_such_room);
    state_.answers().reply<RoomSnapshot>(ticket, std::move(done), r->snapshot());
  });
}

void RoomRequests::log_override(const Room& room, SessionRef who, const Identity& actor, bool was_op,
                                std::string_view what) {
  if (was_op || !actor.presence.server_operator) return;  // the room's own operator, or a refusal
  state_.note(fmt::format("override: {} {}{}", actor.nick, what, room.contains(who) ? "" : " (from outside the room)"));
}

void RoomRequests::on_room(SessionRef who, std::string_view raw_room, Callback<RoomRecord> done,
                           std::function<Result<RoomRecord>(Room&, const Identity&)> decide) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  auto room = check_room_name(raw_room, state_.limits().room_chars);
  if (!room.ok()) return done(room.refusal());
  const Ticket ticket = state_.answers().open(*s);
  room_gate::post(state_, room.value().key, [this, ticket, key = room.value().key, identity = s->identity,
                                                 decide = std::move(decide), done = std::move(done)]() mutable {
    Room* r = state_.room(key);
    auto outcome = r ? decide(*r, *identity) : Result<RoomRecord>(Refusal::no_such_room);
    state_.answers().reply<RoomRecord>(ticket, std::move(done), std::move(outcome));
    if (r) state_.drop_if_empty(*r);
  });
}

void RoomRequests::share_registration(const Room& room) {
  if (state_.backplane) state_.backplane->publish_registration(room.record());
}

void RoomRequests::apply_remote_registration(const RoomRecord& record) {
  if (record.founder.empty()) {
    Room* r = state_.room(record.key);
    if (!r || !r->registered()) return;
    r->take_registration(record);
    if (!state_.records_shared) state_.forget_room(record.key);
    state_.note(fmt::format("#{} unregistered on another node.", r->display()));
    return state_.drop_if_empty(*r);
  }
  Room* r = state_.room(record.key, record.name, true);
  if (!r) {
    state_.note(fmt::format("#{}, registered on another node, is not opened here: its name looks like another "
                            "room's.", record.name));
    return;
  }
  const bool was_registered = r->registered();
  r->take_registration(record);
  if (!state_.records_shared) state_.keep_room(r->record());
  if (!was_registered) state_.note(fmt::format("#{} registered to {} on another node.", r->display(), record.founder));
  else state_.note(fmt::format("#{}: its registration changed on another node.", r->display()));
}

void RoomRequests::register_room(SessionRef who, std::string_view room, Callback<RoomRecord> done) {
  on_room(who, room, std::move(done), [this, who](Room& r, const Identity& actor) -> Result<RoomRecord> {
    const bool was_op = r.is_op(who);
    if (auto no = r.register_to(who, actor)) return *no;
    state_.keep_room(r.record());
    share_registration(r);
    state_.note(fmt::format("#{} registered to {} by {}.", r.display(), actor.presence.account, actor.nick));
    log_override(r, who, actor, was_op, fmt::format("registered #{}", r.display()));
    return r.record();
  });
}

void RoomRequests::unregister_room(SessionRef who, std::string_view room, Callback<RoomRecord> done) {
  on_room(who, room, std::move(done), [this](Room& r, const Identity& actor) -> Result<RoomRecord> {
    RoomRecord was = r.record();
    if (auto no = r.unregister(actor)) return *no;
    state_.forget_room(was.key);
    share_registration(r);
    state_.note(fmt::format("#{} (founder {}) unregistered by {}{}.", r.display(), was.founder, actor.nick,
                            actor.presence.server_operator ? " (server operator)" : ""));
    return was;
  });
}

void RoomRequests::change_access(SessionRef who, std::string_view room, std::string account, bool add,
                                 Callback<RoomRecord> done) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  on_room(who, room, std::move(done), [this, who, identity = s->identity, account = std::move(account),
                                       add](Room& r, const Identity& actor) -> Result<RoomRecord> {
    if (auto no = r.change_access(actor, account, add)) return *no;
    state_.keep_room(r.record());
    share_registration(r);
    // Members logged in to the account gain or lose operator status now, as
    // a MODE everyone in the room sees (not a request's answer: no ticket).
    if (auto changed = r.apply_access(who, identity, account, add)) state_.fanout().broadcast(r, std::move(changed), Ticket{});
    state_.note(fmt::format("#{}: {} {} the access list by {}.", r.display(), account, add ? "added to" : "removed from",
                            actor.nick));
    return r.record();
  });
}

void RoomRequests::registration(SessionRef who, std::string_view room, Callback<RoomRecord> done) {
  on_room(who, room, std::move(done), [](Room& r, const Identity&) -> Result<RoomRecord> {
    if (!r.registered()) return Refusal::room_not_registered;
    return r.record();
  });
}

void RoomRequests::list_rooms(SessionRef who, Callback<std::vector<RoomSummary>> done) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  // Each loop reports the rooms it is home to, and in a cluster the other
  // nodes the rooms they follow; the parts are gathered on the asking
  // session's loop, which alone touches the accumulator.
  struct Gather {
    std::size_t remaining;
    std::vector<RoomSummary> rooms;
    std::vector<RoomSummary> remote;
    Callback<std::vector<RoomSummary>> done;
  };
  const std::size_t parts = state_.loop_count() + (state_.backplane ? 1 : 0);
  auto gather = std::make_shared<Gather>(Gather{parts, {}, {}, std::move(done)});
  const Ticket ticket = state_.answers().open(*s);
  auto part_done = [this, ticket, gather] {
    if (--gather->remaining > 0) return;
    // A room this node has is listed as it has it (a node following it knows
    // all its members); one several other nodes follow, once: they agree.
    std::unordered_set<std::string> listed;
    for (const auto& room : gather->rooms) listed.insert(room.key);
    for (auto& room : gather->remote) {
      if (listed.insert(room.key).second) gather->rooms.push_back(std::move(room));
    }
    std::sort(gather->rooms.begin(), gather->rooms.end(), [](const RoomSummary& a, const RoomSummary& b) {
      return fold_key(a.room).value_or(a.room) < fold_key(b.room).value_or(b.room);
    });
    state_.answers().with_cause(ticket.who, ticket.cause, [&] { gather->done(std::move(gather->rooms)); });
    state_.answers().finish(ticket);
  };
  if (state_.backplane) {
    state_.backplane->remote_rooms([this, ticket, gather, part_done](std::vector<RoomSummary> rooms) {
      state_.post(ticket.who.loop, [gather, part_done, rooms = std::move(rooms)]() mutable {
        gather->remote = std::move(rooms);
        part_done();
      });
    });
  }
  for (LoopIndex index = 0; index < state_.loop_count(); ++index) {
    state_.post(index, [this, index, ticket, gather, part_done] {
      auto part = summaries_on(index, [&](const Room& room) {
        return !room.settings().secret || room.contains(ticket.who);
      });
      state_.post(ticket.who.loop, [gather, part_done, part = std::move(part)]() mutable {
        std::move(part.begin(), part.end(), std::back_inserter(gather->rooms));
        part_done();
      });
    });
  }
}

void RoomRequests::answer_rooms(std::function<void(std::vector<RoomSummary>)> done) {
  // Only rooms with members here: this node follows those, so it holds their
  // whole membership and topic. Gathered on the registry loop.
  struct Gather {
    std::size_t remaining;
    std::vector<RoomSummary> rooms;
    std::function<void(std::vector<RoomSummary>)> done;
  };
  auto gather = std::make_shared<Gather>(Gather{state_.loop_count(), {}, std::move(done)});
  for (LoopIndex index = 0; index < state_.loop_count(); ++index) {
    state_.post(index, [this, index, gather] {
      auto part = summaries_on(index, [](const Room& room) {
        return !room.settings().secret && room.has_local_members();
      });
      state_.post(HubState::kRegistryLoop, [gather, part = std::move(part)]() mutable {
        std::move(part.begin(), part.end(), std::back_inserter(gather->rooms));
        if (--gather->remaining == 0) gather->done(std::move(gather->rooms));
      });
    });
  }
}

std::vector<RoomSummary> RoomRequests::summaries_on(LoopIndex index, const std::function<bool(const Room&)>& listed) {
  std::vector<RoomSummary> part;
  for (const auto& [key, room] : state_.loop(index).rooms) {
    if (room.empty() || !listed(room)) continue;
    part.push_back({room.display(), room.size(), room.topic(), room.key()});
  }
  return part;
}

}  // namespace parley::core
