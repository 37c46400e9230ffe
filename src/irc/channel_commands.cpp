// IRC commands about channels and what is said in them: JOIN, PART, PRIVMSG, NOTICE,
// TOPIC, NAMES, LIST, MODE, KICK, INVITE.
#include "irc/irc_session.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

#include "core/unicode.h"
#include "irc/capabilities.h"
#include "irc/command_helpers.h"
#include "irc/line_split.h"
#include "irc/render.h"

namespace parley::irc {

// --- channels -----------------------------------------------------------------

void IrcSession::cmd_join(const Message& m) {
  if (m.params[0] == "0") {  // leave every channel
    for (const std::string& key : hub_.rooms_of(ref_)) {
      hub_.rooms().part(ref_, key, {});
    }
    return;
  }
  const auto keys = m.params.size() > 1 ? split_commas(m.params[1]) : std::vector<std::string>();
  std::size_t index = 0;
  for (const std::string& channel : split_commas(m.params[0])) {
    std::string key = index < keys.size() ? keys[index] : std::string();
    ++index;
    if (!channel.starts_with('#')) {
      numeric("403", {channel}, "No such channel");
      continue;
    }
    auto r = hub_.rooms().join(ref_, std::string_view(channel).substr(1), std::move(key), [this, channel](core::Refusal no) {
      using core::Refusal;
      switch (no) {
        case Refusal::banned: return numeric("474", {channel}, "Cannot join channel (+b)");
        case Refusal::invite_only: return numeric("473", {channel}, "Cannot join channel (+i)");
        case Refusal::bad_key: return numeric("475", {channel}, "Cannot join channel (+k)");
        case Refusal::room_full: return numeric("471", {channel}, "Cannot join channel (+l)");
        default: return numeric("479", {channel}, "Cannot join channel");
      }
    });
    if (r.ok() || r.refusal() == core::Refusal::already_in_room) continue;
    if (r.refusal() == core::Refusal::too_many_rooms) numeric("405", {channel}, "You have joined too many channels");
    else numeric("479", {channel}, "Illegal channel name");
  }
}

void IrcSession::cmd_part(const Message& m) {
  const std::string reason = m.params.size() > 1 ? m.params[1] : std::string();
  for (const std::string& channel : split_commas(m.params[0])) {
    auto room = channel.starts_with('#') ? core::check_room_name(channel, hub_.limits().room_chars)
                                         : core::Result<core::CheckedName>(core::Refusal::no_such_room);
    if (!room.ok()) {
      numeric("403", {channel}, "No such channel");
      continue;
    }
    if (!hub_.rooms().part(ref_, room.value().key, reason).ok()) numeric("442", {channel}, "You're not on that channel");
  }
}

void IrcSession::cmd_privmsg(const Message& m) { relay(m, false); }
void IrcSession::cmd_notice(const Message& m) { relay(m, true); }
// message-tags: "This message MUST be delivered to targets in the same way as
// PRIVMSG and NOTICE messages", to clients that negotiated message-tags.
void IrcSession::cmd_tagmsg(const Message& m) { relay(m, false, true); }

void IrcSession::relay(const Message& m, bool notice, bool tags_only) {
  // NOTICE never gets an automatic reply, errors included (RFC 2812 3.3.2).
  auto complain = [&](std::string_view code, std::initializer_list<std::string_view> middle, std::string_view text) {
    if (!notice) numeric(code, middle, text);
  };
  if (m.params.empty()) return complain("411", {}, fmt::format("No recipient given ({})", m.command));
  if (!tags_only && (m.params.size() < 2 || m.params[1].empty())) return complain("412", {}, "No text to send");
  const std::string text = tags_only ? std::string() : m.params[1];
  std::string client_tags = client_only_tags(m);
  if (!core::is_valid_utf8(text)) {
    return standard_reply("FAIL", m.command, "INVALID_UTF8", {},
                          "This server only relays valid UTF-8 (UTF8ONLY); the message was not sent");
  }
  const auto action = tags_only ? std::nullopt : ctcp_action(text);
  const auto speech = tags_only ? core::Speech::tagged
                      : notice  ? core::Speech::notice
                      : action  ? core::Speech::action
                                : core::Speech::message;
  const std::string body(action ? *action : std::string_view(text));

  auto targets = split_commas(m.params[0]);
  if (targets.size() > kMaxTargets) return complain("407", {m.params[0]}, "Too many recipients");
  for (const std::string& target : targets) {
    if (target.starts_with('#')) {
      auto room = core::check_room_name(target, hub_.limits().room_chars);
      auto refused = [this, target, notice](core::Refusal no) {
        if (notice) return;
        numeric("404", {target}, no == core::Refusal::banned ? "Cannot send to channel (+b)" : "Cannot send to channel (+m)");
      };
      if (!room.ok() || !hub_.rooms().say(ref_, room.value().key, speech, body, refused, client_tags).ok()) {
        complain("404", {target}, "Cannot send to channel (you are not in it)");
      }
      continue;
    }
    auto id = std::make_shared<std::string>();  // known once private_message returns, before any answer
    *id = hub_.directory().private_message(
        ref_, target, speech, body,
        [this, target, body, notice, id, speech, client_tags, tags_only](const core::Result<core::Identity>& r) {
          if (!r.ok()) {
            if (!notice) numeric("401", {target}, "No such nick/channel");
            return;
          }
          // RPL_AWAY "when the client sends a PRIVMSG to a user who is away" (never for NOTICE).
          if (!notice && !tags_only && !r.value().presence.away.empty())
            numeric("301", {r.value().nick}, r.value().presence.away);
          if (!(caps_ & kCapEchoMessage)) return;
          core::PrivateMessage echo;
          auto me = std::make_shared<core::Identity>(hub_.identity_of(ref_));
          me->nick = nick_;
          me->host = host_;
          echo.sender = std::move(me);
          echo.to_nick = r.value().nick;
          echo.speech = speech;
          echo.text = body;
          echo.client_tags = client_tags;
          echo.time = std::chrono::system_clock::now();
          send_raw(render_private(echo, line_caps(), *id));
        },
        client_tags);
  }
}

void IrcSession::cmd_topic(const Message& m) {
  const std::string& channel = m.params[0];
  auto room = core::check_room_name(channel, hub_.limits().room_chars);
  if (!channel.starts_with('#') || !room.ok()) return numeric("403", {channel}, "No such channel");
  if (m.params.size() > 1) {
    auto r = hub_.rooms().set_topic(ref_, room.value().key, m.params[1], [this, channel](core::Refusal) {
      numeric("482", {channel}, "You're not channel operator");
    });
    if (r.ok()) return;
    if (r.refusal() == core::Refusal::topic_too_long) return numeric("417", {}, "Topic too long");
    return numeric("442", {channel}, "You're not on that channel");
  }
  hub_.rooms().room_info(ref_, channel, [this, channel](const core::Result<core::RoomSnapshot>& r) {
    if (!r.ok()) return numeric("403", {channel}, "No such channel");
    const std::string name = channel_name(r.value().room);
    if (r.value().topic.empty()) return numeric("331", {name}, "No topic is set");
    numeric("332", {name}, r.value().topic);
  });
}

void IrcSession::send_names(const core::RoomSnapshot& room) {
  const std::string channel = channel_name(room.room);
  const std::string head = fmt::format(":{} 353 {} = {} :", config_->server_name, nick_, channel);
  std::string line = head;
  bool any = false;
  for (const auto& e : room.entries) {
    std::string name = member_prefix(e.op, e.voice, caps_ & kCapMultiPrefix) +
                       ((caps_ & kCapUserhostInNames) ? user_prefix(e.identity->nick, e.identity->user, e.identity->host) : e.identity->nick);
    if (any && line.size() + 1 + name.size() + 2 > 512) {
      send_raw(line + "\r\n");
      line = head;
      any = false;
    }
    line += (any ? " " : "") + name;
    any = true;
  }
  if (any) send_raw(line + "\r\n");
  numeric("366", {channel}, "End of /NAMES list");
}

bool IrcSession::in_room_now(std::string_view channel) const {
  auto room = core::check_room_name(channel, hub_.limits().room_chars);
  if (!room.ok()) return false;
  const auto rooms = hub_.rooms_of(ref_);
  return std::find(rooms.begin(), rooms.end(), room.value().key) != rooms.end();
}

void IrcSession::cmd_names(const Message& m) {
  if (m.params.empty()) return numeric("366", {"*"}, "End of /NAMES list");
  const std::string channel = split_commas(m.params[0]).empty() ? m.params[0] : split_commas(m.params[0]).front();
  hub_.rooms().room_info(ref_, channel, [this, channel](const core::Result<core::RoomSnapshot>& r) {
    // A secret channel's members are listed to its members only: to others it
    // answers as a channel that does not exist.
    if (!r.ok() || (r.value().settings.secret && !in_room_now(channel)))
      return numeric("366", {channel}, "End of /NAMES list");
    send_names(r.value());
  });
}

void IrcSession::cmd_list(const Message&) {
  hub_.rooms().list_rooms(ref_, [this](const core::Result<std::vector<core::RoomSummary>>& r) {
    numeric("321", {"Channel"}, "Users  Name");
    if (r.ok()) {
      for (const auto& room : r.value())
        numeric("322", {channel_name(room.room), std::to_string(room.members)}, room.topic);
    }
    numeric("323", {}, "End of /LIST");
  });
}

void IrcSession::cmd_mode(const Message& m) {
  const std::string& target = m.params[0];
  if (target.starts_with('#')) return channel_mode(m);
  user_mode(m);  // presence_commands.cpp
}

void IrcSession::channel_mode(const Message& m) {
  const std::string channel = m.params[0];
  auto room = core::check_room_name(channel, hub_.limits().room_chars);
  if (!room.ok()) return numeric("403", {channel}, "No such channel");
  const std::string key = room.value().key;
  if (m.params.size() == 1) {
    hub_.rooms().room_info(ref_, channel, [this, channel, key](const core::Result<core::RoomSnapshot>& r) {
      if (!r.ok()) return numeric("403", {channel}, "No such channel");
      const auto rooms = hub_.rooms_of(ref_);
      const bool member = std::find(rooms.begin(), rooms.end(), key) != rooms.end();
      auto modes = channel_modes(r.value().settings, member);
      Message reply{{}, config_->server_name, "324", {nick_, channel_name(r.value().room)}};
      for (auto& mode : modes) reply.params.push_back(std::move(mode));
      send_raw(to_line(reply));
    });
    return;
  }
  // Parse "+mt-k+o key nick": letters with their parameters, in order.
  std::vector<core::RoomChange> changes;
  bool list_bans = false;
  bool on = true;
  std::size_t next = 2;
  auto param = [&]() -> std::optional<std::string> {
    if (next >= m.params.size()) return std::nullopt;
    return m.params[next++];
  };
  using S = core::RoomSetting;
  for (char c : m.params[1]) {
    if (c == '+' || c == '-') {
      on = c == '+';
      continue;
    }
    if (c == 'n') continue;  // always on
    const std::optional<S> setting = core::setting_for_letter(c);
    if (!setting) {
      numeric("472", {std::string(1, c)}, "is unknown mode char to me");
      continue;
    }
    std::string arg;
    const bool needs_arg = *setting == S::ban || *setting == S::op || *setting == S::voice ||
                           (on && (*setting == S::key || *setting == S::limit));
    if (needs_arg || (*setting == S::key && !on)) {
      auto p = param();
      if (!p && *setting == S::ban) {
        list_bans = true;
        continue;
      }
      if (!p && needs_arg) continue;  // a letter without its parameter is ignored
      arg = p.value_or(std::string());
    }
    changes.push_back({*setting, on, std::move(arg), {}, {}});
  }
  if (list_bans) {
    hub_.rooms().room_info(ref_, channel, [this, channel](const core::Result<core::RoomSnapshot>& r) {
      if (r.ok()) {
        const std::string name = channel_name(r.value().room);
        for (const auto& mask : r.value().settings.bans) numeric("367", {name, mask}, "");
        return numeric("368", {name}, "End of channel ban list");
      }
      numeric("368", {channel}, "End of channel ban list");
    });
  }
  if (changes.empty()) return;
  hub_.rooms().change_settings(ref_, key, std::move(changes),
                       [this, channel](const core::Result<std::vector<core::Room::RefusedChange>>& r) {
                         if (!r.ok()) {
                           if (r.refusal() == core::Refusal::not_operator)
                             return numeric("482", {channel}, "You're not channel operator");
                           return numeric("442", {channel}, "You're not on that channel");
                         }
                         for (const auto& refused : r.value()) {
                           const auto& c = refused.change;
                           switch (refused.refusal) {
                             case core::Refusal::no_such_member:
                               numeric("441", {c.arg, channel}, "They aren't on that channel");
                               break;
                             case core::Refusal::ban_list_full:
                               numeric("478", {channel, c.arg}, "Channel ban list is full");
                               break;
                             default:
                               numeric("696",
                                       {channel, std::string(1, mode_letter(c.setting)), c.arg.empty() ? "*" : c.arg},
                                       "Invalid mode parameter");
                               break;
                           }
                         }
                       });
}

void IrcSession::cmd_kick(const Message& m) {
  const std::string channel = m.params[0];
  auto room = core::check_room_name(channel, hub_.limits().room_chars);
  if (!channel.starts_with('#') || !room.ok()) return numeric("403", {channel}, "No such channel");
  const std::string reason = m.params.size() > 2 ? m.params[2] : std::string();
  for (const std::string& target : split_commas(m.params[1])) {
    hub_.rooms().kick(ref_, room.value().key, target, reason, [this, channel, target](const core::Result<core::Done>& r) {
      if (r.ok()) return;
      switch (r.refusal()) {
        case core::Refusal::not_operator: return numeric("482", {channel}, "You're not channel operator");
        case core::Refusal::no_such_member: return numeric("441", {target, channel}, "They aren't on that channel");
        default: return numeric("442", {channel}, "You're not on that channel");
      }
    });
  }
}

void IrcSession::cmd_invite(const Message& m) {
  const std::string target = m.params[0];
  const std::string channel = m.params[1];
  if (!channel.starts_with('#') || !core::check_room_name(channel, hub_.limits().room_chars).ok())
    return numeric("403", {channel}, "No such channel");
  hub_.rooms().invite(ref_, target, channel, [this, target, channel](const core::Result<core::Identity>& r) {
    if (r.ok()) return numeric("341", {r.value().nick, channel}, "");
    switch (r.refusal()) {
      case core::Refusal::no_such_user: return numeric("401", {target}, "No such nick/channel");
      case core::Refusal::not_operator: return numeric("482", {channel}, "You're not channel operator");
      case core::Refusal::already_member: return numeric("443", {target, channel}, "is already on channel");
      default: return numeric("442", {channel}, "You're not on that channel");
    }
  });
}

}  // namespace parley::irc
