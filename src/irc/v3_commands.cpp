// IRCv3 and modern additions: MONITOR (with its notices) and WHOX.
// TAGMSG lives with PRIVMSG/NOTICE (channel_commands.cpp), labeled-response
// with the dispatcher (irc_session.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/unicode.h"
#include "irc/capabilities.h"
#include "irc/command_helpers.h"
#include "irc/irc_session.h"
#include "irc/line_split.h"
#include "irc/numerics.h"
#include "irc/render.h"

namespace parley::irc {
namespace {

// Room for a comma-separated list after ":server NNN nick :" in one line.
constexpr std::size_t kListBytes = 400;
static_assert(kListBytes < kLineBytes);

// Joins `items` with ',' into as few lists as fit kListBytes each.
std::vector<std::string> comma_lists(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  std::string list;
  for (const auto& item : items) {
    if (!list.empty() && list.size() + 1 + item.size() > kListBytes) out.push_back(std::exchange(list, {}));
    if (!list.empty()) list += ',';
    list += item;
  }
  if (!list.empty()) out.push_back(std::move(list));
  return out;
}

}  // namespace

// --- MONITOR (ircv3.net/specs/extensions/monitor) -----------------------------------

void IrcSession::cmd_monitor(const Message& m) {
  const std::string& modifier = m.params[0];
  const char op = modifier.size() == 1 ? static_cast<char>(std::toupper(static_cast<unsigned char>(modifier[0]))) : 0;
  auto send_lists = [this](std::string_view code, const std::vector<std::string>& items) {
    for (const auto& list : comma_lists(items)) numeric(code, {}, list);
  };
  auto send_status = [this, send_lists](const std::vector<core::WatchedName>& names) {
    std::vector<std::string> online, offline;
    for (const auto& n : names) {
      if (n.holder) online.push_back(user_prefix(n.holder->nick, n.holder->user, n.holder->host));
      else offline.push_back(n.name);
    }
    send_lists(kRplMonOnline, online);
    send_lists(kRplMonOffline, offline);
  };
  if (op == '+' || op == '-') {
    if (m.params.size() < 2 || m.params[1].empty())
      return numeric(kErrNeedMoreParams, {"MONITOR"}, "Not enough parameters");
    std::vector<std::string> targets;
    for (auto& t : split_commas(m.params[1])) {
      // "For this specification, 'target' MUST be a valid nick as determined by the IRC daemon."
      if (valid_nick(t, hub_.limits().nick_chars)) targets.push_back(std::move(t));
    }
    if (op == '-') return hub_.directory().unwatch(ref_, std::move(targets));
    return hub_.directory().watch(ref_, std::move(targets),
                      [this, send_status](const core::Result<core::WatchOutcome>& r) {
                        if (!r.ok()) return;
                        send_status(r.value().watched);
                        if (r.value().refused.empty()) return;
                        std::string refused;
                        for (const auto& name : r.value().refused) {
                          if (!refused.empty()) refused += ',';
                          refused += name;
                        }
                        numeric(kErrMonListFull, {std::to_string(hub_.limits().watched_names), refused},
                                "Monitor list is full.");
                      });
  }
  if (op == 'C') return hub_.directory().unwatch_all(ref_);
  if (op == 'L') {
    return hub_.directory().watched(ref_, [this, send_lists](const core::Result<std::vector<core::WatchedName>>& r) {
      std::vector<std::string> names;
      if (r.ok()) {
        for (const auto& n : r.value()) names.push_back(n.name);
      }
      send_lists(kRplMonList, names);
      numeric(kRplEndOfMonList, {}, "End of MONITOR list");
    });
  }
  if (op == 'S') {
    return hub_.directory().watched(ref_, [send_status](const core::Result<std::vector<core::WatchedName>>& r) {
      if (r.ok()) send_status(r.value());
    });
  }
  // The specification names no reply for an unknown modifier.
  if (caps_ & kCapStandardReplies)
    standard_reply("FAIL", "MONITOR", "INVALID_PARAMS", {modifier}, "Unknown MONITOR modifier; use +, -, C, L or S");
}

void IrcSession::on_watch_notice(const core::WatchNotice& notice) {
  if (!registered_ || ended_) return;
  const auto& id = notice.identity;
  if (notice.online) numeric(kRplMonOnline, {}, user_prefix(id.nick, id.user, id.host));
  else numeric(kRplMonOffline, {}, id.nick);
}

// --- WHOX -------------------------------------------------------------------------

void IrcSession::who_extended(const std::string& mask, std::string_view fields, std::string token) {
  // The fields asked for, in the one order replies use: t c u i h s n f d l a o r.
  std::string wanted;
  for (char f : std::string_view("tcuihsnfdlaor")) {
    if (fields.find(f) != std::string_view::npos) wanted += f;
  }
  if (token.empty() || token.size() > 3 || !std::all_of(token.begin(), token.end(), ::isdigit)) token.assign(1, '0');  // not = "0": GCC 12 -Wrestrict false positive
  struct Row {
    std::string channel, user, host, nick, flags, real_name, account;
  };
  auto send_row = [this, wanted, token](const Row& row) {
    Message reply{{}, config_->server_name, std::string(kRplWhoSpcRpl), {nick_}};
    for (char f : wanted) {
      switch (f) {
        case 't': reply.params.push_back(token); break;
        case 'c': reply.params.push_back(row.channel); break;
        case 'u': reply.params.push_back(row.user.empty() ? "*" : row.user); break;
        case 'i': reply.params.push_back(row.host.empty() ? "255.255.255.255" : row.host); break;
        case 'h': reply.params.push_back(row.host.empty() ? "*" : row.host); break;
        case 's': reply.params.push_back(config_->server_name); break;
        case 'n': reply.params.push_back(row.nick); break;
        case 'f': reply.params.push_back(row.flags); break;
        case 'd': reply.params.push_back("0"); break;
        case 'l': reply.params.push_back("0"); break;
        case 'a': reply.params.push_back(row.account.empty() ? "0" : row.account); break;  // "0": none
        case 'o': reply.params.push_back("n/a"); break;
        case 'r': reply.params.push_back(row.real_name); break;
      }
    }
    send_raw(fitted_line(std::move(reply)));
  };
  if (mask.starts_with('#')) {
    hub_.rooms().room_info(ref_, mask, [this, mask, send_row](const core::Result<core::RoomSnapshot>& r) {
      if (r.ok() && (!r.value().settings.secret || in_room_now(mask))) {
        const std::string channel = channel_name(r.value().room);
        const bool member = in_room_now(mask);  // invisible (+i) members are listed to members only
        for (const auto& e : r.value().entries) {
          if (e.identity->presence.invisible && !member) continue;
          send_row({channel, e.identity->user, e.identity->host, e.identity->nick,
                    who_flags(e.identity->presence, member_prefix(e.op, e.voice, caps_ & kCapMultiPrefix)), e.identity->real_name,
                    e.identity->presence.account});
        }
      }
      numeric(kRplEndOfWho, {mask}, "End of WHO list");
    });
    return;
  }
  if (mask.find_first_of("*?") != std::string::npos) {  // a nick mask
    hub_.directory().find_users(ref_, mask, kMaxWhoReplies,
                    [this, mask, send_row](const core::Result<std::vector<core::Identity>>& r) {
                      if (r.ok()) {
                        for (const auto& id : r.value())
                          send_row({"*", id.user, id.host, id.nick, who_flags(id.presence, ""), id.real_name,
                                    id.presence.account});
                      }
                      numeric(kRplEndOfWho, {mask}, "End of WHO list");
                    });
    return;
  }
  hub_.directory().find_user(ref_, mask, [this, mask, send_row](const core::Result<core::Identity>& r) {
    if (r.ok()) {
      const auto& id = r.value();
      send_row({"*", id.user, id.host, id.nick, who_flags(id.presence, ""), id.real_name, id.presence.account});
    }
    numeric(kRplEndOfWho, {mask}, "End of WHO list");
  });
}

}  // namespace parley::irc
