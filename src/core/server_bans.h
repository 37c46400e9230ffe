#pragma once
// Server-wide bans (K-lines): who may not use the server at all. A ban names
// either an address mask, nick!user@host with '*' and '?' (core/mask.h), or
// an account, "$a:NAME". Owned by the registry loop (HubState), which checks
// every name claimed and every identity published against it; server
// operators are never disconnected by one, so a mask too wide can be undone.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/kept_records.h"
#include "core/name_registry.h"

namespace parley::core {

inline constexpr std::string_view kAccountBanPrefix = "$a:";

// The ban's mask as kept: an address mask completed ("bad" -> "bad!*@*") or
// "$a:" and an account name. nullopt when it cannot be used (empty, over 200
// bytes, spaces, control characters, more than one '!' or '@', an empty
// account name).
std::optional<std::string> normalize_server_ban(std::string_view mask);

// Whether `mask` (normalized) applies to `identity`.
bool server_ban_matches(const std::string& mask, const Identity& identity);

// How long a temporary ban lasts, as operators write it: a number and a unit,
// s(econds), m(inutes), h(ours), d(ays) or w(eeks); a bare number is minutes
// (as IRC servers read KLINE's). nullopt when not a duration, zero, or longer
// than kLongestTemporaryBan.
inline constexpr std::chrono::seconds kLongestTemporaryBan = std::chrono::hours(24 * 365);
std::optional<std::chrono::seconds> parse_ban_duration(std::string_view text);
// "10m", "2h30m": the shortest way to say a duration in those units.
std::string describe_ban_duration(std::chrono::seconds duration);

class ServerBans {
 public:
  // Before the loops run: what was kept.
  void restore(std::vector<ServerBan> bans) { bans_ = std::move(bans); }
  // Adds the ban, or replaces the reason of one with the same mask; true when new.
  bool add(ServerBan ban);
  // The ban removed, or nullopt when none has that mask.
  std::optional<ServerBan> remove(std::string_view mask);
  // The first ban that applies to `identity`, or null. Bans expired by `now`
  // apply to nobody (expire() removes them).
  const ServerBan* match(const Identity& identity, WallTime now = WallTime::min()) const;
  // The ban on `account` ("$a:" bans, the name folded), or null.
  const ServerBan* on_account(std::string_view account, WallTime now = WallTime::min()) const;
  // Removes the bans expired by `now`; yields them.
  std::vector<ServerBan> expire(WallTime now);
  const std::vector<ServerBan>& all() const { return bans_; }

 private:
  std::vector<ServerBan> bans_;  // oldest first
};

}  // namespace parley::core
