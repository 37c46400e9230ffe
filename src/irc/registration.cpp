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

bool IrcSession::offered(std::uint32_t cap) const {
  // Read markers need accounts and a place to keep them; redaction, history.
  if (cap == kCapReadMarker) return config_->accounts && hub_.markers().enabled();
  if (cap == kCapMessageRedaction) return hub_.history().enabled();
  return true;
}

void IrcSession::cmd_cap(const Message& m) {
  std::string sub = m.params[0];
  std::transform(sub.begin(), sub.end(), sub.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (sub == "LS") {
    if (registration_) registration_->cap_negotiating = true;
    const bool v302 = m.params.size() > 1 && std::atoi(m.params[1].c_str()) >= 302;
    if (v302) caps_ |= kCapCapNotify;  // implied by 302
    std::string names;
    for (const auto& c : kCaps) {
      if ((c.bit & kCapsOfAccounts) && !config_->accounts) continue;
      if (!offered(c.bit)) continue;
      names.append(names.empty() ? "" : " ").append(c.name);
      // Values are for 302 clients only: the SASL mechanisms offered,
      if (c.bit == kCapSasl && v302) names.append("=").append(kSaslMechanisms);
      // and whether REGISTER works before NICK/USER completes.
      if (c.bit == kCapAccountRegistration && v302 && register_before_connect()) names.append("=before-connect");
    }
    // sts has no meaning without its value, and clients never request it.
    if (v302 && !config_->sts.empty()) names.append(" sts=").append(config_->sts);
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
      if (cap && (*cap & kCapsOfAccounts) && !config_->accounts) cap.reset();  // not offered
      if (cap && !offered(*cap)) cap.reset();
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
    // sasl-3.1: registration completed while an exchange is under way aborts it.
    if (!registered_ && login_ && login_->sasl) {
      numeric(kErrSaslAborted, {}, "SASL authentication aborted");
      return sasl_done();  // which registers
    }
    return try_register();
  }
  numeric(kErrInvalidCapCmd, {m.params[0]}, "Invalid CAP command");
}

void IrcSession::cmd_pass(const Message& m) {
  if (registered_) return numeric(kErrAlreadyRegistered, {}, "You may not reregister");
  if (m.params[0].empty()) return numeric(kErrNeedMoreParams, {m.command}, "Not enough parameters");
  registration_->password = m.params[0];  // checked when registration completes
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
    guard_my_name();
  });
}

namespace {
// A user name's longest form, in bytes, as most servers cut it.
constexpr std::size_t kMaxUserBytes = 16;
}  // namespace

void IrcSession::cmd_user(const Message& m) {
  if (registered_ || registration_->user_given) return numeric(kErrAlreadyRegistered, {}, "You may not reregister");
  // An empty user name or real name is a parameter missing, not a default.
  if (m.params[0].empty() || m.params[3].empty()) return numeric(kErrNeedMoreParams, {m.command}, "Not enough parameters");
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
  if (login_ && login_->sasl) return;  // an exchange under way ends first (sasl_done registers)
  // "the server SHOULD send ERR_PASSWDMISMATCH and MAY then close the
  // connection with ERROR": both, so a client without the password is not
  // left registering forever. Compared in constant time.
  if (!config_->password.empty() && !core::same_secret(reg.password, config_->password)) {
    numeric(kErrPasswdMismatch, {}, "Password incorrect");
    return quit_refused("Bad password");
  }
  reg.claiming = true;
  hub_.set_profile(ref_, core::Profile{"~" + reg.user, host_, reg.real_name, reg.address});
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
    if (login_ && !login_->account.empty())  // SASL before
      hub_.presence().set_account(ref_, login_->account, login_->deletions_seen);
    guard_my_name();
  });
}

void IrcSession::welcome() {
  const auto& c = *config_;
  const auto& limits = hub_.limits();
  numeric(kRplWelcome, {}, fmt::format("Welcome to the {} IRC network, {}", c.network, prefix()));
  numeric(kRplYourHost, {}, fmt::format("Your host is {}, running version {}", c.server_name, c.version));
  numeric(kRplCreated, {}, fmt::format("This server was created {:%Y-%m-%d %H:%M:%S} UTC",
                                 fmt::gmtime(std::chrono::system_clock::to_time_t(c.created))));
  numeric(kRplMyInfo, {c.server_name, c.version, "Biow", "beIiklmnostv", "beIklov"}, "");
  // Only what the server really does: each token is a promise to clients.
  const std::string tokens = fmt::format(
      "CASEMAPPING=ascii CHANTYPES=# PREFIX=(ov)@+ CHANMODES=beI,k,l,imnst NICKLEN={} CHANNELLEN={} TOPICLEN={} "
      "CHANLIMIT=#:{} TARGMAX=PRIVMSG:{},NOTICE:{},TAGMSG:{},JOIN:,PART:,KICK:,NAMES:1,WHOIS:1 NETWORK={} UTF8ONLY STATUSMSG=@+",
      limits.nick_chars, limits.room_chars + 1, limits.topic_chars, limits.rooms_per_user, kMaxTargets, kMaxTargets,
      kMaxTargets, c.network);
  send_raw(fmt::format(":{} {} {} {} :are supported by this server\r\n", c.server_name, kRplIsupport, nick_, tokens));
  // A second line keeps each within the 13 tokens clients expect at most.
  send_raw(fmt::format(":{} {} {} BOT=B AWAYLEN={} MONITOR={} WHOX MAXLIST=b:{},e:{},I:{} KEYLEN={} EXCEPTS=e "
                       "INVEX=I :are supported by this server\r\n",
                       c.server_name, kRplIsupport, nick_, limits.away_chars, limits.watched_names, limits.room.bans,
                       limits.room.bans, limits.room.bans, limits.room.key_bytes));
  if (hub_.history().enabled()) {
    numeric(kRplIsupport, {fmt::format("CHATHISTORY={}", hub_.history().policy().max_query_lines),
                           "MSGREFTYPES=timestamp,msgid"},
            "are supported by this server");
  }
  send_lusers([this] { send_motd(); });
}

void IrcSession::send_lusers(std::function<void()> then) {
  // Counted by the registry (names) and every loop (connections, rooms); one
  // server, so local and global agree.
  hub_.directory().count_users(ref_, [this, then = std::move(then)](const core::Result<core::UserCounts>& r) {
    const auto counts = r.ok() ? r.value() : core::UserCounts{};
    const std::size_t users = counts.visible + counts.invisible;
    const std::size_t most = std::max(counts.most, users);
    numeric(kRplLuserClient, {},
            fmt::format("There are {} users and {} invisible on 1 servers", counts.visible, counts.invisible));
    // RPL_LUSEROP and RPL_LUSERUNKNOWN count "a positive integer": left out at zero.
    if (counts.operators > 0) numeric(kRplLuserOp, {std::to_string(counts.operators)}, "operator(s) online");
    if (counts.unnamed > 0) numeric(kRplLuserUnknown, {std::to_string(counts.unnamed)}, "unknown connection(s)");
    numeric(kRplLuserChannels, {std::to_string(counts.rooms)}, "channels formed");
    numeric(kRplLuserMe, {}, fmt::format("I have {} clients and 0 servers", users));
    numeric(kRplLocalUsers, {std::to_string(users), std::to_string(most)},
            fmt::format("Current local users {}, max {}", users, most));
    numeric(kRplGlobalUsers, {std::to_string(users), std::to_string(most)},
            fmt::format("Current global users {}, max {}", users, most));
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
