#include "backplane/wire.h"
#include "backplane/wire_fields.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <vector>

#include "core/unicode.h"

namespace parley::backplane {

using namespace wire_detail;

namespace {

std::string encode_topic(const std::string& topic, const std::string& by, core::WallTime time) {
  std::string out;
  put(out, topic);
  put(out, by);
  put_number(out, ms_of(time));
  return out;
}

// What encode_topic wrote, into `into`'s topic, setter and time.
void take_topic(Fields& f, core::RoomSnapshot& into) {
  into.topic = f.next();
  into.topic_by = f.next();
  into.topic_time = time_of(f);
}

bool is_list(core::RoomSetting s) {
  return s == core::RoomSetting::ban || s == core::RoomSetting::ban_exception ||
         s == core::RoomSetting::invite_exception;
}

void put_settings(std::string& out, const core::RoomSettings& s) {
  put_flag(out, s.no_outside);
  put_flag(out, s.topic_locked);
  put_flag(out, s.moderated);
  put_flag(out, s.invite_only);
  put_flag(out, s.secret);
  put(out, s.key);
  put_number(out, static_cast<std::int64_t>(s.limit));
  for (const auto* list : {&s.bans, &s.ban_exceptions, &s.invite_exceptions}) {
    put_number(out, static_cast<std::int64_t>(list->size()));
    for (const auto& mask : *list) put(out, mask);
  }
}

void take_settings(Fields& f, core::RoomSettings& s) {
  s.no_outside = f.flag();
  s.topic_locked = f.flag();
  s.moderated = f.flag();
  s.invite_only = f.flag();
  s.secret = f.flag();
  s.key = f.next();
  s.limit = f.number<std::size_t>();
  for (auto* list : {&s.bans, &s.ban_exceptions, &s.invite_exceptions}) {
    const auto n = f.number<std::size_t>();
    for (std::size_t i = 0; i < n && f.ok(); ++i) list->emplace_back(f.next());
  }
}

enum Kind : int { said = 1, joined, left, renamed, topic, settings, kicked, away, real_name, account };

}  // namespace

std::string owner_name(std::string_view node, core::SessionRef who) {
  return fmt::format("{}/{}.{}", node, who.loop, who.id);
}

std::string_view node_of_owner(std::string_view owner) { return owner.substr(0, owner.rfind('/')); }

core::SessionRef ref_of_owner(std::string_view owner, std::string_view self) {
  const auto slash = owner.rfind('/');
  if (slash != std::string_view::npos && owner.substr(0, slash) == self) {
    const std::string_view rest = owner.substr(slash + 1);
    const auto dot = rest.find('.');
    core::SessionRef ref;
    if (dot != std::string_view::npos) {
      std::from_chars(rest.data(), rest.data() + dot, ref.loop);
      std::from_chars(rest.data() + dot + 1, rest.data() + rest.size(), ref.id);
      return ref;
    }
  }
  // FNV-1a: the same id on every node and in every run, never 0.
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : owner) h = (h ^ c) * 1099511628211ull;
  return core::SessionRef{core::kRemoteLoop, h | 1};
}

std::string encode_event(const core::RoomEvent& event, std::string_view node, const OwnerOf& owner_of) {
  std::string out;
  put(out, kVersion);
  put(out, node);
  put(out, event.room);
  put(out, event.room_key);
  put(out, event.id);
  put_number(out, ms_of(event.time));
  put(out, owner_of(event.actor));
  put_identity(out, event.by());
  put_flag(out, event.outsider);
  std::visit(core::Overloaded{
                 [&](const core::RoomEvent::Said& s) {
                   put_number(out, said);
                   put_number(out, static_cast<int>(s.speech));
                   put(out, s.text);
                   put(out, s.client_tags);
                 },
                 [&](const core::RoomEvent::Joined& j) {
                   put_number(out, joined);
                   if (!j.again) return;
                   put_flag(out, true);
                   if (!j.rejoin) return;
                   // Its roles on its node, and its netjoin ("" when none).
                   const core::Rejoin& r = *j.rejoin;
                   put_flag(out, r.op);
                   put_flag(out, r.voice);
                   put(out, r.netjoin ? r.netjoin->id : std::string());
                   put(out, r.netjoin ? r.netjoin->back : std::string());
                 },
                 [&](const core::RoomEvent::Left& l) {
                   put_number(out, left);
                   put(out, l.reason);
                   put_flag(out, l.quit);
                   put(out, l.closed_by);
                   put_flag(out, l.asked);
                   if (l.split) {
                     put(out, l.split->id);
                     put(out, l.split->survivor);
                     put(out, l.split->lost);
                   }
                 },
                 [&](const core::RoomEvent::Renamed& r) {
                   put_number(out, renamed);
                   put_identity(out, *r.to);
                 },
                 [&](const core::RoomEvent::TopicChanged& t) {
                   put_number(out, topic);
                   put(out, t.topic);
                 },
                 [&](const core::RoomEvent::SettingsChanged& s) {
                   put_number(out, settings);
                   put_number(out, static_cast<std::int64_t>(s.changes.size()));
                   for (const auto& c : s.changes) {
                     put(out, std::string(1, core::letter_of(c.setting)));
                     put_flag(out, c.on);
                     put(out, c.arg);
                     put(out, c.target_nick);
                     put(out, c.target.id != 0 ? owner_of(c.target) : std::string());
                   }
                 },
                 [&](const core::RoomEvent::Kicked& k) {
                   put_number(out, kicked);
                   put(out, owner_of(k.target));
                   put_identity(out, *k.target_identity);
                   put(out, k.reason);
                 },
                 // Profile changes: the actor's identity above carries the new state.
                 [&](const core::RoomEvent::AwayChanged& c) {
                   put_number(out, away);
                   put_number(out, static_cast<std::int64_t>(c.presence_seq));
                 },
                 [&](const core::RoomEvent::RealNameChanged& c) {
                   put_number(out, real_name);
                   put_number(out, static_cast<std::int64_t>(c.presence_seq));
                 },
                 [&](const core::RoomEvent::AccountChanged& c) {
                   put_number(out, account);
                   put_number(out, static_cast<std::int64_t>(c.presence_seq));
                 },
                 [&](const auto&) { put_number(out, 0); },
             },
             event.what);
  return out;
}

std::optional<DecodedEvent> decode_event(std::string_view bytes, std::string_view self) {
  Fields f(bytes);
  if (f.next() != kVersion) return std::nullopt;
  DecodedEvent d;
  d.node = f.next();
  auto event = std::make_shared<core::RoomEvent>();
  event->room = f.next();
  event->room_key = f.next();
  event->id = f.next();
  event->time = time_of(f);
  d.actor_owner = f.next();
  event->actor = ref_of_owner(d.actor_owner, self);
  event->actor_identity = take_identity(f);
  event->outsider = f.flag();
  switch (f.number<int>()) {
    case said: {
      core::RoomEvent::Said s;
      const int speech = f.number<int>();
      if (speech < 0 || speech > static_cast<int>(core::Speech::tagged)) return std::nullopt;
      s.speech = static_cast<core::Speech>(speech);
      s.text = f.next();
      s.client_tags = f.next();
      event->what = std::move(s);
      break;
    }
    case joined: {
      core::RoomEvent::Joined j{};
      if (!f.done()) j.again = f.flag();
      if (j.again && !f.done()) {  // older nodes sent the flag alone
        auto rejoin = std::make_shared<core::Rejoin>();
        rejoin->op = f.flag();
        rejoin->voice = f.flag();
        std::string id(f.next());
        std::string back(f.next());
        if (!id.empty()) rejoin->netjoin = std::make_shared<const core::Netjoin>(core::Netjoin{id, "", back});
        j.rejoin = std::move(rejoin);
      }
      event->what = std::move(j);
      break;
    }
    case left: {
      core::RoomEvent::Left l;
      l.reason = f.next();
      l.quit = f.flag();
      l.closed_by = f.next();
      l.asked = f.flag();
      if (!f.done()) {
        auto split = std::make_shared<core::Netsplit>();
        split->id = f.next();
        split->survivor = f.next();
        split->lost = f.next();
        l.split = std::move(split);
      }
      event->what = std::move(l);
      break;
    }
    case renamed: event->what = core::RoomEvent::Renamed{take_identity(f)}; break;
    case topic: event->what = core::RoomEvent::TopicChanged{std::string(f.next())}; break;
    case settings: {
      core::RoomEvent::SettingsChanged s;
      const auto n = f.number<std::size_t>();
      for (std::size_t i = 0; i < n && f.ok(); ++i) {
        core::RoomChange c;
        const std::string_view letter = f.next();
        auto setting = letter.size() == 1 ? core::setting_for_letter(letter[0]) : std::nullopt;
        if (!setting) return std::nullopt;
        c.setting = *setting;
        c.on = f.flag();
        c.arg = f.next();
        c.target_nick = f.next();
        const std::string_view target = f.next();
        if (!target.empty()) c.target = ref_of_owner(target, self);
        s.changes.push_back(std::move(c));
      }
      event->what = std::move(s);
      break;
    }
    case kicked: {
      core::RoomEvent::Kicked k;
      d.target_owner = f.next();
      k.target = ref_of_owner(d.target_owner, self);
      k.target_identity = take_identity(f);
      k.reason = f.next();
      event->what = std::move(k);
      break;
    }
    case away: event->what = core::RoomEvent::AwayChanged{f.number<std::uint64_t>()}; break;
    case real_name: event->what = core::RoomEvent::RealNameChanged{f.number<std::uint64_t>()}; break;
    case account: event->what = core::RoomEvent::AccountChanged{f.number<std::uint64_t>()}; break;
    default: return std::nullopt;
  }
  if (!f.done()) return std::nullopt;
  d.event = std::move(event);
  return d;
}

std::string encode_identity(const core::Identity& identity) {
  std::string out;
  put(out, kVersion);
  put_identity(out, identity);
  return out;
}

core::SharedIdentity decode_identity(std::string_view bytes) {
  Fields f(bytes);
  if (f.next() != kVersion) return nullptr;
  auto identity = take_identity(f);
  return f.done() ? identity : nullptr;
}

std::string encode_room_state(const core::RoomSnapshot& state) {
  std::string out;
  put(out, kVersion);
  out += encode_topic(state.topic, state.topic_by, state.topic_time);
  put_settings(out, state.settings);
  return out;
}

std::shared_ptr<core::RoomSnapshot> decode_room_state(std::string_view bytes) {
  Fields f(bytes);
  if (f.next() != kVersion) return nullptr;
  auto state = std::make_shared<core::RoomSnapshot>();
  take_topic(f, *state);
  take_settings(f, state->settings);
  return f.done() ? state : nullptr;
}

StateFields room_state_fields(const core::RoomEvent& event) {
  StateFields fields;
  if (const auto* topic = event.as<core::RoomEvent::TopicChanged>())
    fields.emplace_back("topic", encode_topic(topic->topic, event.by().nick, event.time));
  if (const auto* changed = event.as<core::RoomEvent::SettingsChanged>()) {
    for (const core::RoomChange& c : changed->changes) {
      if (c.setting == core::RoomSetting::op || c.setting == core::RoomSetting::voice) continue;
      std::string name(1, core::letter_of(c.setting));
      if (is_list(c.setting)) name.append(":").append(core::fold_key(c.arg).value_or(c.arg));
      fields.emplace_back(std::move(name), (c.on ? "+" : "-") + c.arg);
    }
  }
  return fields;
}

std::shared_ptr<core::RoomSnapshot> decode_room_state(const StateFields& hash) {
  const auto base = std::find_if(hash.begin(), hash.end(), [](const auto& f) { return f.first == "base"; });
  if (base == hash.end()) return nullptr;
  auto state = decode_room_state(base->second);
  if (!state) return nullptr;
  for (const auto& [name, value] : hash) {
    if (name == "topic") {
      Fields f(value);
      core::RoomSnapshot changed;
      take_topic(f, changed);
      if (!f.done()) continue;  // damaged: the topic stays as the base has it
      state->topic = std::move(changed.topic);
      state->topic_by = std::move(changed.topic_by);
      state->topic_time = changed.topic_time;
      continue;
    }
    const auto setting = name.empty() ? std::nullopt : core::setting_for_letter(name[0]);
    if (!setting || value.empty() || (value[0] != '+' && value[0] != '-')) continue;  // the base, or not ours
    if (*setting == core::RoomSetting::op || *setting == core::RoomSetting::voice) continue;
    core::apply_setting(state->settings, core::RoomChange{*setting, value[0] == '+', value.substr(1), {}, {}});
  }
  return state;
}

std::string encode_ban_news(bool added, std::string_view node, const core::ServerBan& ban) {
  std::string out(added ? "+" : "-");
  put(out, node);
  put(out, ban.mask);
  put(out, ban.reason);
  put(out, ban.set_by);
  put_number(out, ms_of(ban.set_at));
  put_number(out, ms_of(ban.expires));
  return out;
}

std::optional<BanNews> decode_ban_news(std::string_view bytes) {
  if (bytes.empty() || (bytes[0] != '+' && bytes[0] != '-')) return std::nullopt;
  BanNews news;
  news.added = bytes[0] == '+';
  Fields f(bytes.substr(1));
  news.node = f.next();
  news.ban.mask = f.next();
  news.ban.reason = f.next();
  news.ban.set_by = f.next();
  news.ban.set_at = time_of(f);
  news.ban.expires = time_of(f);
  if (!f.done() || news.ban.mask.empty()) return std::nullopt;
  return news;
}

std::string encode_registration_news(std::string_view node, const core::RoomRecord& record) {
  std::string out;
  put(out, kVersion);
  put(out, node);
  put(out, record.key);
  put(out, record.name);
  put(out, record.founder);
  put_number(out, ms_of(record.registered));
  put_number(out, static_cast<std::int64_t>(record.operators.size()));
  for (const auto& account : record.operators) put(out, account);
  return out;
}

std::optional<RegistrationNews> decode_registration_news(std::string_view bytes) {
  Fields f(bytes);
  if (f.next() != kVersion) return std::nullopt;
  RegistrationNews news;
  news.node = f.next();
  news.record.key = f.next();
  news.record.name = f.next();
  news.record.founder = f.next();
  news.record.registered = time_of(f);
  const auto operators = f.number<std::size_t>();
  for (std::size_t i = 0; i < operators && f.ok(); ++i) news.record.operators.emplace_back(f.next());
  if (!f.done() || news.record.key.empty()) return std::nullopt;
  return news;
}

}  // namespace parley::backplane

namespace parley::backplane {

std::string encode_private(const core::PrivateMessage& pm, std::string_view from_owner, std::string_view to_key) {
  std::string out;
  put(out, kVersion);
  put(out, from_owner);
  put_identity(out, *pm.sender);
  put_number(out, static_cast<int>(pm.speech));
  put(out, pm.text);
  put_number(out, ms_of(pm.time));
  put(out, pm.id);
  put(out, pm.client_tags);
  put(out, to_key);
  return out;
}

std::optional<DecodedPrivate> decode_private(std::string_view bytes, std::string_view self) {
  Fields f(bytes);
  if (f.next() != kVersion) return std::nullopt;
  DecodedPrivate d;
  d.from_owner = f.next();
  d.pm.from = ref_of_owner(d.from_owner, self);
  d.pm.sender = take_identity(f);
  const int speech = f.number<int>();
  if (speech < 0 || speech > static_cast<int>(core::Speech::tagged)) return std::nullopt;
  d.pm.speech = static_cast<core::Speech>(speech);
  d.pm.text = f.next();
  d.pm.time = time_of(f);
  d.pm.id = f.next();
  d.pm.client_tags = f.next();
  d.to_key = f.next();
  if (!f.done()) return std::nullopt;
  return d;
}

std::string encode_private_redaction(const core::PrivateRedaction& redaction, std::string_view other_account) {
  std::string out;
  put(out, kVersion);
  put_identity(out, *redaction.sender);
  put(out, redaction.to_nick);
  put(out, redaction.msgid);
  put(out, redaction.reason);
  put_number(out, ms_of(redaction.time));
  put(out, redaction.id);
  put(out, other_account);
  return out;
}

std::optional<DecodedRedaction> decode_private_redaction(std::string_view bytes) {
  Fields f(bytes);
  if (f.next() != kVersion) return std::nullopt;
  DecodedRedaction d;
  d.redaction.sender = take_identity(f);
  d.redaction.to_nick = f.next();
  d.redaction.msgid = f.next();
  d.redaction.reason = f.next();
  d.redaction.time = time_of(f);
  d.redaction.id = f.next();
  d.other_account = f.next();
  if (!f.done() || d.redaction.msgid.empty()) return std::nullopt;
  return d;
}

}  // namespace parley::backplane

namespace parley::backplane {

// "+" or "-", then the node, the key and the identity as fields (the reaper's
// Redis function writes the same form: redis_functions.h).
std::string encode_name_news(bool online, std::string_view node, std::string_view key, std::string_view identity) {
  std::string out(online ? "+" : "-");
  put(out, node);
  put(out, key);
  put(out, identity);
  return out;
}

std::optional<NameNews> decode_name_news(std::string_view bytes) {
  if (bytes.empty() || (bytes[0] != '+' && bytes[0] != '-')) return std::nullopt;
  NameNews news;
  news.online = bytes[0] == '+';
  Fields f(bytes.substr(1));
  news.node = f.next();
  news.key = f.next();
  const std::string_view identity = f.next();
  if (!f.done() || news.key.empty()) return std::nullopt;
  if (!identity.empty()) news.who = decode_identity(identity);
  return news;
}

}  // namespace parley::backplane
