// Logging out every session of an account at once: when the account is
// deleted (NickServ DROP, or `parleyd account del` on the database of a
// running server, read from the store's record of deletions). Found where
// names are held (the registry loop), then each session's account is cleared
// on its own loop, where its rooms hear of it (account-notify "*"), and the
// session is told why.
#include <fmt/format.h>

#include "core/hub.h"
#include "core/unicode.h"

namespace parley::core {
namespace {

std::string folded(const std::string& account) { return fold_key(account).value_or(account); }

}  // namespace

void Hub::log_out_account(std::string account_key, std::string reason, std::int64_t deletion) {
  state_.post(HubState::kRegistryLoop, [this, account_key = std::move(account_key), reason = std::move(reason),
                                        deletion] {
    std::vector<SessionRef> sessions;
    state_.directory().for_each_user([&](SessionRef s, const Identity& identity) {
      if (!identity.presence.account.empty() && folded(identity.presence.account) == account_key) sessions.push_back(s);
    });
    for (SessionRef who : sessions) {
      state_.post(who.loop, [this, who, account_key, reason, deletion] {
        LocalSession* s = state_.find(who);
        // Logged in to another account meanwhile: not this one's to end.
        if (!s || s->identity->presence.account.empty() || folded(s->identity->presence.account) != account_key) return;
        // Logged in after the deletion: to the name registered again.
        if (s->account_deletions_seen >= deletion) return;
        presence_.set_account(who, {});
        s->member->on_logged_out(LoggedOut{reason});
      });
    }
  });
}

// A deleted account leaves the registered rooms too: each loop looks at the
// rooms homed on it (their one owner), and keeps what changed. A running
// server must do this itself: it saves whole rooms, so a change made to the
// file behind its back (`parleyd account del`) would be written over.
void Hub::account_deleted(std::string account_key, std::int64_t deletion, std::string reason) {
  log_out_account(account_key, std::move(reason), deletion);
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

}  // namespace parley::core
