#include "core/hub.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/names.h"
#include "core/unicode.h"

namespace parley::core {

Hub::Hub(LoopPoster& poster, HubLimits limits)
    : state_(poster, std::move(limits)),
      rooms_(state_),
      directory_(state_),
      presence_(state_),
      history_(state_),
      bans_(state_),
      markers_(state_) {
  state_.remove_session = [this](SessionRef target, const Removal& removal) { remove_session(target, removal); };
}

void Hub::set_account_data(ReadMarkerRecords* markers, HistoryEdits* edits) {
  state_.read_markers = markers;
  state_.history_edits = edits;
}

void Hub::set_records(RoomRecords* rooms, BanRecords* bans, std::function<void(std::function<void()>)> offload,
                      bool shared) {
  state_.records_shared = shared;
  state_.room_records = rooms;
  state_.ban_records = bans;
  state_.offload = std::move(offload);
  // Before the loops run: nothing else touches their state yet.
  if (rooms) {
    for (const RoomRecord& record : rooms->load_rooms()) {
      if (Room* r = state_.room(record.key, record.name, true)) r->restore(record);
      // Registered before look-alike names were refused: kept, but not opened.
      else state_.note(fmt::format("The registered room #{} is not opened: its name looks like another registered "
                                   "room's.", record.name));
    }
  }
  if (bans) state_.bans().restore(bans->load_bans());
}

void Hub::set_log(std::function<void(const std::string&)> log) { state_.log = std::move(log); }

void Hub::set_wall_clock(std::function<WallTime()> clock) { state_.wall_clock = std::move(clock); }

void Hub::remove_session(SessionRef target, const Removal& removal) {
  LocalSession* t = state_.find(target);
  if (!t) return;
  t->member->on_removed(removal);  // says goodbye; closes later, on its own
  detach_closed_by(target, removal.banned ? "Banned from this server" : removal.reason, removal.by_nick);
}

void Hub::set_history(History* history, HistoryPolicy policy) { state_.set_history(history, policy); }

void Hub::set_backplane(Backplane* backplane) {
  state_.backplane = backplane;
  if (!backplane) return;
  backplane->attach([this](Ordered o) { state_.fanout().deliver_ordered(std::move(o)); });
  backplane->attach_resync([this](RemoteRoom r) { state_.fanout().resync(std::move(r)); });
  backplane->attach_private([this](PrivateMessage pm, std::string to_key) {
    state_.post(HubState::kRegistryLoop, [this, pm = std::move(pm), to_key = std::move(to_key)] {
      directory_.deliver_remote(pm, to_key);
    });
  });
  backplane->attach_name_news([this](std::string key, bool online, SharedIdentity who) {
    if (!who) return;
    state_.post(HubState::kRegistryLoop, [this, key = std::move(key), online, who = std::move(who)] {
      directory_.remote_name_news(key, online, *who);
    });
  });
  // On the registry loop like other nodes' private messages, so after the
  // line it takes back is recorded here (the same inbox brought it first).
  backplane->attach_private_redaction([this](PrivateRedaction redaction, std::string other_account) {
    state_.post(HubState::kRegistryLoop, [this, redaction = std::move(redaction),
                                          other_account = std::move(other_account)] {
      directory_.redaction_from_another_node(redaction, other_account);
    });
  });
  RemoteLookups lookups;
  lookups.details = [this](std::string key, LookupAsker asker, std::function<void(std::optional<UserDetails>)> reply) {
    state_.post(HubState::kRegistryLoop, [this, key = std::move(key), asker = std::move(asker),
                                          reply = std::move(reply)]() mutable {
      directory_.answer_details(key, std::move(asker), std::move(reply));
    });
  };
  lookups.users = [this](std::string mask, std::size_t max, LookupAsker asker,
                         std::function<void(std::vector<Identity>)> reply) {
    state_.post(HubState::kRegistryLoop, [this, mask = std::move(mask), max, asker = std::move(asker),
                                          reply = std::move(reply)]() mutable {
      directory_.answer_users(mask, max, std::move(asker), std::move(reply));
    });
  };
  lookups.rooms = [this](std::function<void(std::vector<RoomSummary>)> reply) {
    rooms_.answer_rooms(std::move(reply));
  };
  backplane->attach_lookups(std::move(lookups));
  // Names left here, for other nodes' WHOWAS (on the registry loop, the directory's).
  state_.directory().on_name_left([backplane](const PastUser& past, const std::vector<std::string>& keys) {
    backplane->name_left(past, keys);
  });
  backplane->attach_ban_news([this](ServerBan ban, bool added) {
    state_.post(HubState::kRegistryLoop, [this, ban = std::move(ban), added]() mutable {
      bans_.apply_remote(std::move(ban), added);
    });
  });
  backplane->attach_registration_news([this](RoomRecord record) {
    const LoopIndex home = state_.home_of(record.key);
    state_.post(home, [this, record = std::move(record)] { rooms_.apply_remote_registration(record); });
  });
  backplane->attach_netsplit_over([this](std::string id, std::uint64_t round) {
    state_.fanout().netsplit_over(id, round);
  });
  backplane->attach_rejoin([this](std::shared_ptr<const Netjoin> netjoin) {
    for (LoopIndex loop = 0; loop < state_.loop_count(); ++loop) {
      state_.post(loop, [this, loop, netjoin] {
        state_.loop(loop).sessions.for_all([this, &netjoin](LocalSession& s) {
          if (s.identity->display.empty() || s.room_keys.empty()) return;
          // A name being replaced (lost to another node) first: the others
          // must see the session join under the name it keeps.
          if (s.claim_in_flight || s.has_claims()) s.unsettled().rejoin = netjoin;
          else rejoin_rooms(s, netjoin);
        });
      });
    }
  });
  backplane->attach_lost_name([this](SessionRef who, std::string key) {
    state_.post(who.loop, [this, who, key = std::move(key)] {
      // Only if it still goes by that name (a rename may have come first).
      LocalSession* s = state_.find(who);
      if (!s || s->identity->display.empty()) return;
      if (fold_key(s->identity->display).value_or("") != key && fold_key(s->identity->nick).value_or("") != key) return;
      s->member->on_name_lost(*s->identity);
    });
  });
}

SessionRef Hub::attach(LoopIndex loop, Member& member, Profile profile) {
  LocalSession& s = state_.loop(loop).sessions.add(member, state_.no_identity());
  if (profile != Profile{}) s.profile = std::make_unique<Profile>(std::move(profile));
  s.signed_on = s.last_spoke = state_.wall_clock();
  return s.ref;
}

void Hub::set_profile(SessionRef who, Profile profile) {
  if (LocalSession* s = state_.find(who)) s->profile = std::make_unique<Profile>(std::move(profile));
}

void Hub::detach(SessionRef who, std::string reason, Ending how) {
  detach_closed_by(who, std::move(reason), {}, how);
}

void Hub::detach_closed_by(SessionRef who, std::string reason, std::string closed_by, Ending how) {
  auto record = state_.loop(who.loop).sessions.remove(who.id);
  if (record.empty()) return;
  const LocalSession& s = record.mapped();
  for (const std::string& key : s.room_keys) {
    state_.fanout().change_room(Ticket{}, key, [who, reason, closed_by, how](Room& room) {
      return room.leave(who, reason, true, closed_by, how);
    });
  }
  if (!s.identity->display.empty()) state_.fanout().release_names(who);
}

std::vector<std::string> Hub::rooms_of(SessionRef who) const {
  const LocalSession* s = state_.find(who);
  return s ? s->room_keys : std::vector<std::string>();
}

const Identity& Hub::identity_of(SessionRef who) const {
  const LocalSession* s = state_.find(who);
  return s ? *s->identity : *state_.no_identity();
}

CommandId Hub::begin_command(SessionRef who) {
  LocalSession* s = state_.find(who);
  if (!s) return 0;
  s->dispatching = s->cause = ++s->commands;
  return s->dispatching;
}

bool Hub::end_command(SessionRef who) {
  LocalSession* s = state_.find(who);
  if (!s) return true;
  const CommandId command = std::exchange(s->dispatching, 0);
  s->cause = 0;
  return !s->outstanding(command);
}

// --- names ----------------------------------------------------------------------

void Hub::claim_name(SessionRef who, std::string_view raw, Callback<Identity> done) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  // One claim at a time per session, in the order asked: two quick renames
  // must not race each other in the registry.
  const Ticket ticket = state_.answers().open(*s);
  s->unsettled().claims.push_back({std::string(raw), std::move(done), ticket.cause});
  pump_claims(who);
}

void Hub::pump_claims(SessionRef who) {
  // Re-found after each answer: an answer may claim again, or detach.
  for (LocalSession* s = state_.find(who); s && !s->claim_in_flight && s->has_claims(); s = state_.find(who)) {
    auto checked = check_user_name(s->pending->claims.front().raw, state_.limits().name_chars);
    if (!checked.ok()) {
      finish_claim(*s, checked.refusal());
      continue;
    }
    const auto& reserved = state_.limits().reserved_names;
    if (std::find(reserved.begin(), reserved.end(), checked.value().key) != reserved.end()) {
      finish_claim(*s, Refusal::name_in_use);  // a service's name: always in use
      continue;
    }
    if (s->identity->display == checked.value().display) {
      finish_claim(*s, s->identity);
      continue;
    }
    s->claim_in_flight = true;
    state_.post(HubState::kRegistryLoop, [this, who, name = std::move(checked.value()), profile = s->claim_profile()] {
      Backplane* cluster = state_.backplane;
      if (!cluster) {
        settle_claim(who, name, profile, true);
        return;
      }
      // In a cluster the name must be free on every node (its lease) first,
      // and so must the IRC nick made from it: one key space for both, as
      // the registry here has (a text "Raj Ingle" holds "raj_ingle" too).
      auto settle = [this, who, name, profile](bool free) {
        state_.post(HubState::kRegistryLoop, [this, who, name, profile, free] {
          const bool taken = settle_claim(who, name, profile, free);
          state_.backplane->name_settled(who, name.key, taken);
        });
      };
      const std::string nick_key =
          fold_key(nick_for(name.display, state_.limits().nick_chars)).value_or(name.key);
      cluster->lease_name(who, name.key, [this, who, nick_key, key = name.key, settle](bool free) {
        if (!free || nick_key == key) return settle(free);
        state_.post(HubState::kRegistryLoop, [this, who, nick_key, settle] {
          state_.backplane->lease_name(who, nick_key, settle);
        });
      });
    });
  }
  // Its rooms announced again once its names are settled (attach_rejoin).
  LocalSession* s = state_.find(who);
  if (s && !s->claim_in_flight && !s->has_claims() && s->pending && s->pending->rejoin) {
    rejoin_rooms(*s, std::exchange(s->pending->rejoin, nullptr));
    s->release_if_settled();
  }
}

void Hub::rejoin_rooms(LocalSession& s, const std::shared_ptr<const Netjoin>& netjoin) {
  for (const std::string& key : s.room_keys) {
    if (s.is_joining(key)) continue;  // its join is on its way
    state_.fanout().change_room(Ticket{}, key, [who = s.ref, netjoin](Room& room) { return room.rejoin(who, netjoin); });
  }
}

bool Hub::settle_claim(SessionRef who, const CheckedName& name, const Profile& profile, bool free) {
  WatchNotices notices;
  auto result = free ? state_.directory().claim(who, name, profile, notices)
                     : Result<SharedIdentity>(Refusal::name_in_use);  // another node holds it
  state_.fanout().tell(std::move(notices));
  // A server ban ends the session instead of answering the claim.
  if (result.ok() && state_.enforce_bans(who, *result.value())) return false;
  const bool taken = result.ok();
  if (taken && state_.backplane) state_.backplane->publish_presence(who, result.value());  // WHOIS elsewhere
  state_.post(who.loop, [this, who, profile, result = std::move(result)]() mutable {
    LocalSession* s = state_.find(who);
    if (!s) {  // gone meanwhile: give the name back
      if (result.ok()) state_.fanout().release_names(who);
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
  return taken;
}

void Hub::finish_claim(LocalSession& s, Result<SharedIdentity> result) {
  auto& claims = s.pending->claims;
  LocalSession::Claim claim = std::move(claims.front());
  claims.erase(claims.begin());
  const Ticket ticket{s.ref, claim.cause};
  if (result.ok()) {
    SharedIdentity fresh = std::move(result.value());
    if (fresh->presence != s.identity->presence) {
      // The session's own presence, however the registry's copy lags.
      auto adjusted = std::make_shared<Identity>(*fresh);
      adjusted->presence = s.identity->presence;
      fresh = std::move(adjusted);
    }
    const SharedIdentity old = std::exchange(s.identity, std::move(fresh));
    result = s.identity;
    if (!old->display.empty() && *old != *s.identity) {
      // The renames answer the claim's command too: opened under its cause.
      const CommandId saved = std::exchange(s.cause, claim.cause);
      for (const std::string& room : s.room_keys) {
        state_.fanout().change_room(state_.answers().open(s), room, [who = s.ref, identity = s.identity](Room& r) {
          return r.rename(who, identity);
        });
      }
      s.cause = saved;
    }
  }
  // Last: the callback may claim again or detach, and `s` with it.
  state_.answers().with_cause(ticket.who, ticket.cause, [&] {
    if (result.ok()) claim.done(*result.value());
    else claim.done(result.refusal());
  });
  state_.answers().finish(ticket);
}

void Hub::await_outside(SessionRef who, const std::function<void(Reply)>& start, bool answers_command) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  const Ticket ticket = answers_command ? state_.answers().open(*s) : Ticket{who, 0};
  // Answers::answer only posts, which LoopPoster allows from any thread.
  start([this, ticket](std::function<void()> fn) {
    state_.answers().answer(ticket, [fn = std::move(fn)](LocalSession&) { fn(); });
  });
}

// --- server operators -----------------------------------------------------------

void Hub::remove_user(SessionRef who, std::string_view target, std::string reason, Callback<Identity> done) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  if (!s->identity->presence.server_operator) return done(Refusal::not_server_operator);
  auto name = check_user_name(target, state_.limits().name_chars);
  if (!name.ok()) return done(Refusal::no_such_user);
  Removal removal{s->identity->display, s->identity->nick, std::move(reason)};
  const Ticket ticket = state_.answers().open(*s);
  state_.post(HubState::kRegistryLoop, [this, ticket, key = name.value().key, removal = std::move(removal),
                                        done = std::move(done)]() mutable {
    auto holder = state_.directory().find(key);
    if (!holder) return state_.answers().reply<Identity>(ticket, std::move(done), Refusal::no_such_user);
    state_.post(holder->owner.loop, [this, ticket, target = holder->owner, removal = std::move(removal),
                                     done = std::move(done)]() mutable {
      LocalSession* t = state_.find(target);
      if (!t) return state_.answers().reply<Identity>(ticket, std::move(done), Refusal::no_such_user);
      const Identity removed = *t->identity;
      remove_session(target, removal);
      state_.answers().reply<Identity>(ticket, std::move(done), removed);
    });
  });
}

}  // namespace parley::core
