// IRC commands about people and the server itself: AWAY, SETNAME, user MODE,
// OPER, KILL, WHOWAS, ADMIN, INFO. The state they change is the core's
// (core/presence.h); this file words it as numerics.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>

#include "auth/saslprep.h"
#include "core/unicode.h"
#include "irc/capabilities.h"
#include "irc/command_helpers.h"
#include "irc/irc_session.h"
#include "irc/numerics.h"
#include "irc/render.h"

namespace parley::irc {
namespace {

bool names_this_server(std::string_view target, std::string_view server_name) {
  return core::fold_key(target) == core::fold_key(server_name);
}

}  // namespace

bool IrcSession::first_sight(core::SessionRef who, std::uint64_t presence_seq) {
  auto& known = shown().presence;
  auto seen = std::find_if(known.begin(), known.end(), [&](const auto& s) { return s.first == who; });
  if (seen != known.end()) {
    if (seen->second >= presence_seq) return false;
    seen->second = presence_seq;
    return true;
  }
  known.emplace_back(who, presence_seq);
  if (known.size() > kMaxRemembered) known.erase(known.begin());
  return true;
}

void IrcSession::on_watched_profile(const core::ProfileNotice& notice) {
  // extended-monitor: "If away-notify is also enabled, the client will get
  // AWAY notifications for monitored nicks", and likewise SETNAME with setname.
  if (!registered_ || ended_ || !(caps_ & kCapExtendedMonitor)) return;
  // And ACCOUNT with account-notify.
  using Change = core::ProfileNotice::Change;
  const std::uint32_t cap = notice.change == Change::away      ? kCapAwayNotify
                            : notice.change == Change::account ? kCapAccountNotify
                                                               : kCapSetname;
  if (!(caps_ & cap)) return;
  if (!first_sight(notice.who, notice.presence_seq)) return;  // seen from a shared room already
  const core::Identity& id = *notice.identity;
  const std::string source = user_prefix(id.nick, id.user, id.host);
  switch (notice.change) {
    case Change::away: return send_raw(render_away(source, id.presence.away));
    case Change::account: return send_raw(render_account(source, id.presence.account));
    case Change::real_name: return send_raw(format_line(source, "SETNAME", {}, id.real_name));
  }
}

void IrcSession::cmd_away(const Message& m) {
  const std::string message = m.params.empty() ? std::string() : m.params[0];
  if (!hub_.presence().set_away(ref_, message).ok()) return;  // only a session without a name is refused
  // Answered once the name registry has the change (a round trip there runs
  // after the update this loop posted before it), so that from 305/306 on
  // everyone's USERHOST and WHO agree with it.
  hub_.directory().find_user(ref_, nick_, [this, back = message.empty()](const core::Result<core::Identity>&) {
    if (back) return numeric(kRplUnaway, {}, "You are no longer marked as being away");
    numeric(kRplNowAway, {}, "You have been marked as being away");
  });
}

void IrcSession::cmd_setname(const Message& m) {
  const std::string& real_name = m.params[0];
  // setname: "If the server rejects the realname due to invalidity, it MUST send a FAIL message".
  if (auto set = hub_.presence().set_real_name(ref_, real_name); !set.ok()) {
    const IrcRefusal reply = irc_refusal(set.refusal());
    if (reply.fail_code.empty()) return refuse(set.refusal(), {});
    return standard_reply("FAIL", "SETNAME", reply.fail_code, {}, reply.text);
  }
  // "... as well as to the client from which it originated" -- with the capability only;
  // without it the change is made silently, "as the historic implementations did".
  if (caps_ & kCapSetname) send_raw(format_line(prefix(), "SETNAME", {}, real_name));
}

std::string IrcSession::user_modes() const {
  const core::Presence& p = hub_.identity_of(ref_).presence;
  std::string modes = "+";
  if (p.invisible) modes += 'i';
  if (p.bot) modes += 'B';
  if (p.server_operator) modes += 'o';
  if (p.operator_notices) modes += 'w';
  return modes;
}

void IrcSession::user_mode(const Message& m) {
  const std::string& target = m.params[0];
  const auto me = core::fold_key(target);
  if (!me || *me != core::fold_key(nick_)) return numeric(kErrUsersDontMatch, {}, "Can't change mode for other users");
  if (m.params.size() == 1) return numeric(kRplUmodeIs, {user_modes()}, "");
  // Applied changes, as "+iB-o": signs only where they change.
  std::string applied;
  char applied_sign = 0;
  auto note = [&](bool on, char letter) {
    const char sign = on ? '+' : '-';
    if (sign != applied_sign) {
      applied_sign = sign;
      applied += sign;
    }
    applied += letter;
  };
  bool unknown = false;
  bool on = true;
  for (char c : m.params[1]) {
    switch (c) {
      case '+':
      case '-': on = c == '+'; break;
      case 'i': {
        const bool was = hub_.identity_of(ref_).presence.invisible;
        if (was != on && hub_.presence().set_invisible(ref_, on).ok()) note(on, c);
        break;
      }
      case 'B': {
        const bool was = hub_.identity_of(ref_).presence.bot;
        if (was != on && hub_.presence().set_bot(ref_, on).ok()) note(on, c);
        break;
      }
      case 'w': {
        const bool was = hub_.identity_of(ref_).presence.operator_notices;
        if (was != on && hub_.presence().set_operator_notices(ref_, on).ok()) note(on, c);
        break;
      }
      case 'o':
        // "If a user attempts to make themselves an operator using the "+o"
        // flag, the attempt should be ignored": OPER is the way in. -o drops it.
        if (!on && hub_.identity_of(ref_).presence.server_operator && hub_.presence().stop_being_server_operator(ref_).ok())
          note(false, c);
        break;
      default: unknown = true; break;
    }
  }
  if (unknown) numeric(kErrUmodeUnknownFlag, {}, "Unknown MODE flag");
  if (!applied.empty()) send_raw(format_line(prefix(), "MODE", {nick_}, applied));
}

void IrcSession::cmd_wallops(const Message& m) {
  // "The WALLOPS command is used to send a message to all currently connected
  // users who have set the 'w' user mode for themselves"; from operators only.
  if (!hub_.presence().notice_to_all(ref_, m.params[0]).ok()) refuse(core::Refusal::not_server_operator, {});
}

void IrcSession::on_operator_notice(const core::OperatorNotice& notice) {
  if (!registered_ || ended_) return;
  const core::Identity& from = *notice.from;
  send_raw(format_line(user_prefix(from.nick, from.user, from.host), "WALLOPS", {}, notice.text));
}

void IrcSession::cmd_oper(const Message& m) {
  auto granted = [this, was = hub_.identity_of(ref_).presence.server_operator] {
    if (!was) send_raw(format_line(prefix(), "MODE", {nick_}, "+o"));
    numeric(kRplYoureOper, {}, "You are now an IRC operator");
  };
  if (config_->accounts) {
    // Logins may hold Argon2id hashes: checked on the account service's worker.
    return ask_accounts(
        [name = m.params[0], password = m.params[1], host = host_](auth::AccountService& s, auth::AccountDone done) {
          s.verify_operator(name, password, host, std::move(done));
        },
        [this, granted](const auth::AccountAnswer& a) {
          if (a.status == auth::AccountStatus::no_such_account) return refuse(core::Refusal::no_operator_logins, {});
          if (!a.ok()) return refuse(core::Refusal::wrong_password, {});
          if (hub_.presence().grant_server_operator(ref_).ok()) granted();
        });
  }
  // Plain logins are kept SASLprep'd (config.cpp): compared so (one prohibited matches none).
  auto r = hub_.presence().become_server_operator(ref_, m.params[0], auth::saslprep(m.params[1]).value_or(std::string()));
  if (!r.ok()) return refuse(r.refusal(), {});  // no operator logins, or a wrong name or password
  granted();
}

void IrcSession::cmd_kill(const Message& m) {
  const std::string target = m.params[0];
  if (!hub_.identity_of(ref_).presence.server_operator) return refuse(core::Refusal::not_server_operator, {});
  hub_.remove_user(ref_, target, m.params[1], [this, target](const core::Result<core::Identity>& r) {
    if (r.ok()) return;  // its channels see it quit; the log says who removed whom
    if (r.refusal() == core::Refusal::not_server_operator) return refuse(r.refusal(), {});
    refuse(r.refusal(), {target});  // no such nick
  });
}

void IrcSession::on_removed(const core::Removal& removal) {
  if (ended_) return;
  // Straight to the outbox: the hub detaches this session right after, so
  // nothing that waits for earlier commands will come.
  order_.drop();
  if (removal.banned) {  // a K-line: ERR_YOUREBANNEDCREEP, then the link closes
    out_.send(fitted_line(Message{{}, config_->server_name, std::string(kErrYoureBannedCreep),
                                  {nick_, "You are banned from this server: " + removal.reason}}));
  }
  const std::string why = removal.banned ? fmt::format("K-Lined: {}", removal.reason)
                                         : fmt::format("Killed ({} ({}))", removal.by_nick, removal.reason);
  out_.send(fitted_line(Message{{}, {}, "ERROR", {fmt::format("Closing link: {}[{}] ({})", nick_, host_, why)}}));
  ended_ = true;
  attached_ = false;  // the hub detaches this session itself, with the reason
  out_.close_after_flush(session::CloseReason::removed);
}

void IrcSession::cmd_whowas(const Message& m) {
  if (m.params.empty() || m.params[0].empty()) return numeric(kErrNoNicknameGiven, {}, "No nickname given");
  const auto names = split_commas(m.params[0]);
  const std::string nick = names.empty() ? m.params[0] : names.front();
  // "If given, <count> SHOULD be a positive number"; 0, a negative number or
  // none means every entry remembered.
  std::size_t count = std::numeric_limits<std::size_t>::max();
  if (m.params.size() > 1) {
    int asked = 0;
    const std::string& c = m.params[1];
    if (std::from_chars(c.data(), c.data() + c.size(), asked).ec == std::errc() && asked > 0)
      count = static_cast<std::size_t>(asked);
  }
  hub_.directory().past_users(ref_, nick, count, [this, nick](const core::Result<std::vector<core::PastUser>>& r) {
    if (!r.ok()) {
      numeric(kErrWasNoSuchNick, {nick}, "There was no such nickname");
      return numeric(kRplEndOfWhowas, {nick}, "End of WHOWAS");
    }
    for (const core::PastUser& past : r.value()) {
      const core::Identity& id = past.identity;
      numeric(kRplWhowasUser, {id.nick, id.user, id.host, "*"}, id.real_name);
      numeric(kRplWhoisServer, {id.nick, config_->server_name},
              fmt::format("{:%a %b %d %H:%M:%S %Y} UTC", fmt::gmtime(std::chrono::system_clock::to_time_t(past.left))));
    }
    numeric(kRplEndOfWhowas, {nick}, "End of WHOWAS");
  });
}

void IrcSession::cmd_admin(const Message& m) {
  if (!m.params.empty() && !names_this_server(m.params[0], config_->server_name))
    return numeric(kErrNoSuchServer, {m.params[0]}, "No such server");
  numeric(kRplAdminMe, {config_->server_name}, "Administrative info");
  numeric(kRplAdminLoc1, {}, config_->admin_location);
  numeric(kRplAdminLoc2, {}, fmt::format("{} ({})", config_->network, config_->version));
  numeric(kRplAdminEmail, {}, config_->admin_contact);
}

void IrcSession::cmd_info(const Message& m) {
  if (!m.params.empty() && !names_this_server(m.params[0], config_->server_name))
    return numeric(kErrNoSuchServer, {m.params[0]}, "No such server");
  const std::string lines[] = {
      fmt::format("{} ({})", config_->version, config_->server_name),
      "Parley: one set of rooms and names for IRC clients and plain-text (nc) users.",
      fmt::format("Running since {:%Y-%m-%d %H:%M:%S} UTC",
                  fmt::gmtime(std::chrono::system_clock::to_time_t(config_->created))),
  };
  for (const auto& line : lines) numeric(kRplInfo, {}, line);
  numeric(kRplEndOfInfo, {}, "End of INFO list");
}

}  // namespace parley::irc
