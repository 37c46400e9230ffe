// Logging out every session of an account at once: when the account is
// deleted (NickServ DROP, or `parleyd account del` on the database of a
// running server, noticed by the daemon's sweep). Found where names are
// held (the registry loop), then each session's account is cleared on its
// own loop, where its rooms hear of it (account-notify "*"), and the session
// is told why.
#include <fmt/format.h>

#include <memory>

#include "core/hub.h"
#include "core/unicode.h"

namespace parley::core {
namespace {

std::string folded(const std::string& account) { return fold_key(account).value_or(account); }

}  // namespace

void Hub::log_out_account(std::string account_key, std::string reason) {
  state_.post(HubState::kRegistryLoop, [this, account_key = std::move(account_key), reason = std::move(reason)] {
    std::vector<SessionRef> sessions;
    state_.directory().for_each_user([&](SessionRef s, const Identity& identity) {
      if (!identity.presence.account.empty() && folded(identity.presence.account) == account_key) sessions.push_back(s);
    });
    for (SessionRef who : sessions) {
      state_.post(who.loop, [this, who, account_key, reason] {
        LocalSession* s = state_.find(who);
        // Logged in to another account meanwhile: not this one's to end.
        if (!s || s->identity->presence.account.empty() || folded(s->identity->presence.account) != account_key) return;
        presence_.set_account(who, {});
        s->member->on_logged_out(LoggedOut{reason});
      });
    }
  });
}

void Hub::accounts_in_use(std::function<void(std::vector<std::string>)> done) {
  state_.post(HubState::kRegistryLoop, [this, done = std::move(done)] {
    std::vector<std::string> keys;
    state_.directory().for_each_user([&](SessionRef, const Identity& identity) {
      if (!identity.presence.account.empty()) keys.push_back(folded(identity.presence.account));
    });
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    done(std::move(keys));
  });
}

// A deleted account leaves the registered rooms too: each loop looks at the
// rooms homed on it (their one owner), and keeps what changed. A running
// server must do this itself: it saves whole rooms, so a change made to the
// file behind its back (`parleyd account del`) would be written over.
void Hub::account_deleted(std::string account_key, std::string reason) {
  log_out_account(account_key, std::move(reason));
  for (LoopIndex index = 0; index < state_.loop_count(); ++index) {
    state_.post(index, [this, index, account_key] {
      std::vector<Room*> unregistered;
      for (auto& [key, room] : state_.loop(index).rooms) {
        if (!room.registered()) continue;
        const std::string founder = room.accounts_named().front();
        switch (room.forget_account(account_key)) {
          case Room::AccountGone::unchanged: break;
          case Room::AccountGone::left_access_list:
            state_.keep_room(room.record());
            state_.note(fmt::format("#{}: the deleted account {} left the access list.", room.display(), account_key));
            break;
          case Room::AccountGone::succeeded:
            state_.keep_room(room.record());
            state_.note(fmt::format("#{}: its founder's account {} was deleted; {} is its founder now.", room.display(),
                                    founder, room.record().founder));
            break;
          case Room::AccountGone::unregistered:
            state_.forget_room(key);
            state_.note(fmt::format("#{}: its founder's account {} was deleted, with nobody on its access list to "
                                    "succeed it; it is no longer registered.",
                                    room.display(), founder));
            unregistered.push_back(&room);
            break;
        }
      }
      // An empty room was kept only for its registration (after the loop: this erases).
      for (Room* room : unregistered) state_.drop_if_empty(*room);
    });
  }
}

void Hub::accounts_in_rooms(std::function<void(std::vector<std::string>)> done) {
  // Gathered loop by loop, in turn (one walk at a time: nothing is shared).
  struct Walk {
    std::vector<std::string> keys;
    std::function<void(std::vector<std::string>)> done;
  };
  auto walk = std::make_shared<Walk>(Walk{{}, std::move(done)});
  std::shared_ptr<std::function<void(LoopIndex)>> step = std::make_shared<std::function<void(LoopIndex)>>();
  *step = [this, walk, weak = std::weak_ptr<std::function<void(LoopIndex)>>(step)](LoopIndex index) {
    for (const auto& [key, room] : state_.loop(index).rooms) {
      for (const std::string& account : room.accounts_named()) walk->keys.push_back(folded(account));
    }
    if (index + 1 < state_.loop_count()) {
      if (auto next = weak.lock()) state_.post(index + 1, [next, index] { (*next)(index + 1); });
      return;
    }
    std::sort(walk->keys.begin(), walk->keys.end());
    walk->keys.erase(std::unique(walk->keys.begin(), walk->keys.end()), walk->keys.end());
    walk->done(std::move(walk->keys));
  };
  state_.post(0, [step] { (*step)(0); });
}

}  // namespace parley::core
