// Logging out every session of an account at once: when the account is
// deleted (NickServ DROP, or `parleyd account del` on the database of a
// running server, noticed by the daemon's sweep). Found where names are
// held (the registry loop), then each session's account is cleared on its
// own loop, where its rooms hear of it (account-notify "*"), and the session
// is told why.
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

}  // namespace parley::core
