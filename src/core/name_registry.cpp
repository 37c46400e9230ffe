#include "core/name_registry.h"

#include <utf8proc.h>

#include <algorithm>
#include <string_view>

#include "core/confusable.h"
#include "core/unicode.h"

namespace parley::core {
namespace {

constexpr std::string_view kNickSpecials = "[]\\`_^{|}-";
constexpr int kMaxSuffix = 999;

bool is_letter_or_digit(utf8proc_int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
      return true;
    default:
      return false;
  }
}

// Cuts s to at most n code points.
std::string cut(std::string s, std::size_t n) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && points++ == n) {
      s.resize(i);
      break;
    }
  }
  return s;
}

}  // namespace

std::string nick_for(std::string_view display, std::size_t max_chars) {
  std::string nick;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(display.data());
  for (std::size_t i = 0; i < display.size();) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(display.size() - i), &cp);
    if (n <= 0) break;  // display names are valid UTF-8; stop rather than guess
    const bool ascii_special = cp < 0x80 && kNickSpecials.find(static_cast<char>(cp)) != std::string_view::npos;
    if (ascii_special || is_letter_or_digit(cp)) nick.append(display.substr(i, static_cast<std::size_t>(n)));
    else nick += '_';
    i += static_cast<std::size_t>(n);
  }
  if (nick.empty() || (nick[0] >= '0' && nick[0] <= '9') || nick[0] == '-') nick = "_" + nick;
  return cut(std::move(nick), max_chars);
}

bool NameRegistry::free_for(const std::string& key, SessionRef who) const {
  auto it = keys_.find(key);
  return it == keys_.end() || it->second == who;
}

Result<Identity> NameRegistry::claim(SessionRef who, const CheckedName& name, const Profile& profile) {
  if (!free_for(name.key, who)) return Refusal::name_in_use;
  // A name that only looks like one in use ("Аlice" beside "Alice") is in use too.
  std::string skeleton = confusable_skeleton(name.display);
  if (auto it = skeletons_.find(skeleton); it != skeletons_.end() && it->second != who) return Refusal::name_in_use;
  const std::string base = nick_for(name.display, nick_chars_);
  Identity identity{name.display, {}, profile.user, profile.host,
                    profile.real_name.empty() ? name.display : profile.real_name, {}, profile.address};
  if (auto old = held_.find(who); old != held_.end()) identity.presence = old->second.identity->presence;
  std::string nick_key;
  for (int suffix = 1; suffix <= kMaxSuffix && identity.nick.empty(); ++suffix) {
    std::string candidate = base;
    if (suffix > 1) {
      const std::string tail = std::to_string(suffix);
      candidate = cut(base, nick_chars_ > tail.size() ? nick_chars_ - tail.size() : 0) + tail;
    }
    std::string key = fold_key(candidate).value_or(candidate);
    if (free_for(key, who)) {
      identity.nick = std::move(candidate);
      nick_key = std::move(key);
    }
  }
  if (identity.nick.empty()) return Refusal::name_in_use;

  release(who);
  Held held{std::make_shared<const Identity>(identity), nullptr, nullptr, nullptr};
  held.display_key = &keys_.insert_or_assign(name.key, who).first->first;
  if (nick_key != name.key) held.nick_key = &keys_.insert_or_assign(nick_key, who).first->first;
  held.skeleton = &skeletons_.insert_or_assign(std::move(skeleton), who).first->first;
  if (held.identity->presence.invisible) ++invisible_;
  if (held.identity->presence.server_operator) ++operators_;
  held_[who] = std::move(held);
  most_ = std::max(most_, held_.size());
  return identity;
}

void NameRegistry::release(SessionRef who) {
  auto it = held_.find(who);
  if (it == held_.end()) return;
  std::vector<std::string> keys = it->second.keys();
  for (const auto& key : keys) keys_.erase(key);
  if (auto s = skeletons_.find(*it->second.skeleton); s != skeletons_.end() && s->second == who) skeletons_.erase(s);
  if (it->second.identity->presence.invisible) --invisible_;
  if (it->second.identity->presence.server_operator) --operators_;
  remember(*it->second.identity, std::move(keys));
  held_.erase(it);
}

void NameRegistry::update(SessionRef who, const SharedIdentity& updated) {
  auto it = held_.find(who);
  if (it == held_.end()) return;
  SharedIdentity& held = it->second.identity;
  if (held->presence.invisible != updated->presence.invisible) updated->presence.invisible ? ++invisible_ : --invisible_;
  if (held->presence.server_operator != updated->presence.server_operator)
    updated->presence.server_operator ? ++operators_ : --operators_;
  if (held->same_names(*updated)) {
    held = updated;
    return;
  }
  // The session has not yet heard of a rename the registry made: keep the names held.
  auto merged = std::make_shared<Identity>(*held);
  merged->real_name = updated->real_name;
  merged->presence = updated->presence;
  held = std::move(merged);
}

std::vector<std::string> NameRegistry::Held::keys() const {
  std::vector<std::string> keys{*display_key};
  if (nick_key) keys.push_back(*nick_key);
  return keys;
}

void NameRegistry::remember(const Identity& identity, std::vector<std::string> keys) {
  if (history_size_ == 0) return;
  // Several entries per name (WHOWAS lists them all), but no more than
  // kPastPerName: the oldest of that name goes first. The scan is bounded by
  // history_size_ and runs only when someone leaves a name.
  auto shares_a_key = [&](const Past& p) {
    return std::any_of(p.keys.begin(), p.keys.end(),
                       [&](const std::string& k) { return std::find(keys.begin(), keys.end(), k) != keys.end(); });
  };
  if (std::count_if(history_.begin(), history_.end(), shares_a_key) >= static_cast<std::ptrdiff_t>(kPastPerName))
    history_.erase(std::find_if(history_.begin(), history_.end(), shares_a_key));
  history_.push_back({{identity, std::chrono::system_clock::now()}, std::move(keys)});
  while (history_.size() > history_size_) history_.pop_front();
}

std::vector<PastUser> NameRegistry::history(const std::string& key, std::size_t count) const {
  std::vector<PastUser> found;
  for (auto it = history_.rbegin(); it != history_.rend() && found.size() < count; ++it) {
    if (std::find(it->keys.begin(), it->keys.end(), key) != it->keys.end()) found.push_back(it->user);
  }
  return found;
}

std::optional<NameRegistry::Holder> NameRegistry::find(const std::string& key) const {
  auto it = keys_.find(key);
  if (it == keys_.end()) return std::nullopt;
  return Holder{it->second, *held_.at(it->second).identity};
}

const Identity* NameRegistry::identity_of(SessionRef who) const {
  auto it = held_.find(who);
  return it == held_.end() ? nullptr : it->second.identity.get();
}

SharedIdentity NameRegistry::shared_identity_of(SessionRef who) const {
  auto it = held_.find(who);
  return it == held_.end() ? nullptr : it->second.identity;
}

std::vector<std::string> NameRegistry::keys_of(SessionRef who) const {
  auto it = held_.find(who);
  return it == held_.end() ? std::vector<std::string>() : it->second.keys();
}

}  // namespace parley::core
