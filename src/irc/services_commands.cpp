// Registered channels and server bans for IRC clients:
//  - ChanServ, as services packages answer it: "PRIVMSG ChanServ :REGISTER #c"
//    (what irssi's and WeeChat's /msg send), or the CS and CHANSERV commands;
//    REGISTER, DROP (UNREGISTER) and INFO, each answered by NOTICEs from ChanServ;
//  - KLINE and UNKLINE for server operators, and STATS k to list the bans.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/server_bans.h"
#include "core/unicode.h"
#include "auth/account_names.h"
#include "irc/command_helpers.h"
#include "irc/irc_session.h"
#include "irc/numerics.h"
#include "irc/render.h"

namespace parley::irc {
namespace {

constexpr std::string_view kChanServ = "ChanServ";

std::string upper_word(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  for (std::size_t at = 0; at < text.size();) {
    const auto space = text.find(' ', at);
    const auto word = text.substr(at, space == std::string_view::npos ? std::string_view::npos : space - at);
    if (!word.empty()) words.emplace_back(word);
    if (space == std::string_view::npos) break;
    at = space + 1;
  }
  return words;
}

std::string when(core::WallTime t) { return fmt::format("{:%Y-%m-%d %H:%M} UTC", fmt::gmtime(std::chrono::system_clock::to_time_t(t))); }
// A temporary ban's end, to the second: it may be minutes away.
std::string until(core::WallTime t) {
  return fmt::format("{:%Y-%m-%d %H:%M:%S} UTC", fmt::gmtime(std::chrono::system_clock::to_time_t(t)));
}

}  // namespace

bool IrcSession::is_chanserv(std::string_view target) {
  if (target.size() != kChanServ.size()) return false;
  return std::equal(target.begin(), target.end(), kChanServ.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

void IrcSession::chanserv_notice(std::string_view text) {
  send_raw(format_line(fmt::format("{0}!{0}@services", kChanServ), "NOTICE", {nick_}, text));
}

void IrcSession::cmd_chanserv(const Message& m) {
  std::string text;
  for (const std::string& p : m.params) text += (text.empty() ? "" : " ") + p;
  chanserv(text);
}

void IrcSession::chanserv(std::string_view text) {
  const auto words = words_of(text);
  const std::string command = words.empty() ? std::string() : upper_word(words[0]);
  const std::string channel = words.size() >= 2 ? words[1] : std::string();
  auto refused = [this, channel](core::Refusal no) {
    using core::Refusal;
    switch (no) {
      case Refusal::not_logged_in:
        return chanserv_notice("You need to log in to an account first (SASL, or /msg NickServ IDENTIFY password).");
      case Refusal::room_registered: return chanserv_notice(fmt::format("{} is already registered.", channel));
      case Refusal::room_not_registered: return chanserv_notice(fmt::format("{} is not registered.", channel));
      case Refusal::not_founder:
        return chanserv_notice(fmt::format("Only the founder of {} (or an IRC operator) can do that.", channel));
      case Refusal::not_operator:
        return chanserv_notice(fmt::format("You need to be a channel operator of {} to register it.", channel));
      case Refusal::not_in_room: return chanserv_notice(fmt::format("You are not on {}.", channel));
      case Refusal::no_such_room: return chanserv_notice(fmt::format("{} does not exist.", channel));
      case Refusal::room_name_invalid:
      case Refusal::room_name_too_long: return chanserv_notice(fmt::format("{} is not a valid channel name.", channel));
      default: return chanserv_notice(fmt::format("That was refused ({}).", irc_refusal(no).text));
    }
  };
  const bool names_channel = channel.starts_with('#');
  if (command == "REGISTER" && names_channel) {
    return hub_.rooms().register_room(ref_, channel, [this, refused](const core::Result<core::RoomRecord>& r) {
      if (!r.ok()) return refused(r.refusal());
      chanserv_notice(fmt::format("{} is now registered to your account, {}. Its modes, topic, bans and operators "
                                  "(by account) are kept across restarts.",
                                  channel_name(r.value().name), r.value().founder));
    });
  }
  if ((command == "DROP" || command == "UNREGISTER") && names_channel) {
    return hub_.rooms().unregister_room(ref_, channel, [this, refused](const core::Result<core::RoomRecord>& r) {
      if (!r.ok()) return refused(r.refusal());
      chanserv_notice(fmt::format("{} is no longer registered.", channel_name(r.value().name)));
    });
  }
  if (command == "INFO" && names_channel) {
    return hub_.rooms().registration(ref_, channel, [this, refused](const core::Result<core::RoomRecord>& r) {
      if (!r.ok()) return refused(r.refusal());
      const core::RoomRecord& room = r.value();
      chanserv_notice(fmt::format("Information on {}:", channel_name(room.name)));
      chanserv_notice(fmt::format("Founder: {}", room.founder));
      chanserv_notice(fmt::format("Registered: {}", when(room.registered)));
      std::string ops;
      for (const std::string& op : room.operators) ops += (ops.empty() ? "" : ", ") + op;
      chanserv_notice(fmt::format("Operators: {}", ops.empty() ? "(the founder only)" : ops));
    });
  }
  if (command == "ACCESS" && names_channel) return chanserv_access(words);
  chanserv_notice("Commands: REGISTER #channel, DROP #channel, INFO #channel, ACCESS #channel LIST|ADD account|DEL "
                  "account. Registering needs you logged in and a channel operator there; ACCESS ADD and DEL, the "
                  "founder.");
}

// ACCESS #c LIST | ADD account | DEL account: the accounts made operators of a
// registered channel when they join (besides its founder).
void IrcSession::chanserv_access(const std::vector<std::string>& words) {
  const std::string channel = words[1];
  const std::string sub = words.size() >= 3 ? upper_word(words[2]) : std::string("LIST");
  auto refused = [this, channel](core::Refusal no) {
    using core::Refusal;
    switch (no) {
      case Refusal::room_not_registered: return chanserv_notice(fmt::format("{} is not registered.", channel));
      case Refusal::not_founder:
        return chanserv_notice(fmt::format("Only the founder of {} (or an IRC operator) can change its access list.", channel));
      case Refusal::ban_list_full: return chanserv_notice(fmt::format("The access list of {} is full.", channel));
      case Refusal::no_such_member: return chanserv_notice(fmt::format("That account is not on the access list of {}.", channel));
      case Refusal::no_such_room: return chanserv_notice(fmt::format("{} does not exist.", channel));
      default: return chanserv_notice(fmt::format("That was refused ({}).", irc_refusal(no).text));
    }
  };
  if (sub == "LIST") {
    return hub_.rooms().registration(ref_, channel, [this, refused](const core::Result<core::RoomRecord>& r) {
      if (!r.ok()) return refused(r.refusal());
      const core::RoomRecord& room = r.value();
      chanserv_notice(fmt::format("Access list of {}: {} (founder)", channel_name(room.name), room.founder));
      std::size_t n = 1;
      for (const std::string& op : room.operators) chanserv_notice(fmt::format("{}. {}", ++n, op));
      chanserv_notice(fmt::format("End of the access list of {} ({} accounts).", channel_name(room.name), n));
    });
  }
  if ((sub != "ADD" && sub != "DEL") || words.size() < 4)
    return chanserv_notice("Usage: ACCESS #channel LIST | ADD account | DEL account");
  const bool add = sub == "ADD";
  auto name = auth::account_name(words[3], hub_.limits().name_chars);
  if (!name.ok()) return chanserv_notice(fmt::format("{} is not a registered account.", words[3]));
  auto change = [this, channel, add, refused](const std::string& account) {
    hub_.rooms().change_access(ref_, channel, account, add, [this, account, add, refused](const core::Result<core::RoomRecord>& r) {
      if (!r.ok()) return refused(r.refusal());
      chanserv_notice(add ? fmt::format("{} is on the access list of {}: an operator on joining.", account,
                                        channel_name(r.value().name))
                          : fmt::format("{} is no longer on the access list of {}.", account, channel_name(r.value().name)));
    });
  };
  if (!add) return change(words[3]);
  if (!config_->accounts) return chanserv_notice("This server keeps no accounts.");
  // Only accounts that exist: a name not registered yet could be taken by anyone.
  ask_accounts([key = name.value().key](auth::AccountService& s, auth::AccountDone done) { s.find(key, std::move(done)); },
               [this, change, shown = words[3]](const auth::AccountAnswer& a) {
                 if (!a.ok()) return chanserv_notice(fmt::format("{} is not a registered account.", shown));
                 change(a.name);
               });
}

// --- server bans --------------------------------------------------------------------

void IrcSession::cmd_kline(const Message& m) {
  // KLINE [duration] <mask> [:reason]: a first parameter that starts with a
  // digit is a duration when a mask follows (a nick cannot start with one).
  const bool has_duration = m.params.size() >= 2 && !m.params[0].empty() && std::isdigit(static_cast<unsigned char>(m.params[0][0]));
  std::optional<std::chrono::seconds> duration;
  if (has_duration) {
    duration = core::parse_ban_duration(m.params[0]);
    if (!duration) {
      return standard_reply("FAIL", "KLINE", "INVALID_PARAMS", {as_middle_param(m.params[0])},
                            fmt::format("Not a duration: give a number and s, m, h, d or w (a bare number is minutes), "
                                        "at most {}",
                                        core::describe_ban_duration(core::kLongestTemporaryBan)));
    }
  }
  const std::size_t at = has_duration ? 1 : 0;
  const std::string mask = m.params[at];
  const std::string reason = m.params.size() > at + 1 ? m.params[at + 1] : std::string();
  hub_.bans().add(ref_, mask, reason, [this, mask](const core::Result<core::BanAdded>& r) {
    if (!r.ok()) {
      if (r.refusal() == core::Refusal::invalid_ban_mask) {
        return standard_reply("FAIL", "KLINE", "INVALID_MASK", {as_middle_param(mask)},
                              "Not a ban mask: give nick!user@host (with * and ?), user@host, or $a:account");
      }
      return refuse(r.refusal(), {});
    }
    const core::BanAdded& added = r.value();
    const std::string lapses = added.ban.temporary() ? fmt::format(", until {}", until(added.ban.expires)) : std::string();
    send_raw(format_line(config_->server_name, "NOTICE", {nick_},
                         fmt::format("{} K-line for {}: {} ({} disconnected{})", added.replaced ? "Changed" : "Added",
                                     added.ban.mask, added.ban.reason, added.disconnected, lapses)));
  }, duration);
}

void IrcSession::cmd_unkline(const Message& m) {
  const std::string mask = m.params[0];
  hub_.bans().remove(ref_, mask, [this, mask](const core::Result<core::ServerBan>& r) {
    if (!r.ok()) {
      if (r.refusal() == core::Refusal::invalid_ban_mask) {
        return standard_reply("FAIL", "UNKLINE", "INVALID_MASK", {as_middle_param(mask)},
                              "Not a ban mask: give nick!user@host (with * and ?), user@host, or $a:account");
      }
      if (r.refusal() == core::Refusal::no_such_ban) {
        return standard_reply("FAIL", "UNKLINE", "NO_SUCH_KLINE", {as_middle_param(mask)}, "No K-line has that mask");
      }
      return refuse(r.refusal(), {});
    }
    send_raw(format_line(config_->server_name, "NOTICE", {nick_}, fmt::format("Removed K-line for {}", r.value().mask)));
  });
}

void IrcSession::cmd_stats(const Message& m) {
  const std::string query = m.params.empty() ? std::string() : m.params[0];
  if (query != "k" && query != "K") return numeric(kRplEndOfStats, {query.empty() ? "*" : query.substr(0, 1)}, "End of /STATS report");
  hub_.bans().list(ref_, [this, query](const core::Result<std::vector<core::ServerBan>>& r) {
    if (!r.ok()) return refuse(r.refusal(), {});
    for (const core::ServerBan& ban : r.value()) {
      const std::string lapses = ban.temporary() ? fmt::format(", expires {}", until(ban.expires)) : std::string();
      numeric(kRplStatsKLine, {"K", as_middle_param(ban.mask), "*", "*"},
              fmt::format("{} (set by {} on {}{})", ban.reason, ban.set_by, when(ban.set_at), lapses));
    }
    numeric(kRplEndOfStats, {query}, "End of /STATS report");
  });
}

}  // namespace parley::irc
