#include "core/hub_state.h"

#include <fmt/format.h>

#include <chrono>

#include <utility>

#include "core/confusable.h"
#include "core/names.h"
#include "core/room_gate.h"

namespace parley::core {

HubState::HubState(LoopPoster& poster, HubLimits limits)
    : poster_(poster),
      limits_(std::move(limits)),
      id_stamp_(fmt::format("{:x}", std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch()).count())),
      directory_(kRegistryLoop, limits_.nick_chars, limits_.name_history, limits_.watched_names),
      no_identity_(std::make_shared<const Identity>()) {
  for (LoopIndex i = 0; i < poster_.loop_count(); ++i) loops_.push_back(std::make_unique<LoopOwned<LoopState>>(i, i));
  if (auto checked = check_room_name(limits_.default_room, limits_.room_chars); checked.ok())
    default_room_key_ = checked.value().key;
}

void HubState::set_history(History* h, HistoryPolicy policy) {
  history = h;
  history_policy = policy;
  commit_gate_ = h && h->keeps_before_delivery() ? std::make_unique<CommitGate>(*h, poster_) : nullptr;
}

namespace {

// The hash of a room key's confusable skeleton, remembered per thread: the
// skeleton takes ICU a few microseconds and every message needs its room's
// home. Pure, so one memo serves every HubState on the thread.
std::size_t skeleton_hash(const std::string& key) {
  constexpr std::size_t kRemembered = 4096;  // busy rooms stay; a flood of names cannot grow it
  thread_local std::unordered_map<std::string, std::size_t> memo;
  if (auto it = memo.find(key); it != memo.end()) return it->second;
  if (memo.size() >= kRemembered) memo.clear();
  const std::size_t hash = std::hash<std::string>{}(confusable_skeleton(key));
  memo.emplace(key, hash);
  return hash;
}

}  // namespace

LoopIndex HubState::home_of(const std::string& key) const {
  return static_cast<LoopIndex>(skeleton_hash(key) % loops_.size());
}

Room* HubState::room(const std::string& room_key, const std::string& display, bool create) {
  LoopState& here = loop(home_of(room_key));
  if (auto it = here.rooms.find(room_key); it != here.rooms.end()) return &it->second;
  if (!create) return nullptr;
  // A room whose name only looks like an existing one's ("#аlice" beside
  // "#alice") would let one pass for the other.
  auto [skeleton, fresh] = here.room_skeletons.try_emplace(confusable_skeleton(room_key), room_key);
  if (!fresh && skeleton->second != room_key) return nullptr;
  const bool permanent = room_key == default_room_key_;
  return &here.rooms.try_emplace(room_key, display, room_key, loop_count(), limits_.room, permanent).first->second;
}

void HubState::drop_if_empty(const Room& room) {
  if (!room.empty() || room.permanent() || room.registered()) return;
  LoopState& here = loop(home_of(room.key()));
  here.room_skeletons.erase(confusable_skeleton(room.key()));
  here.rooms.erase(room.key());
}

namespace {

// Runs one write off the loops; a failure is logged, never thrown at a loop.
template <class Records, class Job>
void write_off_loop(const HubState& state, Records* records, Job job) {
  if (!records || !state.offload) return;
  state.offload([&state, records, job = std::move(job)] {
    try {
      job(*records);
    } catch (const std::exception& e) {
      state.note(fmt::format("Could not save a registered room or server ban: {}", e.what()));
    }
  });
}

}  // namespace

void HubState::keep_room(RoomRecord record) {
  write_off_loop(*this, room_records, [record = std::move(record)](RoomRecords& r) { r.save_room(record); });
}

void HubState::forget_room(std::string key) {
  write_off_loop(*this, room_records, [key = std::move(key)](RoomRecords& r) { r.remove_room(key); });
}

void HubState::keep_ban(ServerBan ban) {
  write_off_loop(*this, ban_records, [ban = std::move(ban)](BanRecords& r) { r.save_ban(ban); });
}

void HubState::forget_ban(std::string mask) {
  write_off_loop(*this, ban_records, [mask = std::move(mask)](BanRecords& r) { r.remove_ban(mask); });
}

void HubState::expire_bans() {
  for (const ServerBan& gone : bans().expire(wall_clock())) {
    forget_ban(gone.mask);
    note(fmt::format("Server ban {} expired ({}).", gone.mask, gone.reason));
  }
}

bool HubState::enforce_bans(SessionRef who, const Identity& identity) {
  if (identity.presence.server_operator) return false;
  expire_bans();
  const ServerBan* ban = bans().match(identity);
  if (!ban) return false;
  note(fmt::format("{}!{}@{} matches the server ban {} ({}): disconnected.", identity.nick, identity.user,
                   identity.host, ban->mask, ban->reason));
  WatchNotices notices;
  directory().release(who, notices);
  if (backplane) backplane->names_released(who);
  fanout().tell(std::move(notices));
  Removal removal{"", "", ban->reason, true};
  post(who.loop, [this, who, removal = std::move(removal)] {
    if (remove_session) remove_session(who, removal);
  });
  return true;
}

Ticket Answers::open(LocalSession& s) {
  if (s.cause == 0) return Ticket{s.ref, 0};
  if (LocalSession::Outstanding* o = s.outstanding_for(s.cause)) ++o->requests;
  else s.unsettled().outstanding.push_back({s.cause, 1});
  return Ticket{s.ref, s.cause};
}

void Answers::finish(Ticket ticket) {
  if (ticket.who.id == 0) return;  // no request (Ticket{}): nothing to finish, and no loop to ask
  LocalSession* s = state_.find(ticket.who);
  if (!s || !s->pending) return;
  if (ticket.cause == 0) return s->release_if_settled();
  LocalSession::Outstanding* o = s->outstanding_for(ticket.cause);
  if (!o || --o->requests > 0) return;
  std::erase_if(s->pending->outstanding, [&](const LocalSession::Outstanding& x) { return x.command == ticket.cause; });
  run_reads_due(*s);
  const bool settled = ticket.cause != s->dispatching;  // else end_command reports it
  s->release_if_settled();
  if (settled) s->member->on_settled(ticket.cause);  // last: it may detach
}

void Answers::after_earlier(LocalSession& s, Ticket ticket, Task read) {
  // The read's own ticket is open, so `pending` holds it (unless there is no command).
  if (ticket.cause == 0 || !s.pending || s.pending->outstanding.front().command >= ticket.cause) return read();
  s.pending->after_earlier.push_back({ticket.cause, std::move(read)});
}

void Answers::run_reads_due(LocalSession& s) {
  std::vector<LocalSession::Waiting>& waiting = s.pending->after_earlier;
  if (waiting.empty()) return;
  const auto& open = s.pending->outstanding;
  const CommandId oldest_open = open.empty() ? std::numeric_limits<CommandId>::max() : open.front().command;
  const auto due = std::find_if(waiting.begin(), waiting.end(), [&](const auto& w) { return w.command > oldest_open; });
  // Taken out first: a read only asks the store, but nothing it does may move `waiting` under us.
  std::vector<Task> reads;
  for (auto it = waiting.begin(); it != due; ++it) reads.push_back(std::move(it->run));
  waiting.erase(waiting.begin(), due);
  for (Task& read : reads) read();
}

void Answers::with_cause(SessionRef who, CommandId cause, const std::function<void()>& fn) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  const CommandId saved = std::exchange(s->cause, cause);
  s->member->answering(cause);
  fn();
  if (LocalSession* again = state_.find(who)) {  // fn may have detached it
    again->cause = saved;
    again->member->answering(saved);
  }
}

void Answers::answer(Ticket ticket, SessionAnswer fn) {
  state_.post(ticket.who.loop, [this, ticket, fn = std::move(fn)] {
    with_cause(ticket.who, ticket.cause, [&] {
      if (LocalSession* s = state_.find(ticket.who)) fn(*s);
    });
    finish(ticket);
  });
}

void Answers::finish_later(Ticket ticket) {
  if (ticket.cause == 0) return;  // nothing waits for it
  state_.post(ticket.who.loop, [this, ticket] { finish(ticket); });
}

Room::EventPtr Fanout::caused_by(Room::EventPtr event, CommandId cause) {
  // The event was made a moment ago by the room and nobody else holds it yet.
  if (event && cause != 0) const_cast<RoomEvent&>(*event).cause = cause;
  return event;
}

void Fanout::change_room(Ticket ticket, const std::string& room_key, std::function<Room::EventPtr(Room&)> change) {
  room_gate::post(state_, room_key, [this, ticket, room_key, change = std::move(change)] {
    Room* r = state_.room(room_key);
    Room::EventPtr event = r ? change(*r) : nullptr;
    if (event) broadcast(*r, caused_by(std::move(event), ticket.cause), ticket);
    else answers_.finish_later(ticket);
    if (r) state_.drop_if_empty(*r);
  });
}

void Fanout::broadcast(Room& room, Room::EventPtr event, Ticket ticket, Room::EventPtr own) {
  if (Backplane* cluster = state_.backplane) {
    if (event->as<RoomEvent::Joined>() || event->as<RoomEvent::Left>() || event->as<RoomEvent::Kicked>())
      cluster->room_in_use(room.key(), room.has_local_members());
    // The cluster orders it, and hands it back (deliver_ordered) in its place.
    if (cluster->shares(*event)) {
      // A command's event with no ticket to wait for it would come back after
      // the command was settled: it goes out as the room's news. (Commands
      // with a reply of their own open a ticket for their event too:
      // RoomRequests::open_event_and_reply.)
      if (ticket.who.id == 0 && event->cause != 0) const_cast<RoomEvent&>(*event).cause = 0;  // nobody holds it yet
      std::shared_ptr<const RoomSnapshot> state;
      if (event->as<RoomEvent::TopicChanged>() || event->as<RoomEvent::SettingsChanged>()) {
        auto s = std::make_shared<RoomSnapshot>(room.snapshot());
        s->entries.clear();
        state = std::move(s);
      }
      // Nobody here hears the others of another node once the last member here left.
      if ((event->as<RoomEvent::Left>() || event->as<RoomEvent::Kicked>()) && !room.has_local_members())
        room.forget_remote();
      if (!own && !state) return cluster->publish(std::move(event), ticket);
      return cluster->publish_with(std::move(event), ticket, std::move(own), std::move(state));
    }
  }
  deliver(room, std::move(event), ticket, std::move(own));
}

void Fanout::deliver_ordered(Ordered ordered) {
  if (!ordered.event) return answers_.finish_later(ordered.ticket);
  const LoopIndex home = state_.home_of(ordered.event->room_key);
  state_.post(home, [this, o = std::move(ordered)]() mutable {
    Room* room = state_.room(o.event->room_key);
    const bool remote = o.event->actor.loop >= state_.loop_count();
    if (!shown_here(room, *o.event, remote)) {
      answers_.finish_later(o.ticket);
      if (room) state_.drop_if_empty(*room);
      return;
    }
    if (!room) {
      // Nobody here is in the room any more: its own events still reach their actor.
      if (remote) return answers_.finish_later(o.ticket);
      state_.post(o.event->actor.loop, [this, o] {
        state_.loop(o.event->actor.loop).sessions.deliver(o.event, o.own.get());
        answers_.finish(o.ticket);
      });
      return;
    }
    if (remote && o.event->room != room->display()) {
      // Named by its key (a dead node's quits): shown by its name here.
      auto named = std::make_shared<RoomEvent>(*o.event);
      named->room = room->display();
      o.event = std::move(named);
    }
    if (remote) room->apply_remote(*o.event, o.runs_room);
    else room->settle_change(*o.event);
    if (o.own) {
      // The room as the joiner finds it now, in the cluster's order.
      if (o.runs_room) room->settle_join(o.event->actor, *o.runs_room);
      auto copy = std::make_shared<RoomEvent>(*o.own);
      copy->what = RoomEvent::Joined{std::make_shared<const RoomSnapshot>(room->snapshot()), false, nullptr};
      o.own = std::move(copy);
    }
    const bool local_left = remote && o.event->as<RoomEvent::Kicked>() && !room->has_local_members();
    deliver(*room, std::move(o.event), o.ticket, std::move(o.own));
    if (local_left && state_.backplane) {
      state_.backplane->room_in_use(room->key(), false);
      room->forget_remote();
    }
    state_.drop_if_empty(*room);
  });
}

bool Fanout::shown_here(const Room* room, const RoomEvent& event, bool remote) {
  if (!remote) {
    // A survivor's netsplit quit of a session still here (this node was found
    // dead while frozen or cut off: it announces the session again), and that
    // announcement coming back: nothing happened here.
    if (const auto* left = event.as<RoomEvent::Left>()) return !left->split;
    if (const auto* joined = event.as<RoomEvent::Joined>()) return !joined->again;
    return true;
  }
  if (!room) return true;
  const bool member = room->contains(event.actor);
  // Announced again by a node that was found dead: news only where its quit was.
  if (const auto* joined = event.as<RoomEvent::Joined>(); joined && joined->again) return !member;
  // A change of someone this node does not know in the room (its node was
  // found dead here and has not announced it again yet): nobody here knows them.
  if (event.as<RoomEvent::Renamed>() || event.as<RoomEvent::AwayChanged>() ||
      event.as<RoomEvent::RealNameChanged>() || event.as<RoomEvent::AccountChanged>())
    return member;
  return true;
}

void Fanout::netsplit_over(const std::string& id, std::uint64_t round) {
  // Every home loop delivered the split's quits it was handed before this
  // (posts from one loop run in order); each tells every loop so once it has
  // passed them on, and a loop that has heard it from all releases the quits.
  const LoopIndex loops = state_.loop_count();
  for (LoopIndex home = 0; home < loops; ++home) {
    state_.post(home, [this, id, round, loops] {
      for (LoopIndex to = 0; to < loops; ++to) {
        state_.post(to, [this, id, round, loops, to] { state_.loop(to).sessions.netsplit_passed(id, round, loops); });
      }
    });
  }
}

void Fanout::resync(RemoteRoom remote) {
  const LoopIndex home = state_.home_of(remote.room_key);
  state_.post(home, [this, remote = std::move(remote)] {
    Room* room = state_.room(remote.room_key);
    if (room && room->has_local_members()) restore(*room, remote);
  });
}

void Fanout::restore(Room& room, const RemoteRoom& remote) {
  std::vector<std::pair<SessionRef, SharedIdentity>> members;
  std::vector<std::pair<bool, bool>> roles;
  for (const auto& m : remote.members) {
    members.emplace_back(m.ref, m.identity);
    roles.emplace_back(m.op, m.voice);
  }
  room.restore_remote(members, roles, remote.state.get());
}

void Fanout::deliver(Room& room, Room::EventPtr event, Ticket ticket, Room::EventPtr own) {
  // Here, in the room's order, before anyone hears of it.
  bool recorded = false;
  if (state_.history) {
    if (auto line = history_line_ref(*event)) recorded = state_.history->record(*line);
    // What joins replay, as history has it: kept lines in, removed ones out.
    if (recorded && RecentSpeech::replayed(*event)) room.recent().add(event, state_.history_policy.replay_lines);
    if (const auto* redacted = event->as<RoomEvent::Redacted>()) room.recent().remove(redacted->msgid);
  }
  // A registered room's settings and topic are kept as they change.
  if (room.registered() && (event->as<RoomEvent::SettingsChanged>() || event->as<RoomEvent::TopicChanged>()))
    state_.keep_room(room.record());
  const auto* kicked = event->as<RoomEvent::Kicked>();
  for (LoopIndex index = 0; index < state_.loop_count(); ++index) {
    const bool actor_here = index == event->actor.loop;
    const bool kicked_here = kicked && index == kicked->target.loop;
    if (!room.has_members_on(index) && !actor_here && !kicked_here) continue;
    auto deliver = [this, index, event, own = actor_here ? own : nullptr, done = actor_here ? ticket : Ticket{}] {
      state_.loop(index).sessions.deliver(event, own.get());
      answers_.finish(done);
    };
    static_assert(Task::kInline<decltype(deliver)>, "a room message's delivery is posted without an allocation");
    if (recorded) state_.post_after_recording(index, std::move(deliver));
    else state_.post(index, std::move(deliver));
  }
}

void Fanout::tell(const std::vector<SessionRef>& whom, std::function<void(Member&)> tell) {
  if (whom.empty()) return;
  auto shared = std::make_shared<const std::function<void(Member&)>>(std::move(tell));
  for (LoopIndex index = 0; index < state_.loop_count(); ++index) {
    std::vector<std::uint64_t> ids;
    for (SessionRef w : whom) {
      if (w.loop == index) ids.push_back(w.id);
    }
    if (ids.empty()) continue;
    state_.post(index, [this, index, ids = std::move(ids), shared] {
      state_.loop(index).sessions.for_each(ids, [&](LocalSession& s) { (*shared)(*s.member); });
    });
  }
}

void Fanout::tell(WatchNotices notices) {
  for (auto& [watchers, notice] : notices.notices) {
    tell(watchers, [notice = std::move(notice)](Member& m) { m.on_watch_notice(notice); });
  }
}

void Fanout::release_names(SessionRef who) {
  state_.post(HubState::kRegistryLoop, [this, who] {
    WatchNotices notices;
    state_.directory().release(who, notices);
    if (state_.backplane) state_.backplane->names_released(who);
    tell(std::move(notices));
  });
}

}  // namespace parley::core
