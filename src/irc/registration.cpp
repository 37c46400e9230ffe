// IRC connection registration: CAP, PASS, NICK, USER, the welcome burst, PING/PONG.
#include "irc/irc_session.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

#include "core/shown_text.h"
#include "core/unicode.h"
#include "irc/capabilities.h"
#include "irc/command_helpers.h"
#include "irc/line_split.h"
#include "irc/numerics.h"
#include "irc/render.h"

namespace parley::irc {

void IrcSession::cmd_cap(const Message& m) {
  std::string sub = m.params[0];
  std::transform(sub.begin(), sub.end(), sub.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (sub == "LS") {
    if (registration_) registration_->cap_negotiating = true;
    if (m.params.size() > 1 && std::atoi(m.params[1].c_str()) >= 302) caps_ |= kCapCapNotify;  // implied by 302
    std::string names;
    for (const auto& c : kCaps) names.append(names.empty() ? "" : " ").append(c.name);
    return send_raw(fmt::format(":{} CAP {} LS :{}\r\n", config_->server_name, nick_, names));
  }
  if (sub == "LIST") {
    std::string names;
    for (const auto& c : kCaps) {
      if (caps_ & c.bit) names.append(names.empty() ? "" : " ").append(c.name);
    }
    return send_raw(fmt::format(":{} CAP {} LIST :{}\r\n", config_->server_name, nick_, names));
  }
  if (sub == "REQ") {
    if (registration_) registration_->cap_negotiating = true;
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
    if (registration_) registration_->cap_negotiating = false;
    return try_register();
  }
  numeric(kErrInvalidCapCmd, {m.params[0]}, "Invalid CAP command");
}

void IrcSession::cmd_pass(const Message&) {
  if (registered_) numeric(kErrAlreadyRegistered, {}, "You may not reregister");
  // No server password is configured: PASS is accepted and ignored.
}

void IrcSession::cmd_nick(const Message& m) {
  if (m.params.empty() || m.params[0].empty()) return numeric(kErrNoNicknameGiven, {}, "No nickname given");
  const std::string& wanted = m.params[0];
  if (!valid_nick(wanted, hub_.limits().nick_chars))
    return numeric(kErrErroneusNickname, {wanted}, "Erroneous nickname");
  if (!registered_) {
    registration_->wanted_nick = wanted;
    return try_register();
  }
  // Commands after NICK are read once it is settled, so they come from the new nick.
  out_.hold_input();
  hub_.claim_name(ref_, wanted, [this, wanted](const core::Result<core::Identity>& r) {
    out_.resume_input();
    if (!r.ok()) return refuse(r.refusal(), {wanted});  // in use, or a name the registry will not take
    const std::string old_prefix = prefix();
    if (r.value().nick == nick_) return;
    nick_ = r.value().nick;
    // Rooms announce the change to everyone in them, this client included; say
    // it here once, and let those announcements be recognised as already shown.
    shown().renames.emplace_back(ref_, "NICK " + nick_);
    send_raw(format_line(old_prefix, "NICK", {}, nick_));
  });
}

namespace {
// A user name's longest form, in bytes, as most servers cut it.
constexpr std::size_t kMaxUserBytes = 16;
}  // namespace

void IrcSession::cmd_user(const Message& m) {
  if (registered_ || registration_->user_given) return numeric(kErrAlreadyRegistered, {}, "You may not reregister");
  // Others see both beside the nick: the rule SETNAME applies (core/shown_text.h),
  // but registration cannot fail over them, so they are made fit instead.
  registration_->user = core::fit_to_show(m.params[0], kMaxUserBytes, kMaxUserBytes);
  if (registration_->user.empty()) registration_->user = "user";
  registration_->real_name = core::fit_to_show(m.params[3], hub_.limits().real_name_chars);
  registration_->user_given = true;
  try_register();
}

void IrcSession::try_register() {
  if (registered_) return;
  Registration& reg = *registration_;
  if (reg.claiming || reg.cap_negotiating || reg.wanted_nick.empty() || !reg.user_given) return;
  reg.claiming = true;
  hub_.set_profile(ref_, core::Profile{"~" + reg.user, host_, reg.real_name});
  const std::string wanted = reg.wanted_nick;
  // What follows (JOIN, often) is read once registration is settled, in order.
  out_.hold_input();
  hub_.claim_name(ref_, wanted, [this, wanted](const core::Result<core::Identity>& r) {
    registration_->claiming = false;
    out_.resume_input();
    if (!r.ok()) {
      registration_->wanted_nick.clear();
      return refuse(r.refusal(), {wanted});
    }
    nick_ = r.value().nick;
    registered_ = true;
    registration_.reset();  // the hub's identity holds what it gathered
    welcome();
  });
}

void IrcSession::welcome() {
  const auto& c = *config_;
  const auto& limits = hub_.limits();
  numeric(kRplWelcome, {}, fmt::format("Welcome to the {} IRC network, {}", c.network, prefix()));
  numeric(kRplYourHost, {}, fmt::format("Your host is {}, running version {}", c.server_name, c.version));
  numeric(kRplCreated, {}, fmt::format("This server was created {:%Y-%m-%d %H:%M:%S} UTC",
                                 fmt::gmtime(std::chrono::system_clock::to_time_t(c.created))));
  numeric(kRplMyInfo, {c.server_name, c.version, "Bio", "biklmnostv", "bklov"}, "");
  // Only what the server really does: each token is a promise to clients.
  const std::string tokens = fmt::format(
      "CASEMAPPING=ascii CHANTYPES=# PREFIX=(ov)@+ CHANMODES=b,k,l,imnst NICKLEN={} CHANNELLEN={} TOPICLEN={} "
      "CHANLIMIT=#:{} TARGMAX=PRIVMSG:{},NOTICE:{},TAGMSG:{},JOIN:,PART:,NAMES:1,WHOIS:1 NETWORK={} UTF8ONLY",
      limits.nick_chars, limits.room_chars + 1, limits.topic_chars, limits.rooms_per_user, kMaxTargets, kMaxTargets,
      kMaxTargets, c.network);
  send_raw(fmt::format(":{} {} {} {} :are supported by this server\r\n", c.server_name, kRplIsupport, nick_, tokens));
  // A second line keeps each within the 13 tokens clients expect at most.
  send_raw(fmt::format(":{} {} {} BOT=B AWAYLEN={} MONITOR={} WHOX MAXLIST=b:{} KEYLEN={} :are supported by this server\r\n",
                       c.server_name, kRplIsupport, nick_, limits.away_chars, limits.watched_names, limits.room.bans,
                       limits.room.key_bytes));
  send_lusers([this] { send_motd(); });
}

void IrcSession::send_lusers(std::function<void()> then) {
  hub_.directory().count_users(ref_, [this, then = std::move(then)](
                                                 const core::Result<core::UserCounts>& r) {
    const auto counts = r.ok() ? r.value() : core::UserCounts{};
    numeric(kRplLuserClient, {}, fmt::format("There are {} users and {} invisible on 1 servers", counts.visible,
                                   counts.invisible));
    numeric(kRplLuserMe, {}, fmt::format("I have {} clients and 0 servers", counts.visible + counts.invisible));
    if (then) then();
  });
}

void IrcSession::send_motd() {
  const std::string& motd = config_->motd;
  if (motd.empty()) return numeric(kErrNoMotd, {}, "MOTD File is missing");
  numeric(kRplMotdStart, {}, fmt::format("- {} Message of the day -", config_->server_name));
  std::string_view rest = motd;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    if (line.ends_with('\r')) line.remove_suffix(1);
    numeric(kRplMotd, {}, fmt::format("- {}", line));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  numeric(kRplEndOfMotd, {}, "End of /MOTD command.");
}

void IrcSession::cmd_ping(const Message& m) {
  send_raw(fitted_line(Message{{}, config_->server_name, "PONG", {config_->server_name, m.params[0]}}));
}

void IrcSession::cmd_pong(const Message&) {}

void IrcSession::cmd_quit(const Message& m) { quit(m.params.empty() ? std::string() : m.params[0]); }

}  // namespace parley::irc
