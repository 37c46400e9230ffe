#include "irc/render.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

#include "irc/capabilities.h"
#include "irc/line_split.h"
#include "irc/message.h"

namespace parley::irc {
namespace {
// ":" source " " command " " target " :" [ACTION] text [\x01]: the bytes around the text.
std::size_t text_overhead(std::size_t source_size, std::string_view command, std::string_view target, bool action) {
  return 1 + source_size + 1 + command.size() + 1 + target.size() + 2 + (action ? 9 : 0);
}
}  // namespace

std::string_view fit_one_line(std::size_t source_size, std::string_view command, std::string_view target,
                              std::string_view text, bool action) {
  std::size_t room = text_room(text_overhead(source_size, command, target, action));
  if (text.size() <= room) return text;
  // Back off to the start of a UTF-8 sequence: never leave half a character.
  while (room > 0 && (static_cast<unsigned char>(text[room]) & 0xC0) == 0x80) --room;
  return text.substr(0, room);
}

// One PRIVMSG/NOTICE per piece: text from text users can be longer than an
// IRC line, and is split on UTF-8 boundaries, never mid-character. The first
// line carries the message's tags; the others carry `later`'s, without the
// msgid, since a message id names one line.
void append_text_lines(std::string& out, std::string_view tags, const LaterLineTags& later, std::string_view source,
                       std::string_view command, std::string_view target, std::string_view text, bool action) {
  const std::size_t room = text_room(text_overhead(source.size(), command, target, action));
  if (!action && text.size() <= room) {
    // The usual case, once per message and wire form: one line, built in place.
    out.reserve(out.size() + tags.size() + line_size(source, command, {target}, text));
    out += tags;
    append_line(out, source, command, {target}, text);
    return;
  }
  std::string_view ctcp_open = action ? "\x01" "ACTION " : "";
  std::string_view ctcp_close = action ? "\x01" : "";
  auto pieces = split_utf8(text, room);
  if (pieces.empty()) pieces.push_back({});
  const std::string rest_tags = pieces.size() > 1 ? tag_prefix(later.caps, later.time, {}, {}, later.bot) : "";
  bool first = true;
  std::string wrapped;  // an ACTION's piece between its CTCP marks
  for (auto piece : pieces) {
    out += first ? tags : rest_tags;
    first = false;
    if (action) piece = wrapped.assign(ctcp_open).append(piece).append(ctcp_close);
    out += format_line(source, command, {target}, piece);
  }
}

char mode_letter(core::RoomSetting setting) {
  using S = core::RoomSetting;
  switch (setting) {
    case S::topic_locked: return 't';
    case S::moderated: return 'm';
    case S::invite_only: return 'i';
    case S::secret: return 's';
    case S::key: return 'k';
    case S::limit: return 'l';
    case S::ban: return 'b';
    case S::op: return 'o';
    case S::voice: return 'v';
    case S::no_outside: return 'n';
    case S::ban_exception: return 'e';
    case S::invite_exception: return 'I';
  }
  return '?';
}

std::vector<std::string> channel_modes(const core::RoomSettings& s, bool show_key) {
  std::string modes = "+";
  if (s.invite_only) modes += 'i';
  if (!s.key.empty()) modes += 'k';
  if (s.limit > 0) modes += 'l';
  if (s.moderated) modes += 'm';
  if (s.no_outside) modes += 'n';
  if (s.secret) modes += 's';
  if (s.topic_locked) modes += 't';
  std::vector<std::string> out{modes};
  if (!s.key.empty()) out.push_back(show_key ? s.key : "*");
  if (s.limit > 0) out.push_back(std::to_string(s.limit));
  return out;
}

std::string member_prefix(bool op, bool voice, bool multi_prefix) {
  if (multi_prefix) return std::string(op ? "@" : "") + (voice ? "+" : "");
  return op ? "@" : voice ? "+" : "";
}

// These two run for every rendered line (a room message: twice, the sender's
// and the room's): appends, not fmt::format, whose format-string parsing
// cost more than the rest of the line (issue 14, callgrind).
std::string channel_name(std::string_view room) { return std::string(1, '#').append(room); }

std::string user_prefix(std::string_view nick, std::string_view user, std::string_view host) {
  PrefixBuffer buffer;
  return std::string(user_prefix(buffer, nick, user, host));
}

std::string_view user_prefix(PrefixBuffer& buffer, std::string_view nick, std::string_view user,
                             std::string_view host) {
  if (user.empty()) user = "*";
  if (host.empty()) host = "*";
  buffer.clear();
  buffer.append(nick);
  buffer.push_back('!');
  buffer.append(user);
  buffer.push_back('@');
  buffer.append(host);
  return {buffer.data(), buffer.size()};
}

std::size_t user_prefix_size(std::string_view nick, std::string_view user, std::string_view host) {
  return nick.size() + 1 + std::max<std::size_t>(user.size(), 1) + 1 + std::max<std::size_t>(host.size(), 1);
}

std::string server_time(core::WallTime time) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(time);
  const auto day = floor<days>(ms);
  const year_month_day date{day};
  const int year = static_cast<int>(date.year());
  const hh_mm_ss clock{ms - day};
  if (year < 0 || year > 9999) {  // not four digits: a clock gone wrong
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", fmt::gmtime(system_clock::to_time_t(ms)),
                       clock.subseconds().count());
  }
  // "2026-12-05T08:40:12.345Z" digit by digit: once or twice per line sent
  // with server-time, where fmt's chrono formatting cost ~2,700 instructions.
  std::string out = "0000-00-00T00:00:00.000Z";
  const auto put = [&out](std::size_t at, std::size_t width, long value) {
    for (std::size_t i = at + width; i-- > at; value /= 10) out[i] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, year);
  put(5, 2, static_cast<unsigned>(date.month()));
  put(8, 2, static_cast<unsigned>(date.day()));
  put(11, 2, clock.hours().count());
  put(14, 2, clock.minutes().count());
  put(17, 2, static_cast<long>(clock.seconds().count()));
  put(20, 3, static_cast<long>(clock.subseconds().count()));
  return out;
}

std::string tag_prefix(std::uint32_t caps, core::WallTime time, std::string_view msgid, std::string_view client_tags,
                       bool bot, std::string_view account) {
  // Built in one string: once per message and wire form.
  std::string tags;
  const auto next = [&tags](std::string_view key) {
    if (tags.empty()) tags.reserve(96);
    tags += tags.empty() ? '@' : ';';
    tags += key;
  };
  if (caps & kCapServerTime) {
    next("time=");
    tags += server_time(time);
  }
  // account-tag: needs no message-tags of its own.
  if ((caps & kCapAccountTag) && !account.empty()) {
    next("account=");
    append_escaped_tag_value(tags, account);
  }
  if ((caps & kCapMessageTags) && !msgid.empty()) {
    next("msgid=");
    append_escaped_tag_value(tags, msgid);
  }
  // bot-mode: "This tag MUST only be sent to users who have requested the message-tags capability."
  if ((caps & kCapMessageTags) && bot) next("bot");
  // "Any server-initiated tags attached to messages MUST be included before client-only tags".
  if ((caps & kCapMessageTags) && !client_tags.empty()) next(client_tags);
  if (!tags.empty()) tags += ' ';
  return tags;
}

namespace {

// ":op MODE #room +mt-k+o * Zoe": signs only where they change, and as many
// lines as it takes to keep each within the line limit.
std::string render_modes(std::string_view tags, std::string_view source, std::string_view channel,
                         const std::vector<core::RoomChange>& changes) {
  std::string out;
  const std::string head = fmt::format(":{} MODE {} ", source, channel);
  std::string modes, params;
  int sign = 0;
  auto flush = [&] {
    if (modes.empty()) return;
    out += tags;
    out += head + modes + params + "\r\n";
    modes.clear();
    params.clear();
    sign = 0;
  };
  for (const auto& c : changes) {
    using S = core::RoomSetting;
    std::string param;
    switch (c.setting) {
      case S::key: param = c.on ? c.arg : "*"; break;
      case S::limit: param = c.on ? c.arg : ""; break;
      case S::ban:
      case S::ban_exception:
      case S::invite_exception: param = c.arg; break;
      case S::op:
      case S::voice: param = c.target_nick; break;
      default: break;
    }
    if (head.size() + modes.size() + params.size() + 2 + 1 + param.size() + 2 > kLineBytes) flush();
    if (sign != (c.on ? 1 : -1)) {
      sign = c.on ? 1 : -1;
      modes += c.on ? '+' : '-';
    }
    modes += mode_letter(c.setting);
    if (!param.empty()) params += " " + param;
  }
  flush();
  return out;
}

std::string_view speech_command(core::Speech speech) {
  return speech == core::Speech::notice ? "NOTICE" : "PRIVMSG";
}

}  // namespace

std::string render_room_event(const core::RoomEvent& ev, std::uint32_t caps) {
  using E = core::RoomEvent;
  const core::Identity& by = ev.by();
  PrefixBuffer source_buffer;
  const std::string_view source = user_prefix(source_buffer, by.nick, by.user, by.host);
  const std::string channel = channel_name(ev.room);
  // Messages carry their id and the sender's tags; a REDACT its id (as the
  // spec's examples show); so do the lines history keeps (JOIN, PART, QUIT,
  // KICK, TOPIC, NICK), since draft/event-playback replays them with their
  // id and a client matches what it saw live with what it reads again by it.
  // Other lines (MODE, INVITE, AWAY...) only time.
  const auto* said = ev.as<E::Said>();
  const bool with_id = said || ev.as<E::Redacted>() || ev.as<E::Joined>() || ev.as<E::Left>() ||
                       ev.as<E::Kicked>() || ev.as<E::TopicChanged>() || ev.as<E::Renamed>();
  const std::string tags = tag_prefix(caps, ev.time, with_id ? std::string_view(ev.id) : std::string_view(),
                                      said ? std::string_view(said->client_tags) : std::string_view(),
                                      by.presence.bot, by.presence.account);
  return std::visit(
      core::Overloaded{
          [&](const E::Joined&) {
            const std::string account = by.presence.account.empty() ? "*" : by.presence.account;
            return tags + ((caps & kCapExtendedJoin) ? format_line(source, "JOIN", {channel, account}, by.real_name)
                                                     : fmt::format(":{} JOIN {}\r\n", source, channel));
          },
          [&](const E::Left& left) {
            if (left.quit && !left.closed_by.empty())
              return tags + format_line(source, "QUIT", {}, fmt::format("Killed ({} ({}))", left.closed_by, left.reason));
            // "servers SHOULD prepend <reason> with ... "Quit: "" when the client
            // sent QUIT, even an empty one; a lost connection says what happened.
            if (left.quit && left.asked) return tags + format_line(source, "QUIT", {}, "Quit: " + left.reason);
            if (left.quit)
              return tags + format_line(source, "QUIT", {}, left.reason.empty() ? "Connection closed" : left.reason);
            if (left.reason.empty()) return tags + fmt::format(":{} PART {}\r\n", source, channel);
            return tags + format_line(source, "PART", {channel}, left.reason);
          },
          [&](const E::Said& s) {
            // STATUSMSG keeps the status prefix it was sent to: "@#room", "+#room".
            const std::string target = s.audience == core::Audience::operators ? "@" + channel
                                       : s.audience == core::Audience::voiced  ? "+" + channel
                                                                               : channel;
            if (s.speech == core::Speech::tagged) return tags + fmt::format(":{} TAGMSG {}\r\n", source, target);
            std::string out;
            append_text_lines(out, tags, {caps, ev.time, by.presence.bot}, source,
                              speech_command(s.speech), target, s.text, s.speech == core::Speech::action);
            return out;
          },
          [&](const E::Renamed& r) { return tags + format_line(source, "NICK", {}, r.to->nick); },
          [&](const E::TopicChanged& t) { return tags + format_line(source, "TOPIC", {channel}, t.topic); },
          [&](const E::SettingsChanged& c) { return render_modes(tags, source, channel, c.changes); },
          [&](const E::Kicked& k) {
            return tags + format_line(source, "KICK", {channel, k.target_identity->nick},
                                      k.reason.empty() ? by.nick : k.reason);
          },
          [&](const E::Invited& i) {
            return tags + fmt::format(":{} INVITE {} {}\r\n", source, i.invitee->nick, channel);
          },
          [&](const E::AwayChanged&) { return tags + render_away(source, by.presence.away); },
          [&](const E::RealNameChanged&) { return tags + format_line(source, "SETNAME", {}, by.real_name); },
          [&](const E::AccountChanged&) { return tags + render_account(source, by.presence.account); },
          [&](const E::Redacted& r) {
            if (r.reason.empty()) return tags + fmt::format(":{} REDACT {} {}\r\n", source, channel, r.msgid);
            return tags + format_line(source, "REDACT", {channel, r.msgid}, r.reason);
          },
      },
      ev.what);
}

std::string in_batch(std::string_view lines, std::string_view batch_id) {
  std::string out;
  out.reserve(lines.size() + 16);
  while (!lines.empty()) {
    const auto end = lines.find('\n');
    const std::string_view line = lines.substr(0, end == std::string_view::npos ? lines.size() : end + 1);
    lines.remove_prefix(line.size());
    // The batch tag joins the line's tags, or makes them.
    if (line.starts_with('@')) out.append("@batch=").append(batch_id).append(1, ';').append(line.substr(1));
    else out.append("@batch=").append(batch_id).append(1, ' ').append(line);
  }
  return out;
}

namespace {

// A batch of `type` (netsplit, netjoin) between two servers, its lines inside.
std::string render_server_batch(std::string_view server, std::string_view batch_id, std::string_view type,
                                const std::string& first, const std::string& second,
                                const std::vector<std::string_view>& lines) {
  const std::string start = fmt::format("+{}", batch_id);
  std::string out = format_line(server, "BATCH", {start, type, first}, second);
  for (std::string_view line : lines) out += in_batch(line, batch_id);
  out += fmt::format(":{} BATCH -{}\r\n", server, batch_id);
  return out;
}

}  // namespace

std::string render_netsplit_batch(std::string_view server, std::string_view batch_id, const core::Netsplit& split,
                                  const std::vector<std::string_view>& quits) {
  return render_server_batch(server, batch_id, "netsplit", split.survivor, split.lost, quits);
}

std::string render_netjoin_batch(std::string_view server, std::string_view batch_id, const core::Netjoin& netjoin,
                                 const std::vector<std::string_view>& joins) {
  return render_server_batch(server, batch_id, "netjoin", netjoin.here, netjoin.back, joins);
}

std::string render_restored_roles(std::string_view server, const core::RoomEvent& ev, std::uint32_t caps) {
  const auto* joined = ev.as<core::RoomEvent::Joined>();
  if (!joined || !joined->again || !joined->rejoin || !(joined->rejoin->op || joined->rejoin->voice)) return {};
  std::vector<core::RoomChange> changes;
  for (auto [setting, on] : {std::pair{core::RoomSetting::op, joined->rejoin->op},
                             std::pair{core::RoomSetting::voice, joined->rejoin->voice}}) {
    if (!on) continue;
    core::RoomChange c;
    c.setting = setting;
    c.arg = ev.by().display;
    c.target_nick = ev.by().nick;
    c.target = ev.actor;
    changes.push_back(std::move(c));
  }
  return render_modes(tag_prefix(caps, ev.time, {}), server, channel_name(ev.room), changes);
}

std::string who_flags(const core::Presence& presence, std::string_view member_prefix) {
  std::string flags = presence.away.empty() ? "H" : "G";
  if (presence.server_operator) flags += '*';
  flags += member_prefix;
  if (presence.bot) flags += 'B';
  return flags;
}

std::string render_away(std::string_view source, std::string_view away) {
  // away-notify: ":nick!user@host AWAY [:message]", no message when back.
  if (away.empty()) return fmt::format(":{} AWAY\r\n", source);
  return format_line(source, "AWAY", {}, away);
}

std::string render_account(std::string_view source, std::string_view account) {
  return fmt::format(":{} ACCOUNT {}\r\n", source, account.empty() ? "*" : account);
}

std::string render_private(const core::PrivateMessage& pm, std::uint32_t caps, std::string_view msgid) {
  const core::Identity& from = *pm.sender;
  const std::string source = user_prefix(from.nick, from.user, from.host);
  const std::string tags = tag_prefix(caps, pm.time, msgid, pm.client_tags, from.presence.bot, from.presence.account);
  if (pm.speech == core::Speech::tagged) return tags + fmt::format(":{} TAGMSG {}\r\n", source, pm.to_nick);
  std::string out;
  append_text_lines(out, tags, {caps, pm.time, from.presence.bot}, source,
                    speech_command(pm.speech), pm.to_nick, pm.text, pm.speech == core::Speech::action);
  return out;
}

}  // namespace parley::irc
