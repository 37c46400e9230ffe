#include "core/presence_requests.h"

#include <algorithm>

#include "core/shown_text.h"
#include "core/unicode.h"

namespace parley::core {

LocalSession* PresenceRequests::named(SessionRef who) {
  LocalSession* s = state_.find(who);
  return s && !s->identity->display.empty() ? s : nullptr;
}

Result<Done> PresenceRequests::publish(LocalSession& s, std::optional<ProfileNotice::Change> announce) {
  const SessionRef who = s.ref;
  const std::uint64_t seq = announce ? ++s.presence_changes : 0;
  state_.post(HubState::kRegistryLoop, [this, who, identity = s.identity] {
    state_.directory().update(who, identity);
    if (state_.backplane) state_.backplane->publish_presence(who, identity);  // for WHOIS on other nodes
    state_.enforce_bans(who, *identity);  // an account banned, logged in to
  });
  std::optional<RoomEvent::Payload> payload;
  if (announce == ProfileNotice::Change::away) payload = RoomEvent::AwayChanged{seq};
  if (announce == ProfileNotice::Change::real_name) payload = RoomEvent::RealNameChanged{seq};
  if (announce == ProfileNotice::Change::account) payload = RoomEvent::AccountChanged{seq};
  // Rooms still being joined are included: the update reaches each room's home
  // loop after the join, since posts from one loop keep their order.
  for (const std::string& room : s.room_keys) {
    state_.fanout().change_room(Ticket{}, room, [who, identity = s.identity, payload](Room& r) {
      return r.update_profile(who, identity, payload);
    });
  }
  if (announce) {
    ProfileNotice notice{*announce, who, seq, s.identity};
    state_.post(HubState::kRegistryLoop, [this, who, notice = std::move(notice)] {
      state_.fanout().tell(state_.directory().watchers_of(who), [notice](Member& m) { m.on_watched_profile(notice); });
    });
  }
  return Done{};
}

Result<Done> PresenceRequests::set_away(SessionRef who, std::string message) {
  LocalSession* s = named(who);
  if (!s) return Refusal::no_such_user;
  message = fit_to_show(message, state_.limits().away_chars);
  if (s->identity->presence.away == message) return Done{};
  s->changed_identity().presence.away = std::move(message);
  return publish(*s, ProfileNotice::Change::away);
}

Result<Done> PresenceRequests::set_real_name(SessionRef who, std::string real_name) {
  LocalSession* s = named(who);
  if (!s) return Refusal::no_such_user;
  if (real_name.empty() || !is_fit_to_show(real_name, state_.limits().real_name_chars)) {
    return Refusal::real_name_invalid;
  }
  // Kept through renames: later claims complete the identity with it. While
  // a claim is out, the profile it took stays as it was.
  if (!s->profile && s->claim_in_flight) s->profile = std::make_unique<Profile>(s->claim_profile());
  if (s->profile) s->profile->real_name = real_name;
  else s->real_name_given = true;
  if (s->identity->real_name == real_name) return Done{};
  s->changed_identity().real_name = std::move(real_name);
  return publish(*s, ProfileNotice::Change::real_name);
}

Result<Done> PresenceRequests::set_account(SessionRef who, std::string account, std::int64_t deletions_seen) {
  LocalSession* s = named(who);
  if (!s) return Refusal::no_such_user;
  s->account_deletions_seen = deletions_seen;
  if (s->identity->presence.account == account) return Done{};
  s->changed_identity().presence.account = std::move(account);
  return publish(*s, ProfileNotice::Change::account);
}

Result<Done> PresenceRequests::set_bot(SessionRef who, bool on) {
  LocalSession* s = named(who);
  if (!s) return Refusal::no_such_user;
  if (s->identity->presence.bot == on) return Done{};
  s->changed_identity().presence.bot = on;
  return publish(*s, std::nullopt);
}

Result<Done> PresenceRequests::set_invisible(SessionRef who, bool on) {
  LocalSession* s = named(who);
  if (!s) return Refusal::no_such_user;
  if (s->identity->presence.invisible == on) return Done{};
  s->changed_identity().presence.invisible = on;
  return publish(*s, std::nullopt);
}

Result<Done> PresenceRequests::set_operator_notices(SessionRef who, bool on) {
  LocalSession* s = named(who);
  if (!s) return Refusal::no_such_user;
  if (s->identity->presence.operator_notices == on) return Done{};
  s->changed_identity().presence.operator_notices = on;
  return publish(*s, std::nullopt);
}

Result<Done> PresenceRequests::notice_to_all(SessionRef who, std::string text) {
  LocalSession* s = named(who);
  if (!s) return Refusal::no_such_user;
  if (!s->identity->presence.server_operator) return Refusal::not_server_operator;
  // The registry knows everyone's presence; each hearer is told on its loop.
  OperatorNotice notice{s->identity, std::move(text)};
  state_.post(HubState::kRegistryLoop, [this, notice = std::move(notice)] {
    state_.fanout().tell(state_.directory().hearing_operator_notices(),
                         [notice](Member& m) { m.on_operator_notice(notice); });
  });
  return Done{};
}

Result<Done> PresenceRequests::become_server_operator(SessionRef who, std::string_view name,
                                                      std::string_view password) {
  LocalSession* s = named(who);
  if (!s) return Refusal::no_such_user;
  if (state_.operator_logins.empty()) return Refusal::no_operator_logins;
  // Every login is compared in full, so the time taken tells nothing about
  // which names exist or how much of a password was right.
  bool match = false;
  for (const OperatorLogin& login : state_.operator_logins) {
    const bool same_name = same_secret(login.name, name);
    const bool same_password = same_secret(login.password, password);
    match = match || (same_name && same_password);
  }
  if (!match) return Refusal::wrong_password;
  return grant_server_operator(who);
}

Result<Done> PresenceRequests::grant_server_operator(SessionRef who) {
  LocalSession* s = named(who);
  if (!s) return Refusal::no_such_user;
  if (s->identity->presence.server_operator) return Done{};
  s->changed_identity().presence.server_operator = true;
  return publish(*s, std::nullopt);
}

Result<Done> PresenceRequests::stop_being_server_operator(SessionRef who) {
  LocalSession* s = named(who);
  if (!s) return Refusal::no_such_user;
  if (!s->identity->presence.server_operator) return Done{};
  s->changed_identity().presence.server_operator = false;
  return publish(*s, std::nullopt);
}

}  // namespace parley::core
