#pragma once
// A session's presence (core/presence.h: away, bot, invisible, server
// operator) and real name: decided on the session's own loop, then copied to
// the directory (lookups, WHOIS) and to every room the session is in (member
// lists). Rooms announce away and real-name changes as events (AwayChanged,
// RealNameChanged), and so do the session's watchers
// (Member::on_watched_profile); the other flags are not announced. Each
// refuses a session without a name yet (no_such_user).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hub_state.h"

namespace parley::core {

class PresenceRequests {
 public:
  explicit PresenceRequests(HubState& state) : state_(state) {}

  Result<Done> set_away(SessionRef who, std::string message);  // "" for back
  // Refused when empty, over HubLimits::real_name_chars, or holding control characters.
  Result<Done> set_real_name(SessionRef who, std::string real_name);
  // The account the session is logged in to ("" for none), checked by the
  // caller (auth::AccountService), with the login's deletions_seen (its
  // AccountAnswer's). Announced like away (AccountChanged).
  Result<Done> set_account(SessionRef who, std::string account, std::int64_t deletions_seen = 0);
  Result<Done> set_bot(SessionRef who, bool on);
  Result<Done> set_invisible(SessionRef who, bool on);
  Result<Done> set_operator_notices(SessionRef who, bool on);

  // Server operators. The logins are read-only once the loops run: set them before.
  void set_operator_logins(std::vector<OperatorLogin> logins) { state_.operator_logins = std::move(logins); }
  // no_operator_logins when none are configured; wrong_password for an unknown
  // name or a wrong password (alike, so names cannot be probed).
  Result<Done> become_server_operator(SessionRef who, std::string_view name, std::string_view password);
  Result<Done> stop_being_server_operator(SessionRef who);
  // A server operator's notice, to everyone who hears them (the sender too,
  // if it does), each on its own loop. not_server_operator for anyone else.
  Result<Done> notice_to_all(SessionRef who, std::string text);
  // Grants it after the caller checked a login itself (hashed passwords are
  // checked off the loops, by auth::AccountService::verify_operator).
  Result<Done> grant_server_operator(SessionRef who);

 private:
  // The session, if it has a name.
  LocalSession* named(SessionRef who);
  // Copies the session's identity to the directory and its rooms; `announce`
  // is the room event's payload that tells members, if any.
  Result<Done> publish(LocalSession& session, std::optional<ProfileNotice::Change> announce);

  HubState& state_;
};

}  // namespace parley::core
