#include "core/server_bans.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/mask.h"
#include "core/unicode.h"

namespace parley::core {
namespace {

bool is_account_ban(std::string_view mask) { return mask.starts_with(kAccountBanPrefix); }

std::string folded(std::string_view s) { return fold_key(s).value_or(std::string(s)); }

bool same_ban(std::string_view a, std::string_view b) {
  if (is_account_ban(a) != is_account_ban(b)) return false;
  return is_account_ban(a) ? folded(a) == folded(b) : same_mask(a, b);
}

}  // namespace

std::optional<std::string> normalize_server_ban(std::string_view mask) {
  if (is_account_ban(mask)) {
    const std::string_view account = mask.substr(kAccountBanPrefix.size());
    // An account name is a user name: no spaces, no controls, not empty.
    if (account.empty() || account.size() > 200 || !is_valid_utf8(account) || has_space(account) ||
        has_unsafe_code_point(account) || account.find(',') != std::string_view::npos)
      return std::nullopt;
    return std::string(mask);
  }
  if (mask.starts_with('$')) return std::nullopt;  // no other kinds
  return normalize_mask(mask);
}

bool server_ban_matches(const std::string& mask, const Identity& identity) {
  if (is_account_ban(mask)) {
    return !identity.presence.account.empty() &&
           folded(std::string_view(mask).substr(kAccountBanPrefix.size())) == folded(identity.presence.account);
  }
  if (identity.nick.empty()) return false;
  const auto subject = [&](const std::string& host) {
    return fmt::format("{}!{}@{}", identity.nick, identity.user.empty() ? "*" : identity.user, host.empty() ? "*" : host);
  };
  // A server operator bans by the address (what the log shows) or by the
  // cloak others see: both match.
  if (mask_matches(mask, subject(identity.host))) return true;
  return !identity.address.empty() && identity.address != identity.host && mask_matches(mask, subject(identity.address));
}

bool ServerBans::add(ServerBan ban) {
  auto it = std::find_if(bans_.begin(), bans_.end(), [&](const ServerBan& b) { return same_ban(b.mask, ban.mask); });
  if (it != bans_.end()) {
    *it = std::move(ban);
    return false;
  }
  bans_.push_back(std::move(ban));
  return true;
}

std::optional<ServerBan> ServerBans::remove(std::string_view mask) {
  auto it = std::find_if(bans_.begin(), bans_.end(), [&](const ServerBan& b) { return same_ban(b.mask, mask); });
  if (it == bans_.end()) return std::nullopt;
  ServerBan removed = std::move(*it);
  bans_.erase(it);
  return removed;
}

const ServerBan* ServerBans::match(const Identity& identity) const {
  for (const ServerBan& b : bans_) {
    if (server_ban_matches(b.mask, identity)) return &b;
  }
  return nullptr;
}

}  // namespace parley::core
