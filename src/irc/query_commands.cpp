// IRC commands that ask about users and the server: WHO, WHOIS, ISON, USERHOST,
// MOTD, LUSERS, VERSION, TIME.
#include "irc/irc_session.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "core/unicode.h"
#include "irc/capabilities.h"
#include "irc/command_helpers.h"
#include "irc/line_split.h"
#include "irc/numerics.h"
#include "irc/render.h"

namespace parley::irc {

void IrcSession::cmd_who(const Message& m) {
  const std::string mask = m.params[0];
  // WHOX: "WHO <mask> %<fields>[,<token>]".
  if (m.params.size() > 1 && m.params[1].starts_with('%')) {
    const std::string_view spec = std::string_view(m.params[1]).substr(1);
    const auto comma = spec.find(',');
    return who_extended(mask, spec.substr(0, comma),
                        comma == std::string_view::npos ? std::string() : std::string(spec.substr(comma + 1)));
  }
  auto reply = [this](std::string_view channel, const core::Identity& e, std::string_view prefix) {
    numeric(kRplWhoReply, {channel, e.user, e.host, config_->server_name, e.nick, who_flags(e.presence, prefix)},
            fmt::format("0 {}", e.real_name));
  };
  if (mask.starts_with('#')) {
    hub_.rooms().room_info(ref_, mask, [this, mask, reply](const core::Result<core::RoomSnapshot>& r) {
      // A secret channel's members are listed to its members only.
      if (r.ok() && (!r.value().settings.secret || in_room_now(mask))) {
        // Invisible (+i) members are listed only to those who share the channel.
        const bool member = in_room_now(mask);
        for (const auto& e : r.value().entries) {
          if (e.identity->presence.invisible && !member) continue;
          reply(channel_name(r.value().room), *e.identity, member_prefix(e.op, e.voice, caps_ & kCapMultiPrefix));
        }
      }
      numeric(kRplEndOfWho, {mask}, "End of WHO list");
    });
    return;
  }
  if (mask.find_first_of("*?") != std::string::npos) {  // a nick mask: everyone it matches
    hub_.directory().find_users(ref_, mask, kMaxWhoReplies,
                    [this, mask, reply](const core::Result<std::vector<core::Identity>>& r) {
                      if (r.ok()) {
                        for (const auto& id : r.value()) reply("*", id, "");
                      }
                      numeric(kRplEndOfWho, {mask}, "End of WHO list");
                    });
    return;
  }
  hub_.directory().find_user(ref_, mask, [this, mask, reply](const core::Result<core::Identity>& r) {
    if (r.ok()) reply("*", r.value(), "");
    numeric(kRplEndOfWho, {mask}, "End of WHO list");
  });
}

void IrcSession::cmd_whois(const Message& m) {
  const std::string target = m.params.back();
  hub_.directory().user_details(ref_, target, [this, target](const core::Result<core::UserDetails>& r) {
    if (!r.ok()) {
      refuse(r.refusal(), {target});
      return numeric(kRplEndOfWhois, {target}, "End of /WHOIS list");
    }
    const auto& details = r.value();
    const auto& id = details.identity;
    numeric(kRplWhoisUser, {id.nick, id.user, id.host, "*"}, id.real_name);
    // The rooms, several 319s when they would not fit one line.
    constexpr std::size_t kChannelsPerLine = 400;  // bytes of names; a line holds 512 with the prefix
    std::string channels;
    for (const auto& room : details.rooms) {
      std::string one = member_prefix(room.op, room.voice, caps_ & kCapMultiPrefix) + channel_name(room.room);
      if (!channels.empty() && channels.size() + 1 + one.size() > kChannelsPerLine) {
        numeric(kRplWhoisChannels, {id.nick}, channels);
        channels.clear();
      }
      if (!channels.empty()) channels += ' ';
      channels += one;
    }
    if (!channels.empty()) numeric(kRplWhoisChannels, {id.nick}, channels);
    numeric(kRplWhoisServer, {id.nick, config_->server_name}, config_->description);
    if (!id.address.empty() && id.address != id.host && hub_.identity_of(ref_).presence.server_operator)
      numeric(kRplWhoisHost, {id.nick}, fmt::format("is connecting from *@{} {}", id.host, id.address));
    if (id.presence.server_operator) numeric(kRplWhoisOperator, {id.nick}, "is an IRC operator");
    if (id.presence.bot) numeric(kRplWhoisBot, {id.nick}, fmt::format("is a bot on {}", config_->network));
    if (!id.presence.account.empty()) numeric(kRplWhoisAccount, {id.nick, id.presence.account}, "is logged in as");
    if (!id.presence.away.empty()) numeric(kRplAway, {id.nick}, id.presence.away);
    using std::chrono::duration_cast, std::chrono::seconds;
    const auto idle = std::max<long long>(0, duration_cast<seconds>(details.now - details.last_spoke).count());
    const auto signon = duration_cast<seconds>(details.signed_on.time_since_epoch()).count();
    numeric(kRplWhoisIdle, {id.nick, std::to_string(idle), std::to_string(signon)}, "seconds idle, signon time");
    numeric(kRplEndOfWhois, {id.nick}, "End of /WHOIS list");
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
  hub_.directory().find_user(ref_, state->names[state->next++], [this, state](const core::Result<core::Identity>& r) {
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
    send_raw(to_line(Message{{}, config_->server_name, std::string(kRplIson), {nick_, list}}));  // ":" even when empty
  });
}

void IrcSession::cmd_userhost(const Message& m) {
  std::vector<std::string> names(m.params.begin(), m.params.begin() + std::min<std::size_t>(m.params.size(), 5));
  lookup_all(std::move(names), [this](std::vector<core::Identity> found) {
    std::string list;
    // "nick[*]=(+|-)user@host": '-' for an away user, '*' for a server operator.
    for (const auto& id : found) {
      list += fmt::format("{}{}{}={}{}@{}", list.empty() ? "" : " ", id.nick, id.presence.server_operator ? "*" : "",
                          id.presence.away.empty() ? '+' : '-', id.user, id.host);
    }
    send_raw(to_line(Message{{}, config_->server_name, std::string(kRplUserhost), {nick_, list}}));
  });
}

void IrcSession::cmd_motd(const Message&) { send_motd(); }
void IrcSession::cmd_lusers(const Message&) { send_lusers({}); }

void IrcSession::cmd_version(const Message&) {
  numeric(kRplVersion, {config_->version, config_->server_name}, "Parley chat server");
}

void IrcSession::cmd_time(const Message&) {
  numeric(kRplTime, {config_->server_name}, server_time(std::chrono::system_clock::now()));
}

}  // namespace parley::irc
