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

const ServerBan* ServerBans::match(const Identity& identity, WallTime now) const {
  for (const ServerBan& b : bans_) {
    if (!b.expired(now) && server_ban_matches(b.mask, identity)) return &b;
  }
  return nullptr;
}

const ServerBan* ServerBans::on_account(std::string_view account, WallTime now) const {
  if (account.empty()) return nullptr;
  const std::string key = folded(account);
  for (const ServerBan& b : bans_) {
    if (is_account_ban(b.mask) && !b.expired(now) && folded(std::string_view(b.mask).substr(kAccountBanPrefix.size())) == key)
      return &b;
  }
  return nullptr;
}

std::vector<ServerBan> ServerBans::expire(WallTime now) {
  std::vector<ServerBan> gone;
  for (const ServerBan& b : bans_) {
    if (b.expired(now)) gone.push_back(b);
  }
  std::erase_if(bans_, [&](const ServerBan& b) { return b.expired(now); });
  return gone;
}

std::optional<std::chrono::seconds> parse_ban_duration(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || text.size() - digits > 1) return std::nullopt;
  std::int64_t n = 0;
  for (std::size_t i = 0; i < digits; ++i) n = n * 10 + (text[i] - '0');
  std::int64_t unit = 60;  // a bare number: minutes
  if (digits < text.size()) {
    switch (text.back()) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      case 'w': unit = 7 * 86400; break;
      default: return std::nullopt;
    }
  }
  // 12 characters at most: n * unit cannot overflow before the limit is checked.
  const std::chrono::seconds d(n * unit);
  if (d.count() <= 0 || d > kLongestTemporaryBan) return std::nullopt;
  return d;
}

std::string describe_ban_duration(std::chrono::seconds duration) {
  std::int64_t s = duration.count();
  std::string out;
  for (auto [unit, letter] : {std::pair<std::int64_t, char>{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}) {
    if (s >= unit) {
      out += fmt::format("{}{}", s / unit, letter);
      s %= unit;
    }
  }
  return out.empty() ? "0s" : out;
}

}  // namespace parley::core
