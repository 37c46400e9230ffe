#include "core/directory_requests.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>

#include "core/mask.h"
#include "core/message_id.h"
#include "core/names.h"

namespace parley::core {

void DirectoryRequests::ask_registry(SessionRef who, std::function<void(Ticket)> ask) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  state_.post(HubState::kRegistryLoop, [ticket = state_.answers().open(*s), ask = std::move(ask)] { ask(ticket); });
}

DirectoryRequests::Sent DirectoryRequests::private_message(SessionRef who, std::string_view target, Speech speech,
                                                           std::string text, Callback<Identity> done,
                                                           std::string client_tags) {
  LocalSession* s = state_.find(who);
  if (!s) return {};
  auto name = check_user_name(target, state_.limits().name_chars);
  if (!name.ok()) {
    done(Refusal::no_such_user);
    return {};
  }
  if (speech != Speech::tagged) s->last_spoke = state_.wall_clock();  // WHOIS's idle time
  // The sender's loop and id, and a count of its messages: unique without asking anyone.
  const WallTime now = std::chrono::system_clock::now();
  std::string id = timed_message_id(
      fmt::format("p{}-{:x}-{:x}-{:x}", state_.id_stamp(), who.loop, who.id, ++s->private_sent), now);
  const Sent sent{id, now};
  PrivateMessage pm{who, s->identity, {}, {}, speech, std::move(text), sent.time, id, std::move(client_tags)};
  ask_registry(who, [this, key = name.value().key, pm = std::move(pm), done = std::move(done)](Ticket ticket) mutable {
    auto holder = state_.directory().find(key);
    if (!holder && state_.backplane) return send_remote(ticket, key, std::move(pm), std::move(done));
    if (!holder) return state_.answers().reply<Identity>(ticket, std::move(done), Refusal::no_such_user);
    pm.to_name = holder->identity.display;
    pm.to_nick = holder->identity.nick;
    // Kept here, in the order the registry routes them (see history_line).
    bool recorded = false;
    if (state_.history) {
      if (auto line = history_line(pm, holder->identity.presence.account)) recorded = state_.history->record(*line);
    }
    Task deliver = [this, ticket, target = holder->owner, pm = std::move(pm), done = std::move(done)]() mutable {
      LocalSession* t = state_.find(target);
      if (!t) return state_.answers().reply<Identity>(ticket, std::move(done), Refusal::no_such_user);
      t->member->on_private_message(pm);
      state_.answers().reply<Identity>(ticket, std::move(done), *t->identity);
    };
    if (recorded) state_.post_after_recording(holder->owner.loop, std::move(deliver));
    else state_.post(holder->owner.loop, std::move(deliver));
  });
  return sent;
}

void DirectoryRequests::find_user(SessionRef who, std::string_view name, Callback<Identity> done) {
  auto checked = check_user_name(name, state_.limits().name_chars);
  if (!checked.ok()) return done(Refusal::no_such_user);
  ask_registry(who, [this, key = checked.value().key, done = std::move(done)](Ticket ticket) mutable {
    auto holder = state_.directory().find(key);
    if (!holder && state_.backplane) {
      // Held on another node, perhaps: as that node published it.
      auto shared_done = std::make_shared<Callback<Identity>>(std::move(done));
      return state_.backplane->find_remote(key, [this, ticket, shared_done](SharedIdentity found) {
        if (!found) return state_.answers().reply<Identity>(ticket, std::move(*shared_done), Refusal::no_such_user);
        state_.answers().reply<Identity>(ticket, std::move(*shared_done), *found);
      });
    }
    if (!holder) return state_.answers().reply<Identity>(ticket, std::move(done), Refusal::no_such_user);
    state_.answers().reply<Identity>(ticket, std::move(done), std::move(holder->identity));
  });
}

void DirectoryRequests::user_details(SessionRef who, std::string_view name, Callback<UserDetails> done) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  auto checked = check_user_name(name, state_.limits().name_chars);
  if (!checked.ok()) return done(Refusal::no_such_user);
  // Registry (who holds the name), then the holder's loop (its record: rooms,
  // times), then each room's home loop (roles, secrecy, whether the asker is
  // in it too). The parts are gathered on the asker's loop, which alone
  // touches them; rooms keep the order the user joined them in.
  struct Gather {
    std::optional<UserDetails> details;
    Callback<UserDetails> done;
  };
  auto gather = std::make_shared<Gather>();
  gather->done = std::move(done);
  const bool asker_sees_all = s->identity->presence.server_operator;
  const Ticket ticket = state_.answers().open(*s);
  auto finish = [this, ticket, gather] {
    Result<UserDetails> result = Refusal::no_such_user;
    if (gather->details) result = std::move(*gather->details);
    state_.answers().with_cause(ticket.who, ticket.cause, [&] { gather->done(std::move(result)); });
    state_.answers().finish(ticket);
  };
  // A secret room is listed only when the asker is in it too or is a server operator.
  RoomFilter may_see = [asker = ticket.who, asker_sees_all](const Room& r) {
    return !r.settings().secret || asker_sees_all || r.contains(asker);
  };
  LookupAsker remote_asker{s->room_keys, asker_sees_all};
  state_.post(HubState::kRegistryLoop, [this, ticket, key = checked.value().key, gather, finish, may_see,
                                        remote_asker = std::move(remote_asker)] {
    auto holder = state_.directory().find(key);
    if (!holder && state_.backplane) {
      // On another node: as its node tells it, or, if it does not answer in
      // time, as Redis has it (no rooms; signed on and idle as of now).
      return state_.backplane->remote_details(key, remote_asker, [this, ticket, gather, finish](RemoteDetails found) {
        const WallTime now = state_.wall_clock();
        state_.post(ticket.who.loop, [gather, finish, found = std::move(found), now]() mutable {
          if (found.details) gather->details = std::move(*found.details);
          else if (found.identity) gather->details = UserDetails{*found.identity, {}, now, now, now};
          finish();
        });
      });
    }
    if (!holder) return state_.post(ticket.who.loop, finish);
    state_.post(holder->owner.loop, [this, ticket, target = holder->owner, gather, finish, may_see] {
      const LocalSession* t = state_.find(target);
      if (!t) return state_.post(ticket.who.loop, finish);
      UserDetails details{*t->identity, {}, t->signed_on, t->last_spoke, state_.wall_clock()};
      state_.post(ticket.who.loop, [this, ticket, gather, finish, may_see, target, keys = t->room_keys,
                                    details = std::move(details)]() mutable {
        gather->details = std::move(details);
        rooms_seen(ticket.who.loop, target, std::move(keys), may_see,
                   [gather, finish](std::vector<UserDetails::InRoom> rooms) {
                     gather->details->rooms = std::move(rooms);
                     finish();
                   });
      });
    });
  });
}

void DirectoryRequests::rooms_seen(LoopIndex at, SessionRef target, std::vector<std::string> keys, RoomFilter may_see,
                                   std::function<void(std::vector<UserDetails::InRoom>)> done) {
  struct Gather {
    std::vector<std::optional<UserDetails::InRoom>> rooms;  // per key; empty: hidden, or not in it after all
    std::size_t remaining = 0;
    std::function<void(std::vector<UserDetails::InRoom>)> done;
  };
  if (keys.empty()) return done({});
  auto gather = std::make_shared<Gather>();
  gather->rooms.resize(keys.size());
  gather->remaining = keys.size();
  gather->done = std::move(done);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    state_.post(state_.home_of(keys[i]), [this, at, target, key = keys[i], i, gather, may_see] {
      std::optional<UserDetails::InRoom> in;
      if (const Room* r = state_.room(key); r && r->contains(target) && may_see(*r))
        in = UserDetails::InRoom{r->display(), r->is_op(target), r->is_voiced(target)};
      state_.post(at, [gather, i, in = std::move(in)]() mutable {
        gather->rooms[i] = std::move(in);
        if (--gather->remaining > 0) return;
        std::vector<UserDetails::InRoom> rooms;
        for (auto& room : gather->rooms) {
          if (room) rooms.push_back(std::move(*room));
        }
        gather->done(std::move(rooms));
      });
    });
  }
}

void DirectoryRequests::find_users(SessionRef who, std::string_view mask, std::size_t max,
                                   Callback<std::vector<Identity>> done) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  auto normal = normalize_mask(mask);
  if (!normal) return done(std::vector<Identity>());
  // The registry finds the matches; the invisible among them are shown when
  // one of the asker's rooms (asked on their home loops) has them too. In a
  // cluster, every other node lists its own matches for the asker at once.
  // The parts are gathered on the asker's loop, which alone touches them.
  struct Gather {
    std::vector<Identity> found;
    std::vector<FoundUser> invisible;
    std::vector<bool> shared;
    std::vector<Identity> remote;
    std::size_t remaining = 0;  // rooms still asked
    std::size_t parts = 0;      // this node's part, and the other nodes'
    std::size_t max = 0;
    Callback<std::vector<Identity>> done;
  };
  auto gather = std::make_shared<Gather>();
  gather->max = max;
  gather->parts = state_.backplane ? 2 : 1;
  gather->done = std::move(done);
  const Ticket ticket = state_.answers().open(*s);
  auto part_done = [this, ticket, gather] {
    if (--gather->parts > 0) return;
    for (std::size_t i = 0; i < gather->invisible.size(); ++i) {
      if (gather->shared[i]) gather->found.push_back(std::move(gather->invisible[i].identity));
    }
    auto& found = gather->found;
    std::move(gather->remote.begin(), gather->remote.end(), std::back_inserter(found));
    std::sort(found.begin(), found.end(), [](const Identity& a, const Identity& b) { return a.nick < b.nick; });
    if (found.size() > gather->max) found.resize(gather->max);
    state_.answers().with_cause(ticket.who, ticket.cause, [&] { gather->done(std::move(found)); });
    state_.answers().finish(ticket);
  };
  LookupAsker remote_asker{s->room_keys, s->identity->presence.server_operator};
  state_.post(HubState::kRegistryLoop, [this, ticket, mask = *normal, max, gather, part_done,
                                        remote_asker = std::move(remote_asker)] {
    if (state_.backplane) {
      state_.backplane->remote_users(mask, max, remote_asker, [this, ticket, gather, part_done](std::vector<Identity> users) {
        state_.post(ticket.who.loop, [gather, part_done, users = std::move(users)]() mutable {
          gather->remote = std::move(users);
          part_done();
        });
      });
    }
    std::vector<FoundUser> invisible;
    auto found = state_.directory().find_users(ticket.who, mask, max, &invisible);
    state_.post(ticket.who.loop, [this, ticket, gather, part_done, found = std::move(found),
                                  invisible = std::move(invisible)]() mutable {
      gather->found = std::move(found);
      gather->invisible = std::move(invisible);
      gather->shared.assign(gather->invisible.size(), false);
      LocalSession* asker = state_.find(ticket.who);
      if (gather->invisible.empty() || !asker || asker->room_keys.empty()) return part_done();
      std::vector<SessionRef> candidates;
      for (const auto& u : gather->invisible) candidates.push_back(u.who);
      gather->remaining = asker->room_keys.size();
      for (const std::string& key : asker->room_keys) {
        state_.post(state_.home_of(key), [this, ticket, key, candidates, gather, part_done] {
          std::vector<bool> in_room(candidates.size(), false);
          if (const Room* r = state_.room(key)) {
            for (std::size_t i = 0; i < candidates.size(); ++i) in_room[i] = r->contains(candidates[i]);
          }
          state_.post(ticket.who.loop, [gather, part_done, in_room = std::move(in_room)] {
            for (std::size_t i = 0; i < in_room.size(); ++i) {
              if (in_room[i]) gather->shared[i] = true;
            }
            if (--gather->remaining == 0) part_done();
          });
        });
      }
    });
  });
}

void DirectoryRequests::count_users(SessionRef who, Callback<UserCounts> done) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  // The registry counts names; each loop counts its connections, named or
  // not, and the rooms it is home to. Gathered on the asker's loop.
  struct Gather {
    UserCounts counts;
    std::size_t connections = 0;
    std::size_t rooms = 0;
    std::size_t remaining = 0;
    Callback<UserCounts> done;
  };
  auto gather = std::make_shared<Gather>();
  gather->remaining = state_.loop_count() + 1;
  gather->done = std::move(done);
  const Ticket ticket = state_.answers().open(*s);
  auto one_done = [this, ticket, gather] {
    if (--gather->remaining > 0) return;
    UserCounts& c = gather->counts;
    const std::size_t named = c.visible + c.invisible;
    c.unnamed = gather->connections > named ? gather->connections - named : 0;
    c.rooms = gather->rooms;
    state_.answers().with_cause(ticket.who, ticket.cause, [&] { gather->done(c); });
    state_.answers().finish(ticket);
  };
  state_.post(HubState::kRegistryLoop, [this, ticket, gather, one_done] {
    state_.post(ticket.who.loop, [gather, one_done, counts = state_.directory().counts()] {
      gather->counts = counts;
      one_done();
    });
  });
  for (LoopIndex index = 0; index < state_.loop_count(); ++index) {
    state_.post(index, [this, index, ticket, gather, one_done] {
      const LoopState& here = state_.loop(index);
      state_.post(ticket.who.loop, [gather, one_done, sessions = here.sessions.size(), rooms = here.rooms.size()] {
        gather->connections += sessions;
        gather->rooms += rooms;
        one_done();
      });
    });
  }
}

void DirectoryRequests::past_users(SessionRef who, std::string_view name, std::size_t count,
                                   Callback<std::vector<PastUser>> done) {
  auto checked = check_user_name(name, state_.limits().name_chars);
  if (!checked.ok()) return done(Refusal::no_such_user);
  ask_registry(who, [this, key = checked.value().key, count, done = std::move(done)](Ticket ticket) mutable {
    auto found = state_.directory().history(key, count);
    auto answer = [this, ticket](std::vector<PastUser> found, Callback<std::vector<PastUser>> done) {
      if (found.empty()) return state_.answers().reply<std::vector<PastUser>>(ticket, std::move(done), Refusal::no_such_user);
      state_.answers().reply<std::vector<PastUser>>(ticket, std::move(done), std::move(found));
    };
    // Names left on other nodes too, unless this node remembers none (name_history = 0).
    if (!state_.backplane || state_.limits().name_history == 0) return answer(std::move(found), std::move(done));
    auto shared_done = std::make_shared<Callback<std::vector<PastUser>>>(std::move(done));
    state_.backplane->remote_past(key, count, [this, answer, count, found = std::move(found),
                                               shared_done](std::vector<PastUser> remote) mutable {
      state_.post(HubState::kRegistryLoop, [answer, count, found = std::move(found), remote = std::move(remote),
                                            shared_done]() mutable {
        if (!remote.empty()) {
          // Both lists newest first; together, by the time each was left.
          std::move(remote.begin(), remote.end(), std::back_inserter(found));
          std::stable_sort(found.begin(), found.end(), [](const PastUser& a, const PastUser& b) { return a.left > b.left; });
          if (found.size() > count) found.resize(count);
        }
        answer(std::move(found), std::move(*shared_done));
      });
    });
  });
}

void DirectoryRequests::watch(SessionRef who, std::vector<std::string> names, Callback<WatchOutcome> done) {
  std::vector<std::pair<std::string, std::string>> checked;  // key, name as spelled
  for (auto& name : names) {
    auto c = check_user_name(name, state_.limits().name_chars);
    if (c.ok()) checked.emplace_back(c.value().key, std::move(name));
  }
  ask_registry(who, [this, checked = std::move(checked), done = std::move(done)](Ticket ticket) mutable {
    WatchOutcome outcome = state_.directory().watch(ticket.who, std::move(checked));
    if (!state_.backplane)
      return state_.answers().reply<WatchOutcome>(ticket, std::move(done), std::move(outcome));
    auto refused = std::make_shared<std::vector<std::string>>(std::move(outcome.refused));
    auto shared_done = std::make_shared<Callback<WatchOutcome>>(std::move(done));
    with_remote_holders(std::move(outcome.watched), [this, ticket, refused, shared_done](std::vector<WatchedName> list) {
      state_.answers().reply<WatchOutcome>(ticket, std::move(*shared_done), WatchOutcome{std::move(list), std::move(*refused)});
    });
  });
}

void DirectoryRequests::unwatch(SessionRef who, std::vector<std::string> names) {
  std::vector<std::string> keys;
  for (const auto& name : names) {
    if (auto c = check_user_name(name, state_.limits().name_chars); c.ok()) keys.push_back(c.value().key);
  }
  state_.post(HubState::kRegistryLoop, [this, who, keys = std::move(keys)] { state_.directory().unwatch(who, keys); });
}

void DirectoryRequests::unwatch_all(SessionRef who) {
  state_.post(HubState::kRegistryLoop, [this, who] { state_.directory().unwatch_all(who); });
}

void DirectoryRequests::watched(SessionRef who, Callback<std::vector<WatchedName>> done) {
  ask_registry(who, [this, done = std::move(done)](Ticket ticket) mutable {
    if (state_.backplane) {
      auto shared_done = std::make_shared<Callback<std::vector<WatchedName>>>(std::move(done));
      return with_remote_holders(state_.directory().watched(ticket.who), [this, ticket, shared_done](std::vector<WatchedName> list) {
        state_.answers().reply<std::vector<WatchedName>>(ticket, std::move(*shared_done), std::move(list));
      });
    }
    state_.answers().reply<std::vector<WatchedName>>(ticket, std::move(done), state_.directory().watched(ticket.who));
  });
}

void DirectoryRequests::tell_watchers(SessionRef subject, std::function<void(Member&)> tell) {
  state_.post(HubState::kRegistryLoop, [this, subject, tell = std::move(tell)]() mutable {
    state_.fanout().tell(state_.directory().watchers_of(subject), std::move(tell));
  });
}

// --- across nodes (docs/cluster.md) ----------------------------------------------

void DirectoryRequests::send_remote(Ticket ticket, const std::string& key, PrivateMessage pm,
                                    Callback<Identity> done) {
  // Registry loop: nobody here holds the name; the node holding its lease
  // gets the message, in the order this loop sends them. The sender's node
  // keeps it in its history as for a recipient here.
  auto shared_done = std::make_shared<Callback<Identity>>(std::move(done));
  state_.backplane->send_private(pm, key, [this, ticket, pm, shared_done](SharedIdentity to) mutable {
    state_.post(HubState::kRegistryLoop, [this, ticket, pm = std::move(pm), to = std::move(to), shared_done]() mutable {
      if (!to) return state_.answers().reply<Identity>(ticket, std::move(*shared_done), Refusal::no_such_user);
      pm.to_name = to->display;
      pm.to_nick = to->nick;
      bool recorded = false;
      if (state_.history) {
        if (auto line = history_line(pm, to->presence.account)) recorded = state_.history->record(*line);
      }
      Task answer = [this, ticket, to, shared_done] {
        state_.answers().reply<Identity>(ticket, std::move(*shared_done), *to);
      };
      if (recorded) state_.post_after_recording(ticket.who.loop, std::move(answer));
      else answer();
    });
  });
}

void DirectoryRequests::deliver_remote(PrivateMessage pm, const std::string& to_key) {
  // Registry loop: another node's message for a name held here. Kept in this
  // node's history too (each node keeps its own), then handed to the holder.
  auto holder = state_.directory().find(to_key);
  if (!holder) return;  // gone meanwhile: as a message to a user who just quit
  pm.to_name = holder->identity.display;
  pm.to_nick = holder->identity.nick;
  bool recorded = false;
  if (state_.history) {
    if (auto line = history_line(pm, holder->identity.presence.account)) recorded = state_.history->record(*line);
  }
  Task deliver = [this, target = holder->owner, pm = std::move(pm)] {
    if (LocalSession* t = state_.find(target)) t->member->on_private_message(pm);
  };
  if (recorded) state_.post_after_recording(holder->owner.loop, std::move(deliver));
  else state_.post(holder->owner.loop, std::move(deliver));
}

void DirectoryRequests::with_remote_holders(std::vector<WatchedName> list,
                                            std::function<void(std::vector<WatchedName>)> done) {
  // Registry loop. Each lookup's answer comes back here; the last one done
  // hands the list on.
  struct Pending {
    std::vector<WatchedName> list;
    std::size_t left = 1;
    std::function<void(std::vector<WatchedName>)> done;
  };
  auto pending = std::make_shared<Pending>(Pending{std::move(list), 1, std::move(done)});
  auto one_done = [pending] {
    if (--pending->left == 0) pending->done(std::move(pending->list));
  };
  for (std::size_t i = 0; i < pending->list.size(); ++i) {
    if (pending->list[i].holder) continue;
    auto checked = check_user_name(pending->list[i].name, state_.limits().name_chars);
    if (!checked.ok()) continue;
    ++pending->left;
    state_.backplane->find_remote(checked.value().key, [this, pending, i, one_done](SharedIdentity found) {
      state_.post(HubState::kRegistryLoop, [pending, i, one_done, found = std::move(found)] {
        if (found) pending->list[i].holder = *found;
        one_done();
      });
    });
  }
  one_done();
}

void DirectoryRequests::remote_name_news(const std::string& key, bool online, const Identity& who) {
  // Registry loop: a name taken or given up on another node. A name held here
  // is this node's to announce (its own claim and release do).
  if (state_.directory().find(key)) return;
  auto watchers = state_.directory().watchers_of_key(key);
  if (watchers.empty()) return;
  WatchNotices notices;
  notices.notices.emplace_back(std::move(watchers), WatchNotice{online, who});
  state_.fanout().tell(std::move(notices));
}

}  // namespace parley::core
