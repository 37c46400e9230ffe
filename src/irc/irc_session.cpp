#include "irc/irc_session.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

#include "core/unicode.h"
#include "irc/capabilities.h"
#include "irc/line_split.h"
#include "irc/render.h"

namespace parley::irc {
namespace {

constexpr std::size_t kMaxTargets = 4;
constexpr std::size_t kMaxRemembered = 64;
constexpr std::size_t kMaxWaitingLines = 64;
constexpr std::string_view kNickSpecials = "[]\\`_^{|}-";

std::vector<std::string> split_commas(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const auto comma = s.find(',');
    if (comma != 0) out.emplace_back(s.substr(0, comma));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

// RFC 2812 nicks, widened to letters of any script (UTF8ONLY): a letter or
// special first, then letters, digits, specials or '-'.
bool valid_nick(std::string_view nick, std::size_t max_chars) {
  if (nick.empty() || !core::is_valid_utf8(nick) || core::count_code_points(nick) > max_chars) return false;
  const unsigned char first = static_cast<unsigned char>(nick[0]);
  if ((first >= '0' && first <= '9') || first == '-') return false;
  for (unsigned char c : nick) {
    if (c >= 0x80) continue;  // part of a non-ASCII letter; the registry's name check refuses controls
    if (std::isalnum(c) || kNickSpecials.find(static_cast<char>(c)) != std::string_view::npos) continue;
    return false;
  }
  return true;
}

// "\x01ACTION waves\x01" -> "waves"
std::optional<std::string_view> ctcp_action(std::string_view text) {
  constexpr std::string_view kOpen = "\x01" "ACTION ";
  if (!text.starts_with(kOpen)) return std::nullopt;
  text.remove_prefix(kOpen.size());
  if (text.ends_with('\x01')) text.remove_suffix(1);
  return text;
}

}  // namespace

const std::vector<IrcSession::Command>& IrcSession::commands() {
  static const std::vector<Command> table = {
      {"CAP", &IrcSession::cmd_cap, 1, true},         {"PASS", &IrcSession::cmd_pass, 1, true},
      {"NICK", &IrcSession::cmd_nick, 0, true},       {"USER", &IrcSession::cmd_user, 4, true},
      {"PING", &IrcSession::cmd_ping, 1, true},       {"PONG", &IrcSession::cmd_pong, 0, true},
      {"QUIT", &IrcSession::cmd_quit, 0, true},       {"JOIN", &IrcSession::cmd_join, 1, false},
      {"PART", &IrcSession::cmd_part, 1, false},      {"PRIVMSG", &IrcSession::cmd_privmsg, 0, false},
      {"NOTICE", &IrcSession::cmd_notice, 0, false},  {"TOPIC", &IrcSession::cmd_topic, 1, false},
      {"NAMES", &IrcSession::cmd_names, 0, false},    {"LIST", &IrcSession::cmd_list, 0, false},
      {"WHO", &IrcSession::cmd_who, 1, false},        {"WHOIS", &IrcSession::cmd_whois, 1, false},
      {"ISON", &IrcSession::cmd_ison, 1, false},      {"USERHOST", &IrcSession::cmd_userhost, 1, false},
      {"MODE", &IrcSession::cmd_mode, 1, false},      {"MOTD", &IrcSession::cmd_motd, 0, false},
      {"LUSERS", &IrcSession::cmd_lusers, 0, false},  {"VERSION", &IrcSession::cmd_version, 0, false},
      {"TIME", &IrcSession::cmd_time, 0, false},     {"KICK", &IrcSession::cmd_kick, 2, false},
      {"INVITE", &IrcSession::cmd_invite, 2, false},
  };
  return table;
}

IrcSession::IrcSession(core::Hub& hub, core::LoopIndex loop, session::Outbound& out,
                       std::shared_ptr<const IrcConfig> config, std::string peer_address)
    : hub_(hub), loop_(loop), out_(out), config_(std::move(config)), host_(std::move(peer_address)) {}

IrcSession::~IrcSession() {
  if (attached_) hub_.detach(ref_, {});
}

std::string IrcSession::farewell(session::CloseReason reason) {
  using session::CloseReason;
  switch (reason) {
    case CloseReason::too_slow: return "ERROR :Closing link: SendQ exceeded (you were not reading fast enough)\r\n";
    case CloseReason::shutdown: return "ERROR :Closing link: the server is shutting down\r\n";
    case CloseReason::registration_timeout: return "ERROR :Closing link: registration timed out\r\n";
    case CloseReason::too_many_from_address: return "ERROR :Closing link: too many connections from your address\r\n";
    case CloseReason::server_full: return "ERROR :Closing link: the server is full\r\n";
    case CloseReason::ping_timeout: return "ERROR :Closing link: Ping timeout\r\n";
    case CloseReason::client_left:
    case CloseReason::peer_closed: return {};
  }
  return {};
}

void IrcSession::start() {
  ref_ = hub_.attach(loop_, *this, core::Profile{{}, host_, {}});
  attached_ = true;
}

void IrcSession::send_raw(std::string line) { out_.send(std::make_shared<const std::string>(std::move(line))); }

void IrcSession::numeric(std::string_view code, std::initializer_list<std::string_view> middle,
                         std::string_view trailing) {
  Message reply{{}, config_->server_name, std::string(code), {nick_}};
  for (auto m : middle) reply.params.emplace_back(m);
  if (!trailing.empty()) reply.params.emplace_back(trailing);
  send_raw(fitted_line(std::move(reply)));
}

// Replies may repeat what the client sent (an unknown command, a long PING
// token): shorten the longest parameter, on a UTF-8 boundary, until the line
// fits IRC's 512 bytes.
std::string IrcSession::fitted_line(Message reply) {
  std::string line = to_line(reply);
  while (line.size() > 512 && !reply.params.empty()) {
    auto longest = std::max_element(reply.params.begin(), reply.params.end(),
                                    [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
    const std::size_t excess = line.size() - 512;
    const std::size_t keep = longest->size() > excess + 1 ? longest->size() - excess - 1 : 1;
    *longest = std::string(split_utf8(*longest, keep).front());
    line = to_line(reply);
  }
  return line;
}

std::string IrcSession::prefix() const { return user_prefix(nick_, "~" + user_, host_); }

std::uint32_t IrcSession::line_caps() const { return caps_ & kCapsThatShapeLines; }

void IrcSession::on_idle() {
  if (ended_) return;
  if (!awaiting_pong_) {
    // Quiet for a while: ask for a sign of life before the next interval ends.
    awaiting_pong_ = true;
    return send_raw(format_line("", "PING", {}, config_->server_name));
  }
  send_raw(farewell(session::CloseReason::ping_timeout));
  ended_ = true;
  if (attached_) {
    attached_ = false;
    hub_.detach(ref_, "Ping timeout");
  }
  out_.close_after_flush(session::CloseReason::ping_timeout);
}

void IrcSession::on_line(std::string_view line) {
  awaiting_pong_ = false;  // any line is a sign of life, not only PONG
  if (ended_) return;
  if (claiming_) {
    // Registration is being settled; what follows (JOIN, often) waits for it, in order.
    if (waiting_lines_.size() < kMaxWaitingLines) waiting_lines_.emplace_back(line);
    return;
  }
  handle_line(line);
}

void IrcSession::handle_line(std::string_view line) {
  if (!core::is_valid_utf8(line)) {
    // UTF8ONLY: nothing that is not UTF-8 is relayed. Messages and topics are
    // refused, so the sender knows; anything else (a PART reason, a real name)
    // is kept with U+FFFD in place of the bad bytes, so the command still works.
    auto parsed = parse_message(line);
    const std::string command = parsed.message ? core::repair_utf8(parsed.message->command) : "*";
    if (command == "NOTICE") return;  // never an automatic reply to a NOTICE
    if (command == "PRIVMSG" || command == "TOPIC") {
      return send_raw(format_line(config_->server_name, "FAIL", {command, "INVALID_UTF8"},
                                  "This server only relays valid UTF-8 (UTF8ONLY); that was not sent"));
    }
    return handle_line(core::repair_utf8(line));
  }
  auto parsed = parse_message(line);
  if (!parsed.message) {
    if (parsed.error == ParseError::empty_line) return;
    if (parsed.error == ParseError::tags_too_long || parsed.error == ParseError::body_too_long)
      return numeric("417", {}, "Input line was too long");
    return;  // malformed: nothing sensible to answer
  }
  const Message& m = *parsed.message;
  for (const Command& c : commands()) {
    if (c.name != m.command) continue;
    if (!registered_ && !c.before_registration) return numeric("451", {}, "You have not registered");
    if (m.params.size() < c.min_params) return numeric("461", {m.command}, "Not enough parameters");
    return (this->*c.handler)(m);
  }
  if (!registered_) return numeric("451", {}, "You have not registered");
  numeric("421", {m.command}, "Unknown command");
}

void IrcSession::on_line_too_long(std::size_t) { numeric("417", {}, "Input line was too long"); }

void IrcSession::on_closed(session::CloseReason) {
  ended_ = true;
  if (attached_) {
    attached_ = false;
    hub_.detach(ref_, {});
  }
}

// --- registration ------------------------------------------------------------

void IrcSession::cmd_cap(const Message& m) {
  std::string sub = m.params[0];
  std::transform(sub.begin(), sub.end(), sub.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (sub == "LS") {
    if (!registered_) cap_negotiating_ = true;
    if (m.params.size() > 1 && std::atoi(m.params[1].c_str()) >= 302) caps_ |= kCapCapNotify;  // implied by 302
    std::string names;
    for (const auto& c : kCaps) names += (names.empty() ? "" : " ") + std::string(c.name);
    return send_raw(fmt::format(":{} CAP {} LS :{}\r\n", config_->server_name, nick_, names));
  }
  if (sub == "LIST") {
    std::string names;
    for (const auto& c : kCaps) {
      if (caps_ & c.bit) names += (names.empty() ? "" : " ") + std::string(c.name);
    }
    return send_raw(fmt::format(":{} CAP {} LIST :{}\r\n", config_->server_name, nick_, names));
  }
  if (sub == "REQ") {
    if (!registered_) cap_negotiating_ = true;
    const std::string wanted = m.params.size() > 1 ? m.params[1] : std::string();
    std::uint32_t add = 0, remove = 0;
    bool all_known = true;
    std::string_view rest = wanted;
    while (!rest.empty()) {
      const auto space = rest.find(' ');
      std::string_view word = rest.substr(0, space);
      rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
      if (word.empty()) continue;
      const bool off = word.front() == '-';
      if (off) word.remove_prefix(1);
      auto cap = cap_named(word);
      if (!cap) all_known = false;
      else (off ? remove : add) |= *cap;
    }
    // All or nothing, as CAP REQ requires.
    const char* verdict = all_known ? "ACK" : "NAK";
    if (all_known) caps_ = (caps_ | add) & ~remove;
    return send_raw(fmt::format(":{} CAP {} {} :{}\r\n", config_->server_name, nick_, verdict, wanted));
  }
  if (sub == "END") {
    cap_negotiating_ = false;
    return try_register();
  }
  numeric("410", {m.params[0]}, "Invalid CAP command");
}

void IrcSession::cmd_pass(const Message&) {
  if (registered_) numeric("462", {}, "You may not reregister");
  // No server password is configured: PASS is accepted and ignored.
}

void IrcSession::cmd_nick(const Message& m) {
  if (m.params.empty() || m.params[0].empty()) return numeric("431", {}, "No nickname given");
  const std::string& wanted = m.params[0];
  if (!valid_nick(wanted, hub_.limits().nick_chars)) return numeric("432", {wanted}, "Erroneous nickname");
  if (!registered_) {
    wanted_nick_ = wanted;
    return try_register();
  }
  hub_.claim_name(ref_, wanted, [this, wanted](const core::Result<core::Identity>& r) {
    if (!r.ok()) {
      return r.refusal() == core::Refusal::name_in_use ? numeric("433", {wanted}, "Nickname is already in use")
                                                         : numeric("432", {wanted}, "Erroneous nickname");
    }
    const std::string old_prefix = prefix();
    if (r.value().nick == nick_) return;
    nick_ = r.value().nick;
    // Rooms announce the change to everyone in them, this client included; say
    // it here once, and let those announcements be recognised as already shown.
    shown_.emplace_back(ref_, "NICK " + nick_);
    send_raw(format_line(old_prefix, "NICK", {}, nick_));
  });
}

void IrcSession::cmd_user(const Message& m) {
  if (registered_ || user_given_) return numeric("462", {}, "You may not reregister");
  user_ = m.params[0].substr(0, 16);
  real_name_ = m.params[3];
  user_given_ = true;
  try_register();
}

void IrcSession::try_register() {
  if (registered_ || claiming_ || cap_negotiating_ || wanted_nick_.empty() || !user_given_) return;
  claiming_ = true;
  hub_.set_profile(ref_, core::Profile{"~" + user_, host_, real_name_});
  const std::string wanted = wanted_nick_;
  hub_.claim_name(ref_, wanted, [this, wanted](const core::Result<core::Identity>& r) {
    claiming_ = false;
    if (!r.ok()) {
      wanted_nick_.clear();
      r.refusal() == core::Refusal::name_in_use ? numeric("433", {wanted}, "Nickname is already in use")
                                                : numeric("432", {wanted}, "Erroneous nickname");
      return replay_waiting_lines();
    }
    nick_ = r.value().nick;
    registered_ = true;
    welcome();
    replay_waiting_lines();
  });
}

void IrcSession::replay_waiting_lines() {
  while (!waiting_lines_.empty() && !claiming_ && !ended_) {
    const std::string line = std::move(waiting_lines_.front());
    waiting_lines_.erase(waiting_lines_.begin());
    handle_line(line);
  }
}

void IrcSession::welcome() {
  const auto& c = *config_;
  const auto& limits = hub_.limits();
  numeric("001", {}, fmt::format("Welcome to the {} IRC network, {}", c.network, prefix()));
  numeric("002", {}, fmt::format("Your host is {}, running version {}", c.server_name, c.version));
  numeric("003", {}, fmt::format("This server was created {:%Y-%m-%d %H:%M:%S} UTC",
                                 fmt::gmtime(std::chrono::system_clock::to_time_t(c.created))));
  numeric("004", {c.server_name, c.version, "i", "biklmnostv", "bklov"}, "");
  // Only what the server really does: each token is a promise to clients.
  const std::string tokens = fmt::format(
      "CASEMAPPING=ascii CHANTYPES=# PREFIX=(ov)@+ CHANMODES=b,k,l,imnst NICKLEN={} CHANNELLEN={} TOPICLEN={} "
      "CHANLIMIT=#:{} TARGMAX=PRIVMSG:{},NOTICE:{},JOIN:,PART:,NAMES:1,WHOIS:1 NETWORK={} UTF8ONLY",
      limits.nick_chars, limits.room_chars + 1, limits.topic_chars, limits.rooms_per_user, kMaxTargets, kMaxTargets,
      c.network);
  send_raw(fmt::format(":{} 005 {} {} :are supported by this server\r\n", c.server_name, nick_, tokens));
  send_lusers([this] { send_motd(); });
}

void IrcSession::send_lusers(std::function<void()> then) {
  hub_.count_users(ref_, [this, then = std::move(then)](const core::Result<std::size_t>& r) {
    const std::size_t users = r.ok() ? r.value() : 0;
    numeric("251", {}, fmt::format("There are {} users and 0 invisible on 1 servers", users));
    numeric("255", {}, fmt::format("I have {} clients and 0 servers", users));
    if (then) then();
  });
}

void IrcSession::send_motd() {
  const std::string& motd = config_->motd;
  if (motd.empty()) return numeric("422", {}, "MOTD File is missing");
  numeric("375", {}, fmt::format("- {} Message of the day -", config_->server_name));
  std::string_view rest = motd;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    if (line.ends_with('\r')) line.remove_suffix(1);
    numeric("372", {}, fmt::format("- {}", line));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  numeric("376", {}, "End of /MOTD command.");
}

void IrcSession::cmd_ping(const Message& m) {
  send_raw(fitted_line(Message{{}, config_->server_name, "PONG", {config_->server_name, m.params[0]}}));
}

void IrcSession::cmd_pong(const Message&) {}

void IrcSession::cmd_quit(const Message& m) { quit(m.params.empty() ? std::string() : m.params[0]); }

void IrcSession::quit(std::string reason) {
  send_raw(fmt::format("ERROR :Closing link: {}[{}] ({})\r\n", nick_, host_, reason.empty() ? "Quit" : reason));
  ended_ = true;
  if (attached_) {
    attached_ = false;
    hub_.detach(ref_, std::move(reason));
  }
  out_.close_after_flush(session::CloseReason::client_left);
}

// --- channels -----------------------------------------------------------------

void IrcSession::cmd_join(const Message& m) {
  if (m.params[0] == "0") {  // leave every channel
    for (const std::string& key : hub_.rooms_of(ref_)) hub_.part(ref_, key, {});
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
    auto r = hub_.join(ref_, std::string_view(channel).substr(1), std::move(key), [this, channel](core::Refusal no) {
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
    if (!hub_.part(ref_, room.value().key, reason).ok()) numeric("442", {channel}, "You're not on that channel");
  }
}

void IrcSession::cmd_privmsg(const Message& m) { relay(m, false); }
void IrcSession::cmd_notice(const Message& m) { relay(m, true); }

void IrcSession::relay(const Message& m, bool notice) {
  // NOTICE never gets an automatic reply, errors included (RFC 2812 3.3.2).
  auto complain = [&](std::string_view code, std::initializer_list<std::string_view> middle, std::string_view text) {
    if (!notice) numeric(code, middle, text);
  };
  if (m.params.empty()) return complain("411", {}, fmt::format("No recipient given ({})", m.command));
  if (m.params.size() < 2 || m.params[1].empty()) return complain("412", {}, "No text to send");
  const std::string& text = m.params[1];
  if (!core::is_valid_utf8(text)) {
    return send_raw(format_line(config_->server_name, "FAIL", {m.command, "INVALID_UTF8"},
                                "This server only relays valid UTF-8 (UTF8ONLY); the message was not sent"));
  }
  const auto action = ctcp_action(text);
  const auto kind = notice ? core::RoomEvent::Kind::notice
                           : action ? core::RoomEvent::Kind::action : core::RoomEvent::Kind::message;
  const std::string body(action ? *action : std::string_view(text));

  auto targets = split_commas(m.params[0]);
  if (targets.size() > kMaxTargets) return complain("407", {m.params[0]}, "Too many recipients");
  for (const std::string& target : targets) {
    if (target.starts_with('#')) {
      auto room = core::check_room_name(target, hub_.limits().room_chars);
      auto moderated = [this, target, notice](core::Refusal) {
        if (!notice) numeric("404", {target}, "Cannot send to channel (+m)");
      };
      if (!room.ok() || !hub_.say(ref_, room.value().key, kind, body, moderated).ok())
        complain("404", {target}, "Cannot send to channel (you are not in it)");
      continue;
    }
    auto id = std::make_shared<std::string>();  // known once private_message returns, before any answer
    *id = hub_.private_message(
        ref_, target, body, action.has_value(),
        [this, target, body, notice, id, action = action.has_value()](const core::Result<core::Identity>& r) {
          if (!r.ok()) {
            if (!notice) numeric("401", {target}, "No such nick/channel");
            return;
          }
          if (!(caps_ & kCapEchoMessage)) return;
          core::PrivateMessage echo;
          echo.from_nick = nick_;
          echo.from_user = "~" + user_;
          echo.from_host = host_;
          echo.to_nick = r.value().nick;
          echo.text = body;
          echo.action = action;
          echo.notice = notice;
          echo.time = std::chrono::system_clock::now();
          send_raw(render_private(echo, line_caps(), *id));
        },
        notice);
  }
}

void IrcSession::cmd_topic(const Message& m) {
  const std::string& channel = m.params[0];
  auto room = core::check_room_name(channel, hub_.limits().room_chars);
  if (!channel.starts_with('#') || !room.ok()) return numeric("403", {channel}, "No such channel");
  if (m.params.size() > 1) {
    auto r = hub_.set_topic(ref_, room.value().key, m.params[1], [this, channel](core::Refusal) {
      numeric("482", {channel}, "You're not channel operator");
    });
    if (r.ok()) return;
    if (r.refusal() == core::Refusal::topic_too_long) return numeric("417", {}, "Topic too long");
    return numeric("442", {channel}, "You're not on that channel");
  }
  hub_.room_info(ref_, channel, [this, channel](const core::Result<core::RoomSnapshot>& r) {
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
                       ((caps_ & kCapUserhostInNames) ? user_prefix(e.nick, e.user, e.host) : e.nick);
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

void IrcSession::cmd_names(const Message& m) {
  if (m.params.empty()) return numeric("366", {"*"}, "End of /NAMES list");
  const std::string channel = split_commas(m.params[0]).empty() ? m.params[0] : split_commas(m.params[0]).front();
  hub_.room_info(ref_, channel, [this, channel](const core::Result<core::RoomSnapshot>& r) {
    if (!r.ok()) return numeric("366", {channel}, "End of /NAMES list");
    send_names(r.value());
  });
}

void IrcSession::cmd_list(const Message&) {
  hub_.list_rooms(ref_, [this](const core::Result<std::vector<core::RoomSummary>>& r) {
    numeric("321", {"Channel"}, "Users  Name");
    if (r.ok()) {
      for (const auto& room : r.value())
        numeric("322", {channel_name(room.room), std::to_string(room.members)}, room.topic);
    }
    numeric("323", {}, "End of /LIST");
  });
}

void IrcSession::cmd_who(const Message& m) {
  const std::string mask = m.params[0];
  auto reply = [this](std::string_view channel, const auto& e, std::string_view prefix) {
    numeric("352", {channel, e.user, e.host, config_->server_name, e.nick, fmt::format("H{}", prefix)},
            fmt::format("0 {}", e.real_name));
  };
  if (mask.starts_with('#')) {
    hub_.room_info(ref_, mask, [this, mask, reply](const core::Result<core::RoomSnapshot>& r) {
      if (r.ok()) {
        for (const auto& e : r.value().entries)
          reply(channel_name(r.value().room), e, member_prefix(e.op, e.voice, caps_ & kCapMultiPrefix));
      }
      numeric("315", {mask}, "End of WHO list");
    });
    return;
  }
  hub_.find_user(ref_, mask, [this, mask, reply](const core::Result<core::Identity>& r) {
    if (r.ok()) reply("*", r.value(), "");
    numeric("315", {mask}, "End of WHO list");
  });
}

void IrcSession::cmd_whois(const Message& m) {
  const std::string target = m.params.back();
  hub_.find_user(ref_, target, [this, target](const core::Result<core::Identity>& r) {
    if (!r.ok()) {
      numeric("401", {target}, "No such nick/channel");
      return numeric("318", {target}, "End of /WHOIS list");
    }
    const auto& id = r.value();
    numeric("311", {id.nick, id.user, id.host, "*"}, id.real_name);
    numeric("312", {id.nick, config_->server_name}, config_->network);
    numeric("318", {id.nick}, "End of /WHOIS list");
  });
}

struct IrcSession::Lookup {
  std::vector<std::string> names;
  std::size_t next = 0;
  std::vector<core::Identity> found;
  std::function<void(std::vector<core::Identity>)> done;
};

void IrcSession::lookup_all(std::vector<std::string> names, std::function<void(std::vector<core::Identity>)> done) {
  lookup_next(std::make_shared<Lookup>(Lookup{std::move(names), 0, {}, std::move(done)}));
}

void IrcSession::lookup_next(std::shared_ptr<Lookup> state) {
  // One at a time, in order: answers come back on this loop, so nothing is shared.
  if (state->next == state->names.size()) return state->done(std::move(state->found));
  hub_.find_user(ref_, state->names[state->next++], [this, state](const core::Result<core::Identity>& r) {
    if (r.ok()) state->found.push_back(r.value());
    lookup_next(state);
  });
}

void IrcSession::cmd_ison(const Message& m) {
  std::vector<std::string> names;
  for (const auto& p : m.params) {
    std::string_view rest = p;
    while (!rest.empty()) {
      const auto space = rest.find(' ');
      if (space != 0) names.emplace_back(rest.substr(0, space));
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
    }
  }
  lookup_all(std::move(names), [this](std::vector<core::Identity> found) {
    std::string list;
    for (const auto& id : found) list += (list.empty() ? "" : " ") + id.nick;
    send_raw(to_line(Message{{}, config_->server_name, "303", {nick_, list}}));  // ":" even when empty
  });
}

void IrcSession::cmd_userhost(const Message& m) {
  std::vector<std::string> names(m.params.begin(), m.params.begin() + std::min<std::size_t>(m.params.size(), 5));
  lookup_all(std::move(names), [this](std::vector<core::Identity> found) {
    std::string list;
    for (const auto& id : found) list += fmt::format("{}{}=+{}@{}", list.empty() ? "" : " ", id.nick, id.user, id.host);
    send_raw(to_line(Message{{}, config_->server_name, "302", {nick_, list}}));
  });
}

void IrcSession::cmd_mode(const Message& m) {
  const std::string& target = m.params[0];
  if (target.starts_with('#')) return channel_mode(m);
  auto me = core::fold_key(target);
  if (!me || *me != core::fold_key(nick_)) return numeric("502", {}, "Can't change mode for other users");
  if (m.params.size() == 1) return numeric("221", {"+"}, "");
  numeric("501", {}, "Unknown MODE flag");
}

void IrcSession::channel_mode(const Message& m) {
  const std::string channel = m.params[0];
  auto room = core::check_room_name(channel, hub_.limits().room_chars);
  if (!room.ok()) return numeric("403", {channel}, "No such channel");
  const std::string key = room.value().key;
  if (m.params.size() == 1) {
    hub_.room_info(ref_, channel, [this, channel, key](const core::Result<core::RoomSnapshot>& r) {
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
    std::optional<S> setting;
    switch (c) {
      case 't': setting = S::topic_locked; break;
      case 'm': setting = S::moderated; break;
      case 'i': setting = S::invite_only; break;
      case 's': setting = S::secret; break;
      case 'k': setting = S::key; break;
      case 'l': setting = S::limit; break;
      case 'b': setting = S::ban; break;
      case 'o': setting = S::op; break;
      case 'v': setting = S::voice; break;
      case 'n': continue;  // always on
      default: numeric("472", {std::string(1, c)}, "is unknown mode char to me"); continue;
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
    hub_.room_info(ref_, channel, [this, channel](const core::Result<core::RoomSnapshot>& r) {
      if (r.ok()) {
        const std::string name = channel_name(r.value().room);
        for (const auto& mask : r.value().settings.bans) numeric("367", {name, mask}, "");
        return numeric("368", {name}, "End of channel ban list");
      }
      numeric("368", {channel}, "End of channel ban list");
    });
  }
  if (changes.empty()) return;
  hub_.change_settings(ref_, key, std::move(changes),
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
    hub_.kick(ref_, room.value().key, target, reason, [this, channel, target](const core::Result<core::Done>& r) {
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
  hub_.invite(ref_, target, channel, [this, target, channel](const core::Result<core::Identity>& r) {
    if (r.ok()) return numeric("341", {r.value().nick, channel}, "");
    switch (r.refusal()) {
      case core::Refusal::no_such_user: return numeric("401", {target}, "No such nick/channel");
      case core::Refusal::not_operator: return numeric("482", {channel}, "You're not channel operator");
      case core::Refusal::already_member: return numeric("443", {target, channel}, "is already on channel");
      default: return numeric("442", {channel}, "You're not on that channel");
    }
  });
}

void IrcSession::cmd_motd(const Message&) { send_motd(); }
void IrcSession::cmd_lusers(const Message&) { send_lusers({}); }

void IrcSession::cmd_version(const Message&) {
  numeric("351", {config_->version, config_->server_name}, "Parley chat server");
}

void IrcSession::cmd_time(const Message&) {
  numeric("391", {config_->server_name}, server_time(std::chrono::system_clock::now()));
}

// --- events -----------------------------------------------------------------

void IrcSession::on_room_event(const core::RoomEvent& ev, core::RenderCache& cache) {
  if (!registered_ || ended_) return;
  using Kind = core::RoomEvent::Kind;
  const bool mine = ev.actor == ref_;
  if (mine && ev.kind == Kind::joined) {
    send_raw(render_room_event(ev, line_caps()));
    if (ev.snapshot) {
      if (!ev.snapshot->topic.empty()) numeric("332", {channel_name(ev.room)}, ev.snapshot->topic);
      send_names(*ev.snapshot);
    }
    return;
  }
  if (mine && ev.kind == Kind::left && ev.quit) return;
  const bool relayed_text = ev.kind == Kind::message || ev.kind == Kind::action || ev.kind == Kind::notice;
  if (mine && relayed_text && !(caps_ & kCapEchoMessage)) return;
  if (ev.kind == Kind::renamed || (ev.kind == Kind::left && ev.quit)) {
    // Shown once per person, however many rooms we share.
    const std::string what = ev.kind == Kind::renamed ? "NICK " + ev.new_nick : "QUIT";
    auto seen = std::find_if(shown_.begin(), shown_.end(), [&](const auto& s) { return s.first == ev.actor; });
    if (seen != shown_.end() && seen->second == what) return;
    if (seen != shown_.end()) seen->second = what;
    else shown_.emplace_back(ev.actor, what);
    if (shown_.size() > kMaxRemembered) shown_.erase(shown_.begin());
  }
  out_.send(cache.get(kFormBase | line_caps(), [&] { return render_room_event(ev, line_caps()); }));
}

void IrcSession::on_invite(const core::Invitation& inv) {
  if (!registered_ || ended_) return;
  send_raw(format_line(user_prefix(inv.from_nick, inv.from_user, inv.from_host), "INVITE", {nick_},
                       channel_name(inv.room)));
}

void IrcSession::on_private_message(const core::PrivateMessage& pm) {
  if (!registered_ || ended_) return;
  core::PrivateMessage mine = pm;
  mine.to_nick = nick_;
  send_raw(render_private(mine, line_caps(), pm.id));
}

}  // namespace parley::irc
