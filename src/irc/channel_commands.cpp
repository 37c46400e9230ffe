// IRC commands about channels and what is said in them: JOIN, PART, PRIVMSG, NOTICE,
// TOPIC, NAMES, LIST, MODE, KICK, INVITE.
#include "irc/irc_session.h"

#include "auth/account_names.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "irc/capabilities.h"
#include "irc/command_helpers.h"
#include "irc/line_split.h"
#include "irc/numerics.h"
#include "irc/render.h"

namespace parley::irc {
namespace {

std::string unix_seconds(core::WallTime time) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count());
}

}  // namespace

// --- channels -----------------------------------------------------------------

void IrcSession::cmd_join(const Message& m) {
  if (m.params[0] == "0") {  // leave every channel
    for (const std::string& key : hub_.rooms_of(ref_)) {
      hub_.rooms().part(ref_, key, {});
    }
    return;
  }
  if (!wants_join_markers()) return join_channels(m);
  // draft/read-marker: each channel's MARKREAD goes before its RPL_ENDOFNAMES,
  // so the markers are read first (this command's answer, in command order).
  std::vector<std::string> keys;
  for (const std::string& channel : split_commas(m.params[0])) {
    if (auto key = marker_key(channel); key && channel.starts_with('#')) keys.push_back(*key);
  }
  hub_.markers().get(ref_, keys, [this, m, keys](const core::Result<std::vector<std::optional<core::WallTime>>>& r) {
    if (login_) {
      login_->join_markers.clear();
      for (std::size_t i = 0; i < keys.size(); ++i)
        login_->join_markers.emplace_back(keys[i], r.ok() ? r.value()[i] : std::nullopt);
    }
    join_channels(m);
  });
}

void IrcSession::join_channels(const Message& m) {
  const auto keys = m.params.size() > 1 ? split_commas(m.params[1]) : std::vector<std::string>();
  std::size_t index = 0;
  for (const std::string& channel : split_commas(m.params[0])) {
    std::string key = index < keys.size() ? keys[index] : std::string();
    if (index++ > 0) next_target();
    if (!channel.starts_with('#')) {
      numeric(kErrNoSuchChannel, {channel}, "No such channel");
      continue;
    }
    // The room's refusals (a ban, +i, +k, +l) come later; the session's own now.
    auto r = hub_.rooms().join(ref_, std::string_view(channel).substr(1), std::move(key),
                               [this, channel](core::Refusal no) { refuse(no, {channel}); }, replay_handler());
    if (r.ok() || r.refusal() == core::Refusal::already_in_room) continue;
    refuse(r.refusal(), {channel});  // too many channels, or a name that cannot be a channel's
  }
}

void IrcSession::cmd_part(const Message& m) {
  const std::string reason = m.params.size() > 1 ? m.params[1] : std::string();
  bool first = true;
  for (const std::string& channel : split_commas(m.params[0])) {
    if (!std::exchange(first, false)) next_target();
    auto room = channel.starts_with('#') ? core::check_room_name(channel, hub_.limits().room_chars)
                                         : core::Result<core::CheckedName>(core::Refusal::no_such_room);
    if (!room.ok()) {
      numeric(kErrNoSuchChannel, {channel}, "No such channel");
      continue;
    }
    auto parted = hub_.rooms().part(ref_, room.value().key, reason);
    if (!parted.ok()) refuse(parted.refusal(), {channel});
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
  if (m.params.empty()) return complain(kErrNoRecipient, {}, fmt::format("No recipient given ({})", m.command));
  if (!tags_only && (m.params.size() < 2 || m.params[1].empty()))
    return complain(kErrNoTextToSend, {}, "No text to send");
  // Views, not copies: the event takes its one copy of the body (issue 14).
  const std::string_view text = tags_only ? std::string_view() : std::string_view(m.params[1]);
  // No UTF-8 check here: handle_line refused the whole line if it was not
  // (UTF8ONLY), and the text is a part of it cut at ASCII delimiters.
  std::string client_tags = client_only_tags(m);
  const auto action = tags_only ? std::nullopt : ctcp_action(text);
  const auto speech = tags_only ? core::Speech::tagged
                      : notice  ? core::Speech::notice
                      : action  ? core::Speech::action
                                : core::Speech::message;
  const std::string_view whole = action ? *action : text;
  // Only its length: the line is rendered once, for every member, later.
  const std::size_t source_size = user_prefix_size(nick_, hub_.identity_of(ref_).user, host_);

  const auto targets = comma_items(m.params[0]);
  if (targets.size() > kMaxTargets) return complain(kErrTooManyTargets, {m.params[0]}, "Too many recipients");
  for (const std::string_view target : targets) {
    // Relayed as one line, as it came: what would pass 512 bytes once it
    // carries our prefix is cut, never sent on as a second line.
    std::string body(fit_one_line(source_size, notice ? "NOTICE" : "PRIVMSG", target, whole, action.has_value()));
    // STATUSMSG: "@#c" reaches the channel's operators, "+#c" its voiced members and operators.
    const auto audience = target.starts_with("@#")   ? core::Audience::operators
                          : target.starts_with("+#") ? core::Audience::voiced
                                                     : core::Audience::members;
    const std::string_view channel =
        audience == core::Audience::members ? target : target.substr(1);
    if (!notice && !tags_only && is_chanserv(target)) {
      chanserv(body);
      continue;
    }
    if (config_->accounts && !notice && !tags_only && auth::is_service_name(target)) {
      nickserv(body);
      continue;
    }
    if (channel.starts_with('#')) {
      auto room = core::check_room_name(channel, hub_.limits().room_chars);
      // A copy of its own (not const, as the loop's reference is): moved, never copied.
      auto refused = [this, target = std::string(target), notice](core::Refusal no) {
        if (!notice) refuse(no, {target}, RefusalContext::channel_message);
      };
      static_assert(core::Refused::kInline<decltype(refused)>, "a channel message's refusal handler allocates nothing");
      auto said = room.ok() ? hub_.rooms().say(ref_, room.value().key, speech, std::move(body), refused, client_tags,
                                               audience)
                            : core::Result<core::Done>(room.refusal());
      if (!said.ok()) refused(said.refusal());
      continue;
    }
    // Known once private_message returns, before any answer.
    auto sent = std::make_shared<core::DirectoryRequests::Sent>();
    *sent = hub_.directory().private_message(
        ref_, target, speech, body,
        [this, target = std::string(target), body, notice, sent, speech, client_tags, tags_only](
            const core::Result<core::Identity>& r) {
          if (!r.ok()) {
            if (!notice) refuse(r.refusal(), {target});
            return;
          }
          // RPL_AWAY "when the client sends a PRIVMSG to a user who is away" (never for NOTICE).
          if (!notice && !tags_only && !r.value().presence.away.empty())
            numeric(kRplAway, {r.value().nick}, r.value().presence.away);
          // A text user's CTCP answer comes after the echo of the question, if any.
          if (!(caps_ & kCapEchoMessage)) {
            if (!notice && !tags_only) answer_ctcp_for_text_user(r.value(), body);
            return;
          }
          core::PrivateMessage echo;
          auto me = std::make_shared<core::Identity>(hub_.identity_of(ref_));
          me->nick = nick_;
          me->host = host_;
          echo.sender = std::move(me);
          echo.to_nick = r.value().nick;
          echo.speech = speech;
          echo.text = body;
          echo.client_tags = client_tags;
          echo.time = sent->time;  // the recipient's and history's time, to the millisecond
          send_raw(render_private(echo, line_caps(), sent->id));
          if (!notice && !tags_only) answer_ctcp_for_text_user(r.value(), body);
        },
        client_tags);
  }
}

void IrcSession::cmd_topic(const Message& m) {
  const std::string& channel = m.params[0];
  auto room = core::check_room_name(channel, hub_.limits().room_chars);
  if (!channel.starts_with('#') || !room.ok()) return numeric(kErrNoSuchChannel, {channel}, "No such channel");
  if (m.params.size() > 1) {
    auto r = hub_.rooms().set_topic(ref_, room.value().key, m.params[1],
                                    [this, channel](core::Refusal no) { refuse(no, {channel}); });
    if (r.ok()) return;
    if (r.refusal() == core::Refusal::topic_too_long) return refuse(r.refusal(), {});
    return refuse(r.refusal(), {channel});
  }
  hub_.rooms().room_info(ref_, channel, [this, channel](const core::Result<core::RoomSnapshot>& r) {
    if (!r.ok()) return numeric(kErrNoSuchChannel, {channel}, "No such channel");
    const std::string name = channel_name(r.value().room);
    if (r.value().topic.empty()) return numeric(kRplNoTopic, {name}, "No topic is set");
    send_topic(r.value());
  });
}

void IrcSession::send_topic(const core::RoomSnapshot& room) {
  const std::string name = channel_name(room.room);
  numeric(kRplTopic, {name}, room.topic);
  numeric(kRplTopicWhoTime, {name, room.topic_by.empty() ? "*" : room.topic_by, unix_seconds(room.topic_time)}, "");
}

void IrcSession::send_names(const core::RoomSnapshot& room) {
  const std::string channel = channel_name(room.room);
  // RPL_NAMREPLY's symbol: '@' for a secret channel, '=' for a public one.
  const char symbol = room.settings.secret ? '@' : '=';
  const std::string head =
      fmt::format(":{} {} {} {} {} :", config_->server_name, kRplNamReply, nick_, symbol, channel);
  std::string line = head;
  bool any = false;
  for (const auto& e : room.entries) {
    std::string name = member_prefix(e.op, e.voice, caps_ & kCapMultiPrefix) +
                       ((caps_ & kCapUserhostInNames) ? user_prefix(e.identity->nick, e.identity->user, e.identity->host) : e.identity->nick);
    if (any && line.size() + 1 + name.size() + 2 > kLineBytes) {
      send_raw(line + "\r\n");
      line = head;
      any = false;
    }
    line += (any ? " " : "") + name;
    any = true;
  }
  if (any) send_raw(line + "\r\n");
  numeric(kRplEndOfNames, {channel}, "End of /NAMES list");
}

bool IrcSession::in_room_now(std::string_view channel) const {
  auto room = core::check_room_name(channel, hub_.limits().room_chars);
  if (!room.ok()) return false;
  const auto rooms = hub_.rooms_of(ref_);
  return std::find(rooms.begin(), rooms.end(), room.value().key) != rooms.end();
}

void IrcSession::cmd_names(const Message& m) {
  if (m.params.empty()) return numeric(kRplEndOfNames, {"*"}, "End of /NAMES list");
  const std::string channel = split_commas(m.params[0]).empty() ? m.params[0] : split_commas(m.params[0]).front();
  hub_.rooms().room_info(ref_, channel, [this, channel](const core::Result<core::RoomSnapshot>& r) {
    // A secret channel's members are listed to its members only: to others it
    // answers as a channel that does not exist.
    if (!r.ok() || (r.value().settings.secret && !in_room_now(channel)))
      return numeric(kRplEndOfNames, {channel}, "End of /NAMES list");
    send_names(r.value());
  });
}

void IrcSession::cmd_list(const Message&) {
  hub_.rooms().list_rooms(ref_, [this](const core::Result<std::vector<core::RoomSummary>>& r) {
    numeric(kRplListStart, {"Channel"}, "Users  Name");
    if (r.ok()) {
      for (const auto& room : r.value())
        numeric(kRplList, {channel_name(room.room), std::to_string(room.members)}, room.topic);
    }
    numeric(kRplListEnd, {}, "End of /LIST");
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
  if (!room.ok()) return numeric(kErrNoSuchChannel, {channel}, "No such channel");
  const std::string key = room.value().key;
  if (m.params.size() == 1) {
    hub_.rooms().room_info(ref_, channel, [this, channel, key](const core::Result<core::RoomSnapshot>& r) {
      if (!r.ok()) return numeric(kErrNoSuchChannel, {channel}, "No such channel");
      const auto rooms = hub_.rooms_of(ref_);
      const bool member = std::find(rooms.begin(), rooms.end(), key) != rooms.end();
      auto modes = channel_modes(r.value().settings, member);
      Message reply{{}, config_->server_name, std::string(kRplChannelModeIs), {nick_, channel_name(r.value().room)}};
      for (auto& mode : modes) reply.params.push_back(std::move(mode));
      send_raw(to_line(reply));
      numeric(kRplCreationTime, {channel_name(r.value().room), unix_seconds(r.value().created)}, "");
    });
    return;
  }
  // Parse "+mt-k+o key nick": letters with their parameters, in order.
  std::vector<core::RoomChange> changes;
  std::vector<core::RoomSetting> lists;  // b, e, I without a mask: show that list
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
    const std::optional<S> setting = core::setting_for_letter(c);
    if (!setting) {
      numeric(kErrUnknownMode, {std::string(1, c)}, "is unknown mode char to me");
      continue;
    }
    std::string arg;
    const bool needs_arg = core::is_mask_list(*setting) || *setting == S::op || *setting == S::voice ||
                           (on && (*setting == S::key || *setting == S::limit));
    if (needs_arg || (*setting == S::key && !on)) {
      auto p = param();
      if (!p && core::is_mask_list(*setting)) {
        if (std::find(lists.begin(), lists.end(), *setting) == lists.end()) lists.push_back(*setting);
        continue;
      }
      if (!p && needs_arg) continue;  // a letter without its parameter is ignored
      arg = p.value_or(std::string());
    }
    changes.push_back({*setting, on, std::move(arg), {}, {}});
  }
  if (!lists.empty()) {
    hub_.rooms().room_info(ref_, channel, [this, channel, lists](const core::Result<core::RoomSnapshot>& r) {
      const std::string name = r.ok() ? channel_name(r.value().room) : channel;
      for (S list : lists) {
        const auto& s = r.ok() ? r.value().settings : core::RoomSettings{};
        const auto& masks = list == S::ban ? s.bans : list == S::ban_exception ? s.ban_exceptions : s.invite_exceptions;
        const auto entry = list == S::ban ? kRplBanList : list == S::ban_exception ? kRplExceptList : kRplInviteList;
        for (const auto& mask : masks) numeric(entry, {name, mask}, "");
        if (list == S::ban) numeric(kRplEndOfBanList, {name}, "End of channel ban list");
        else if (list == S::ban_exception) numeric(kRplEndOfExceptList, {name}, "End of channel exception list");
        else numeric(kRplEndOfInviteList, {name}, "End of channel invite list");
      }
    });
  }
  if (changes.empty()) return;
  hub_.rooms().change_settings(ref_, key, std::move(changes),
                       [this, channel](const core::Result<std::vector<core::Room::RefusedChange>>& r) {
                         if (!r.ok() && r.refusal() == core::Refusal::not_in_room) return not_on_channel(channel);
                         if (!r.ok()) return refuse(r.refusal(), {channel});  // not an operator
                         for (const auto& refused : r.value()) {
                           const auto& c = refused.change;
                           switch (refused.refusal) {
                             case core::Refusal::no_such_member: not_a_member(c.arg, channel); break;
                             case core::Refusal::ban_list_full: refuse(refused.refusal, {channel, c.arg}); break;
                             // +i, +k or +l on the server's default room (ERR_NOPRIVILEGES).
                             case core::Refusal::not_server_operator: refuse(refused.refusal, {}); break;
                             default:  // invalid_setting: a key or limit that cannot be used
                               // An overlong key is not repeated (ERR_INVALIDMODEPARAM shows it as '*').
                               refuse(refused.refusal,
                                      {channel, std::string(1, mode_letter(c.setting)),
                                       c.arg.size() > hub_.limits().room.key_bytes ? "*" : as_middle_param(c.arg)});
                               break;
                           }
                         }
                       });
}

void IrcSession::cmd_kick(const Message& m) {
  // RFC 2812: "either one channel parameter and multiple user parameter, or
  // as many channel parameters as there are user parameters".
  const auto channels = split_commas(m.params[0]);
  const auto targets = split_commas(m.params[1]);
  if (channels.empty() || (channels.size() > 1 && channels.size() != targets.size()))
    return numeric(kErrNeedMoreParams, {m.command}, "Not enough parameters");
  const std::string reason = m.params.size() > 2 ? m.params[2] : std::string();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::string& channel = channels.size() == 1 ? channels[0] : channels[i];
    const std::string& target = targets[i];
    auto room = core::check_room_name(channel, hub_.limits().room_chars);
    if (!channel.starts_with('#') || !room.ok()) {
      numeric(kErrNoSuchChannel, {channel}, "No such channel");
      continue;
    }
    hub_.rooms().kick(ref_, room.value().key, target, reason, [this, channel, target](const core::Result<core::Done>& r) {
      if (r.ok()) return;
      if (r.refusal() == core::Refusal::no_such_member) return refuse(r.refusal(), {target, channel});
      if (r.refusal() == core::Refusal::not_in_room) return not_on_channel(channel);
      refuse(r.refusal(), {channel});  // not an operator
    });
  }
}

void IrcSession::not_on_channel(const std::string& channel) {
  // ERR_NOSUCHCHANNEL for a channel that does not exist, ERR_NOTONCHANNEL for
  // one you are not in: only the room's home loop knows which.
  hub_.rooms().room_info(ref_, channel, [this, channel](const core::Result<core::RoomSnapshot>& r) {
    if (!r.ok()) return numeric(kErrNoSuchChannel, {channel}, "No such channel");
    refuse(core::Refusal::not_in_room, {channel});
  });
}

void IrcSession::not_a_member(const std::string& nick, const std::string& channel) {
  // ERR_NOSUCHNICK for a nick nobody has, ERR_USERNOTINCHANNEL for someone elsewhere.
  hub_.directory().find_user(ref_, nick, [this, nick, channel](const core::Result<core::Identity>& r) {
    if (!r.ok()) return numeric(kErrNoSuchNick, {nick}, "No such nick/channel");
    refuse(core::Refusal::no_such_member, {r.value().nick, channel});
  });
}

void IrcSession::cmd_invite(const Message& m) {
  const std::string target = m.params[0];
  const std::string channel = m.params[1];
  if (!channel.starts_with('#') || !core::check_room_name(channel, hub_.limits().room_chars).ok())
    return numeric(kErrNoSuchChannel, {channel}, "No such channel");
  hub_.rooms().invite(ref_, target, channel, [this, target, channel](const core::Result<core::Identity>& r) {
    if (r.ok()) return numeric(kRplInviting, {r.value().nick, channel}, "");
    switch (r.refusal()) {
      case core::Refusal::no_such_user: return refuse(r.refusal(), {target});
      case core::Refusal::already_member: return refuse(r.refusal(), {target, channel});
      default: return refuse(r.refusal(), {channel});  // not an operator, or not in it
    }
  });
}

}  // namespace parley::irc
