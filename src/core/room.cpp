#include "core/room.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/compact_vector.h"
#include "core/mask.h"
#include "core/unicode.h"

namespace parley::core {
namespace {

constexpr std::size_t kMaxBans = 64;
constexpr std::size_t kMaxInvites = 64;
constexpr std::size_t kMaxKeyBytes = 32;
constexpr std::size_t kMaxLimit = 100000;

}  // namespace

Room::Room(std::string display, std::string key, LoopIndex loop_count)
    : display_(std::move(display)), key_(std::move(key)), per_loop_(loop_count, 0) {
  // The room's key hash and its creation time: two rooms, or one room made
  // twice, never share an id prefix in practice.
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  id_prefix_ = fmt::format("{:x}{:x}-", std::hash<std::string>{}(key_) & 0xffffff, static_cast<std::uint64_t>(now));
}

std::vector<Room::Entry>::iterator Room::find(SessionRef who) {
  return std::find_if(members_.begin(), members_.end(), [&](const Entry& e) { return e.ref == who; });
}

std::vector<Room::Entry>::const_iterator Room::find(SessionRef who) const {
  return std::find_if(members_.begin(), members_.end(), [&](const Entry& e) { return e.ref == who; });
}

bool Room::contains(SessionRef who) const { return find(who) != members_.end(); }

bool Room::is_op(SessionRef who) const {
  auto it = find(who);
  return it != members_.end() && it->op;
}

bool Room::is_voiced(SessionRef who) const {
  auto it = find(who);
  return it != members_.end() && it->voice;
}

std::vector<Room::Entry>::iterator Room::find_named(std::string_view name) {
  auto key = fold_key(trim_space(name));
  if (!key || key->empty()) return members_.end();
  return std::find_if(members_.begin(), members_.end(), [&](const Entry& e) {
    return fold_key(e.identity->display) == key || fold_key(e.identity->nick) == key;
  });
}

bool Room::is_banned(const Identity& identity) const {
  const std::string subject = fmt::format("{}!{}@{}", identity.nick, identity.user.empty() ? "*" : identity.user,
                                         identity.host.empty() ? "*" : identity.host);
  return std::any_of(settings_.bans.begin(), settings_.bans.end(),
                     [&](const std::string& mask) { return mask_matches(mask, subject); });
}

std::optional<Refusal> Room::may_join(SessionRef who, const Identity& identity, std::string_view key) const {
  if (contains(who)) return std::nullopt;
  if (is_banned(identity)) return Refusal::banned;
  const bool invited = std::find(invited_.begin(), invited_.end(), who) != invited_.end();
  if (settings_.invite_only && !invited) return Refusal::invite_only;
  if (!settings_.key.empty() && key != settings_.key) return Refusal::bad_key;
  if (settings_.limit > 0 && members_.size() >= settings_.limit) return Refusal::room_full;
  return std::nullopt;
}

std::optional<Refusal> Room::may_speak(SessionRef who) const {
  auto it = find(who);
  if (it == members_.end()) return Refusal::not_in_room;
  // A ban silences a member already in, as it keeps others out; operators and
  // voiced members speak regardless, as IRC servers let them.
  if (!it->op && !it->voice && is_banned(*it->identity)) return Refusal::banned;
  if (settings_.moderated && !it->op && !it->voice) return Refusal::moderated;
  return std::nullopt;
}

std::optional<Refusal> Room::may_set_topic(SessionRef who) const {
  auto it = find(who);
  if (it == members_.end()) return Refusal::not_in_room;
  if (settings_.topic_locked && !it->op) return Refusal::topic_locked;
  return std::nullopt;
}

std::optional<Refusal> Room::apply(RoomChange& c, bool& changed) {
  changed = true;
  auto no_change = [&]() -> std::optional<Refusal> {
    changed = false;
    return std::nullopt;
  };
  auto flag = [&](bool& setting) -> std::optional<Refusal> {
    if (setting == c.on) return no_change();
    setting = c.on;
    c.arg.clear();
    return std::nullopt;
  };
  switch (c.setting) {
    case RoomSetting::topic_locked: return flag(settings_.topic_locked);
    case RoomSetting::moderated: return flag(settings_.moderated);
    case RoomSetting::invite_only: return flag(settings_.invite_only);
    case RoomSetting::secret: return flag(settings_.secret);
    case RoomSetting::key:
      if (!c.on) {
        if (settings_.key.empty()) return no_change();
        settings_.key.clear();
        c.arg.clear();
        return std::nullopt;
      }
      if (c.arg.empty() || c.arg.size() > kMaxKeyBytes || !is_valid_utf8(c.arg) || has_space(c.arg) ||
          has_unsafe_code_point(c.arg) || c.arg.find(',') != std::string::npos || c.arg.find(':') != std::string::npos)
        return Refusal::invalid_setting;
      if (settings_.key == c.arg) return no_change();
      settings_.key = c.arg;
      return std::nullopt;
    case RoomSetting::limit: {
      if (!c.on) {
        if (settings_.limit == 0) return no_change();
        settings_.limit = 0;
        c.arg.clear();
        return std::nullopt;
      }
      std::size_t n = 0;
      auto [end, ec] = std::from_chars(c.arg.data(), c.arg.data() + c.arg.size(), n);
      if (ec != std::errc() || end != c.arg.data() + c.arg.size() || n == 0 || n > kMaxLimit)
        return Refusal::invalid_setting;
      if (settings_.limit == n) return no_change();
      settings_.limit = n;
      c.arg = std::to_string(n);
      return std::nullopt;
    }
    case RoomSetting::ban: {
      auto mask = normalize_mask(c.arg);
      if (!mask) return Refusal::invalid_setting;
      auto& bans = settings_.bans;
      auto it = std::find_if(bans.begin(), bans.end(), [&](const std::string& b) { return same_mask(b, *mask); });
      if (c.on) {
        if (it != bans.end()) return no_change();
        if (bans.size() >= kMaxBans) return Refusal::ban_list_full;
        bans.push_back(*mask);
        c.arg = *mask;
      } else {
        if (it == bans.end()) return no_change();
        c.arg = *it;
        bans.erase(it);
      }
      return std::nullopt;
    }
    case RoomSetting::op:
    case RoomSetting::voice: {
      auto it = find_named(c.arg);
      if (it == members_.end()) return Refusal::no_such_member;
      bool& role = c.setting == RoomSetting::op ? it->op : it->voice;
      c.arg = it->identity->display;
      c.target_nick = it->identity->nick;
      c.target = it->ref;
      if (role == c.on) return no_change();
      role = c.on;
      return std::nullopt;
    }
  }
  return Refusal::invalid_setting;
}

Result<Room::ChangeOutcome> Room::change(SessionRef who, std::vector<RoomChange> changes) {
  auto actor = find(who);
  if (actor == members_.end()) return Refusal::not_in_room;
  if (!actor->op) return Refusal::not_operator;
  const SharedIdentity identity = actor->identity;
  ChangeOutcome outcome;
  std::vector<RoomChange> applied;
  for (RoomChange& c : changes) {
    bool changed = false;
    if (auto refused = apply(c, changed)) outcome.refused.push_back({std::move(c), *refused});
    else if (changed) applied.push_back(std::move(c));
    // already so: nothing to announce, as IRC servers do
  }
  if (!applied.empty()) {
    auto ev = next_event(RoomEvent::Kind::settings_changed, who, *identity);
    ev->changes = std::move(applied);
    outcome.event = std::move(ev);
  }
  return outcome;
}

Result<Room::EventPtr> Room::kick(SessionRef who, std::string_view target, std::string reason) {
  auto actor = find(who);
  if (actor == members_.end()) return Refusal::not_in_room;
  if (!actor->op) return Refusal::not_operator;
  auto it = find_named(target);
  if (it == members_.end()) return Refusal::no_such_member;
  auto ev = next_event(RoomEvent::Kind::kicked, who, *actor->identity);
  ev->target = it->ref;
  ev->target_name = it->identity->display;
  ev->target_nick = it->identity->nick;
  ev->text = std::move(reason);
  --per_loop_[it->ref.loop];
  members_.erase(it);
  return EventPtr(std::move(ev));
}

Result<Room::EventPtr> Room::invite(SessionRef who, SessionRef target, const Identity& invitee) {
  auto actor = find(who);
  if (actor == members_.end()) return Refusal::not_in_room;
  if (settings_.invite_only && !actor->op) return Refusal::not_operator;
  if (contains(target)) return Refusal::already_member;
  if (std::find(invited_.begin(), invited_.end(), target) == invited_.end()) {
    if (invited_.size() >= kMaxInvites) invited_.erase(invited_.begin());
    invited_.push_back(target);
  }
  auto ev = next_event(RoomEvent::Kind::invited, who, *actor->identity);
  ev->target = target;
  ev->target_name = invitee.display;
  ev->target_nick = invitee.nick;
  if (settings_.invite_only) {
    for (const auto& e : members_) {
      if (e.op) ev->audience.push_back(e.ref);
    }
  }
  return EventPtr(std::move(ev));
}

std::shared_ptr<RoomEvent> Room::next_event(RoomEvent::Kind kind, SessionRef actor, const Identity& identity) {
  auto ev = std::make_shared<RoomEvent>();
  ev->kind = kind;
  ev->room = display_;
  ev->room_key = key_;
  ev->seq = ++seq_;
  ev->id = id_prefix_ + std::to_string(seq_);
  ev->actor = actor;
  ev->actor_name = identity.display;
  ev->actor_nick = identity.nick;
  ev->actor_user = identity.user;
  ev->actor_host = identity.host;
  ev->actor_real_name = identity.real_name;
  ev->actor_away = identity.presence.away;
  ev->actor_bot = identity.presence.bot;
  ev->time = std::chrono::system_clock::now();
  return ev;
}

Room::EventPtr Room::join(SessionRef who, SharedIdentity identity) {
  if (contains(who)) return nullptr;
  std::erase(invited_, who);  // an invitation is good for one join
  append_compact(members_, Entry{who, identity, members_.empty(), false});
  ++per_loop_[who.loop];
  auto ev = next_event(RoomEvent::Kind::joined, who, *identity);
  ev->snapshot = std::make_shared<const RoomSnapshot>(snapshot());
  return ev;
}

Room::EventPtr Room::leave(SessionRef who, std::string reason, bool quit, std::string closed_by) {
  auto it = find(who);
  if (it == members_.end()) return nullptr;
  const SharedIdentity identity = std::move(it->identity);
  members_.erase(it);
  --per_loop_[who.loop];
  auto ev = next_event(RoomEvent::Kind::left, who, *identity);
  ev->text = std::move(reason);
  ev->quit = quit;
  ev->closed_by = std::move(closed_by);
  return ev;
}

Room::EventPtr Room::say(SessionRef who, RoomEvent::Kind kind, std::string text, std::string client_tags) {
  auto it = find(who);
  if (it == members_.end()) return nullptr;
  auto ev = next_event(kind, who, *it->identity);
  ev->text = std::move(text);
  ev->client_tags = std::move(client_tags);
  return ev;
}

Room::EventPtr Room::rename(SessionRef who, SharedIdentity renamed) {
  auto it = find(who);
  if (it == members_.end() || *it->identity == *renamed) return nullptr;
  auto ev = next_event(RoomEvent::Kind::renamed, who, *it->identity);
  ev->text = renamed->display;
  ev->new_nick = renamed->nick;
  it->identity = std::move(renamed);
  return ev;
}

Room::EventPtr Room::update_profile(SessionRef who, SharedIdentity updated, std::optional<RoomEvent::Kind> announce,
                                   std::uint64_t presence_seq) {
  auto it = find(who);
  if (it == members_.end()) return nullptr;
  // Only what the session itself owns; the names are the registry's (rename).
  if (it->identity->same_names(*updated)) {
    it->identity = std::move(updated);
  } else {
    auto merged = std::make_shared<Identity>(*it->identity);
    merged->real_name = updated->real_name;
    merged->presence = updated->presence;
    it->identity = std::move(merged);
  }
  if (!announce) return nullptr;
  const Identity& now = *it->identity;
  auto ev = next_event(*announce, who, now);
  ev->text = *announce == RoomEvent::Kind::away_changed ? now.presence.away : now.real_name;
  ev->presence_seq = presence_seq;
  return ev;
}

Room::EventPtr Room::set_topic(SessionRef who, std::string topic) {
  auto it = find(who);
  if (it == members_.end()) return nullptr;
  topic_ = topic;
  auto ev = next_event(RoomEvent::Kind::topic_changed, who, *it->identity);
  ev->text = std::move(topic);
  return ev;
}

RoomSnapshot Room::snapshot() const {
  RoomSnapshot s{display_, topic_, settings_, {}, {}};
  s.members.reserve(members_.size());
  for (const auto& e : members_) {
    const Identity& id = *e.identity;
    s.members.push_back(id.display);
    s.entries.push_back({id.display, id.nick, id.user, id.host, id.real_name, e.op, e.voice, id.presence});
  }
  return s;
}

}  // namespace parley::core
