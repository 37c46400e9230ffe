#include "core/directory.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/mask.h"

namespace parley::core {

Result<SharedIdentity> Directory::claim(SessionRef who, const CheckedName& name, const Profile& profile,
                                        WatchNotices& notices) {
  const auto before_keys = names_.keys_of(who);
  std::optional<Identity> before;
  if (const Identity* id = names_.identity_of(who)) before = *id;
  auto claimed = names_.claim(who, name, profile);
  if (!claimed.ok()) return claimed.refusal();
  tell_left(before_keys, before);
  names_changed(who, before_keys, before, notices);
  return names_.shared_identity_of(who);
}

void Directory::release(SessionRef who, WatchNotices& notices) {
  const auto keys = names_.keys_of(who);
  std::optional<Identity> before;
  if (const Identity* id = names_.identity_of(who)) before = *id;
  names_.release(who);
  watches_.clear(who);
  tell_left(keys, before);
  names_changed(who, keys, before, notices);
}

void Directory::tell_left(const std::vector<std::string>& before_keys, const std::optional<Identity>& before) const {
  if (!left_ || !before || before_keys.empty()) return;
  // What the registry just remembered (nothing when it keeps no history).
  auto remembered = names_.history(before_keys.front(), 1);
  if (!remembered.empty() && remembered.front().identity == *before) left_(remembered.front(), before_keys);
}

std::vector<SessionRef> Directory::watchers_except(const std::vector<std::string>& keys, SessionRef subject) const {
  auto watchers = watches_.watchers_of(keys);
  std::erase(watchers, subject);
  return watchers;
}

void Directory::names_changed(SessionRef who, const std::vector<std::string>& before_keys,
                              const std::optional<Identity>& before, WatchNotices& notices) const {
  const auto after_keys = names_.keys_of(who);
  auto missing_from = [](const std::vector<std::string>& keys, const std::vector<std::string>& other) {
    std::vector<std::string> out;
    for (const auto& k : keys) {
      if (std::find(other.begin(), other.end(), k) == other.end()) out.push_back(k);
    }
    return out;
  };
  if (before) {
    if (auto gone = missing_from(before_keys, after_keys); !gone.empty()) {
      if (auto watchers = watchers_except(gone, who); !watchers.empty())
        notices.notices.emplace_back(std::move(watchers), WatchNotice{false, *before});
    }
  }
  if (const Identity* now = names_.identity_of(who)) {
    if (auto came = missing_from(after_keys, before_keys); !came.empty()) {
      if (auto watchers = watchers_except(came, who); !watchers.empty())
        notices.notices.emplace_back(std::move(watchers), WatchNotice{true, *now});
    }
  }
}

std::vector<Identity> Directory::find_users(SessionRef asker, const std::string& mask, std::size_t max,
                                            std::vector<FoundUser>* invisible) const {
  std::vector<Identity> found;
  names_.for_each([&](SessionRef owner, const Identity& id) {
    const bool hidden = id.presence.invisible && owner != asker;
    if (hidden && (!invisible || invisible->size() >= max)) return;
    const std::string subject =
        fmt::format("{}!{}@{}", id.nick, id.user.empty() ? "*" : id.user, id.host.empty() ? "*" : id.host);
    if (!mask_matches(mask, subject)) return;
    if (hidden) invisible->push_back({owner, id});
    else found.push_back(id);
  });
  std::sort(found.begin(), found.end(), [](const Identity& a, const Identity& b) { return a.nick < b.nick; });
  if (found.size() > max) found.resize(max);
  return found;
}

std::vector<SessionRef> Directory::hearing_operator_notices() const {
  std::vector<SessionRef> out;
  names_.for_each([&](SessionRef owner, const Identity& id) {
    if (id.presence.operator_notices) out.push_back(owner);
  });
  return out;
}

UserCounts Directory::counts() const {
  const std::size_t invisible = names_.invisible();
  return UserCounts{names_.size() - invisible, invisible, names_.operators(), names_.most()};
}

WatchOutcome Directory::watch(SessionRef who, std::vector<std::pair<std::string, std::string>> keys_and_names) {
  WatchOutcome outcome;
  for (auto& [key, name] : keys_and_names) {
    if (watches_.add(who, key, name) == WatchList::Added::full) {
      outcome.refused.push_back(std::move(name));
      continue;
    }
    auto holder = names_.find(key);
    outcome.watched.push_back({std::move(name), holder ? std::optional<Identity>(holder->identity) : std::nullopt});
  }
  return outcome;
}

void Directory::unwatch(SessionRef who, const std::vector<std::string>& keys) {
  for (const auto& key : keys) watches_.remove(who, key);
}

std::vector<WatchedName> Directory::watched(SessionRef who) const {
  std::vector<WatchedName> out;
  for (const auto& e : watches_.entries_of(who)) {
    auto holder = names_.find(e.key);
    out.push_back({e.name, holder ? std::optional<Identity>(holder->identity) : std::nullopt});
  }
  return out;
}

std::vector<SessionRef> Directory::watchers_of(SessionRef subject) const {
  return watchers_except(names_.keys_of(subject), subject);
}

}  // namespace parley::core
