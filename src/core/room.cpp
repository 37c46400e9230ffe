#include "core/room.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/compact_vector.h"
#include "core/mask.h"
#include "core/message_id.h"
#include "core/unicode.h"

namespace parley::core {

Room::Room(std::string display, std::string key, LoopIndex loop_count, RoomLimits limits, bool permanent)
    : display_(std::move(display)),
      key_(std::move(key)),
      per_loop_(loop_count, 0),
      limits_(limits),
      permanent_(permanent) {
  // The room's key hash and its creation time: two rooms, or one room made
  // twice, never share an id prefix in practice.
  created_ = std::chrono::system_clock::now();
  const auto now = created_.time_since_epoch().count();
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

namespace {

std::string mask_subject(const Identity& identity) {
  return fmt::format("{}!{}@{}", identity.nick, identity.user.empty() ? "*" : identity.user,
                     identity.host.empty() ? "*" : identity.host);
}

bool any_matches(const std::vector<std::string>& masks, const std::string& subject) {
  return std::any_of(masks.begin(), masks.end(), [&](const std::string& mask) { return mask_matches(mask, subject); });
}

}  // namespace

bool Room::is_banned(const Identity& identity) const {
  if (settings_.bans.empty()) return false;  // the common case: no mask to format
  const std::string subject = mask_subject(identity);
  return any_matches(settings_.bans, subject) && !any_matches(settings_.ban_exceptions, subject);
}

std::optional<Refusal> Room::may_join(SessionRef who, const Identity& identity, std::string_view key) const {
  if (contains(who)) return std::nullopt;
  if (is_banned(identity)) return Refusal::banned;
  const bool invited = std::find(invited_.begin(), invited_.end(), who) != invited_.end();
  if (settings_.invite_only && !invited && !any_matches(settings_.invite_exceptions, mask_subject(identity)))
    return Refusal::invite_only;
  if (!settings_.key.empty() && key != settings_.key) return Refusal::bad_key;
  if (settings_.limit > 0 && members_.size() >= settings_.limit) return Refusal::room_full;
  return std::nullopt;
}

std::optional<Refusal> Room::apply(RoomChange& c, bool& changed, bool server_operator) {
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
  // The default room stays open to everyone: only a server operator closes it.
  const bool closes = c.on && (c.setting == RoomSetting::invite_only || c.setting == RoomSetting::key ||
                               c.setting == RoomSetting::limit);
  if (permanent_ && closes && !server_operator) return Refusal::not_server_operator;
  switch (c.setting) {
    case RoomSetting::no_outside: return flag(settings_.no_outside);
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
      if (c.arg.empty() || c.arg.size() > limits_.key_bytes || !is_valid_utf8(c.arg) || has_space(c.arg) ||
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
      if (ec != std::errc() || end != c.arg.data() + c.arg.size() || n == 0 || n > limits_.member_limit)
        return Refusal::invalid_setting;
      if (settings_.limit == n) return no_change();
      settings_.limit = n;
      c.arg = std::to_string(n);
      return std::nullopt;
    }
    case RoomSetting::ban:
    case RoomSetting::ban_exception:
    case RoomSetting::invite_exception: {
      auto mask = normalize_mask(c.arg);
      if (!mask) return Refusal::invalid_setting;
      // Each list holds at most limits_.bans masks.
      auto& bans = c.setting == RoomSetting::ban           ? settings_.bans
                   : c.setting == RoomSetting::ban_exception ? settings_.ban_exceptions
                                                             : settings_.invite_exceptions;
      auto it = std::find_if(bans.begin(), bans.end(), [&](const std::string& b) { return same_mask(b, *mask); });
      if (c.on) {
        if (it != bans.end()) return no_change();
        if (bans.size() >= limits_.bans) return Refusal::ban_list_full;
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
      if (c.setting == RoomSetting::op && registration_) remember_operator(it->identity->presence.account, c.on);
      if (role == c.on) return no_change();
      role = c.on;
      return std::nullopt;
    }
  }
  return Refusal::invalid_setting;
}

Result<Room::ChangeOutcome> Room::change(SessionRef who, std::vector<RoomChange> changes, SharedIdentity outsider) {
  auto actor = find(who);
  const bool from_outside = actor == members_.end();
  if (from_outside && !is_server_operator(outsider)) return Refusal::not_in_room;
  if (!from_outside && !may_moderate(*actor)) return Refusal::not_operator;
  const SharedIdentity identity = from_outside ? outsider : actor->identity;
  const bool server_operator = identity->presence.server_operator;
  ChangeOutcome outcome;
  std::vector<RoomChange> applied;
  for (RoomChange& c : changes) {
    bool changed = false;
    if (auto refused = apply(c, changed, server_operator)) outcome.refused.push_back({std::move(c), *refused});
    else if (changed) applied.push_back(std::move(c));
    // already so: nothing to announce, as IRC servers do
  }
  if (!applied.empty()) {
    auto ev = next_event(who, identity, RoomEvent::SettingsChanged{std::move(applied)});
    ev->outsider = from_outside;
    outcome.event = std::move(ev);
  }
  return outcome;
}

Result<Room::EventPtr> Room::kick(SessionRef who, std::string_view target, std::string reason,
                                  SharedIdentity outsider) {
  auto actor = find(who);
  const bool from_outside = actor == members_.end();
  if (from_outside && !is_server_operator(outsider)) return Refusal::not_in_room;
  if (!from_outside && !may_moderate(*actor)) return Refusal::not_operator;
  auto it = find_named(target);
  if (it == members_.end()) return Refusal::no_such_member;
  auto made = next_event(who, from_outside ? outsider : actor->identity,
                         RoomEvent::Kicked{it->ref, it->identity, std::move(reason)});
  made->outsider = from_outside;
  EventPtr ev = std::move(made);
  if (it->ref.loop < per_loop_.size()) --per_loop_[it->ref.loop];  // else on another node
  members_.erase(it);
  return ev;
}

Result<Room::EventPtr> Room::invite(SessionRef who, SessionRef target, SharedIdentity invitee) {
  auto actor = find(who);
  if (actor == members_.end()) return Refusal::not_in_room;
  if (settings_.invite_only && !may_moderate(*actor)) return Refusal::not_operator;
  if (contains(target)) return Refusal::already_member;
  if (std::find(invited_.begin(), invited_.end(), target) == invited_.end()) {
    if (invited_.size() >= limits_.invitations) invited_.erase(invited_.begin());
    invited_.push_back(target);
  }
  RoomEvent::Invited invited{target, std::move(invitee), {}};
  if (settings_.invite_only) {
    for (const auto& e : members_) {
      if (may_moderate(e)) invited.audience.push_back(e.ref);
    }
  }
  return EventPtr(next_event(who, actor->identity, std::move(invited)));
}

std::shared_ptr<RoomEvent> Room::next_event(SessionRef actor, SharedIdentity identity, RoomEvent::Payload what) {
  auto ev = std::make_shared<RoomEvent>();
  ev->room = display_;
  ev->room_key = key_;
  ev->seq = ++seq_;
  ev->time = std::chrono::system_clock::now();
  // timed_message_id's form, with the room's number as its base.
  char seq[20];  // a uint64's 20 digits at most
  const auto made = std::to_chars(seq, seq + sizeof seq, seq_);
  ev->id.reserve(id_prefix_.size() + sizeof seq + 13);
  ev->id.append(id_prefix_).append(seq, made.ptr);
  append_id_time(ev->id, ev->time);
  ev->actor = actor;
  ev->actor_identity = std::move(identity);
  ev->what = std::move(what);
  return ev;
}

Result<Room::JoinOutcome> Room::join(SessionRef who, SharedIdentity identity, std::string_view key) {
  if (contains(who)) return JoinOutcome{};
  if (auto no = may_join(who, *identity, key)) return *no;
  std::erase(invited_, who);  // an invitation is good for one join
  // The first to join an unregistered room runs it; a registered room's
  // operators are those its record names, by account.
  const bool op = registration_ ? op_by_account(*identity) : members_.empty() && !permanent_;
  append_compact(members_, Entry{who, identity, op, false});
  ++per_loop_[who.loop];
  auto ev = next_event(who, std::move(identity), RoomEvent::Joined{});
  // The joiner's copy alone carries the room as it finds it: the others' copy
  // stays the size of a header, however many members the room has.
  auto own = std::make_shared<RoomEvent>(*ev);
  own->what = RoomEvent::Joined{std::make_shared<const RoomSnapshot>(snapshot()), false, nullptr};
  return JoinOutcome{std::move(ev), std::move(own)};
}

Room::EventPtr Room::leave(SessionRef who, std::string reason, bool quit, std::string closed_by, Ending how) {
  auto it = find(who);
  if (it == members_.end()) return nullptr;
  SharedIdentity identity = std::move(it->identity);
  members_.erase(it);
  if (who.loop < per_loop_.size()) --per_loop_[who.loop];  // else on another node
  return next_event(who, std::move(identity),
                    RoomEvent::Left{std::move(reason), quit, std::move(closed_by), quit && how == Ending::asked});
}

Result<Room::EventPtr> Room::say(SessionRef who, Speech speech, std::string text, std::string client_tags,
                                 Audience audience, SharedIdentity outsider) {
  auto it = find(who);
  const bool member = it != members_.end();
  // An outsider speaks only where the room allows it, and never past a ban or
  // a moderated room (it has no voice there).
  if (!member && (settings_.no_outside || !outsider)) return Refusal::not_in_room;
  const SharedIdentity& identity = member ? it->identity : outsider;
  const bool privileged = member && (it->op || it->voice);
  // A ban silences a member already in, as it keeps others out; operators and
  // voiced members speak regardless, as IRC servers let them.
  if (!privileged && is_banned(*identity)) return Refusal::banned;
  if (settings_.moderated && !privileged) return Refusal::moderated;
  RoomEvent::Said said{speech, std::move(text), std::move(client_tags), audience, {}, !member};
  if (audience != Audience::members) {
    for (const auto& e : members_) {
      if (e.op || (audience == Audience::voiced && e.voice) || e.ref == who) said.hearers.push_back(e.ref);
    }
  }
  return EventPtr(next_event(who, identity, std::move(said)));
}

Room::EventPtr Room::rename(SessionRef who, SharedIdentity renamed) {
  auto it = find(who);
  if (it == members_.end() || *it->identity == *renamed) return nullptr;
  SharedIdentity before = std::exchange(it->identity, renamed);
  return next_event(who, std::move(before), RoomEvent::Renamed{std::move(renamed)});
}

Room::EventPtr Room::update_profile(SessionRef who, SharedIdentity updated, std::optional<RoomEvent::Payload> announce) {
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
  return next_event(who, it->identity, std::move(*announce));
}

Result<Room::EventPtr> Room::set_topic(SessionRef who, std::string topic, SharedIdentity outsider) {
  auto it = find(who);
  const bool from_outside = it == members_.end();
  if (from_outside && !is_server_operator(outsider)) return Refusal::not_in_room;
  if (!from_outside && settings_.topic_locked && !may_moderate(*it)) return Refusal::topic_locked;
  const SharedIdentity& identity = from_outside ? outsider : it->identity;
  topic_ = topic;
  topic_by_ = identity->nick;
  topic_time_ = std::chrono::system_clock::now();
  auto ev = next_event(who, identity, RoomEvent::TopicChanged{std::move(topic)});
  ev->outsider = from_outside;
  return EventPtr(std::move(ev));
}

// --- registration ---------------------------------------------------------------

bool Room::op_by_account(const Identity& identity) const {
  const std::string& account = identity.presence.account;
  if (!registration_ || account.empty()) return false;
  if (same_account(registration_->founder, account)) return true;
  return std::any_of(registration_->operators.begin(), registration_->operators.end(),
                     [&](const std::string& op) { return same_account(op, account); });
}

void Room::remember_operator(const std::string& account, bool op) {
  if (account.empty() || same_account(registration_->founder, account)) return;  // the founder is always one
  auto& ops = registration_->operators;
  auto it = std::find_if(ops.begin(), ops.end(), [&](const std::string& o) { return same_account(o, account); });
  if (op && it == ops.end() && ops.size() < limits_.bans) ops.push_back(account);
  if (!op && it != ops.end()) ops.erase(it);
}

std::optional<Refusal> Room::register_to(SessionRef who, const Identity& actor) {
  if (registration_) return Refusal::room_registered;
  auto it = find(who);
  if (it == members_.end() && !actor.presence.server_operator) return Refusal::not_in_room;
  if (it != members_.end() && !may_moderate(*it)) return Refusal::not_operator;
  if (actor.presence.account.empty()) return Refusal::not_logged_in;
  registration_ = std::make_unique<Registration>(
      Registration{actor.presence.account, {}, std::chrono::system_clock::now()});
  return std::nullopt;
}

std::optional<Refusal> Room::unregister(const Identity& actor) {
  if (!registration_) return Refusal::room_not_registered;
  if (!actor.presence.server_operator && !same_account(registration_->founder, actor.presence.account))
    return Refusal::not_founder;
  registration_.reset();
  return std::nullopt;
}

RoomRecord Room::record() const {
  RoomRecord r;
  r.key = key_;
  r.name = display_;
  r.topic = topic_;
  r.topic_by = topic_by_;
  r.topic_time = topic_time_;
  r.settings = settings_;
  if (registration_) {
    r.founder = registration_->founder;
    r.operators = registration_->operators;
    r.registered = registration_->registered;
  }
  return r;
}

void Room::restore(const RoomRecord& r) {
  topic_ = r.topic;
  topic_by_ = r.topic_by;
  topic_time_ = r.topic_time;
  settings_ = r.settings;
  registration_ = std::make_unique<Registration>(Registration{r.founder, r.operators, r.registered});
}

void Room::take_registration(const RoomRecord& r) {
  if (r.founder.empty()) registration_.reset();
  else registration_ = std::make_unique<Registration>(Registration{r.founder, r.operators, r.registered});
}

RoomSnapshot Room::snapshot() const {
  RoomSnapshot s{display_, topic_, topic_by_, topic_time_, created_, settings_, {}};
  s.entries.reserve(members_.size());
  for (const auto& e : members_) s.entries.push_back({e.identity, e.op, e.voice});
  return s;
}

}  // namespace parley::core
