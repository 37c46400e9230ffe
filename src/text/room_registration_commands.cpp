// Registered rooms and server operators for text users: /register #ROOM,
// /unregister #ROOM, /roominfo [#ROOM]; /oper NAME PASSWORD; and server
// bans, /kline MASK [reason], /unkline MASK, /klines. The core decides
// (RoomRequests, BanRequests); this file says it in sentences.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cctype>

#include "auth/account_names.h"
#include "auth/saslprep.h"
#include "core/server_bans.h"
#include "core/shown_text.h"
#include "core/unicode.h"
#include "text/command_line.h"
#include "text/refusal_text.h"
#include "text/text_session.h"

namespace parley::text {
namespace {

std::string when(core::WallTime t) {
  return fmt::format("{:%Y-%m-%d %H:%M} UTC", fmt::gmtime(std::chrono::system_clock::to_time_t(t)));
}

// A temporary ban's end, to the second: it may be minutes away.
std::string when_exactly(core::WallTime t) {
  return fmt::format("{:%Y-%m-%d %H:%M:%S} UTC", fmt::gmtime(std::chrono::system_clock::to_time_t(t)));
}

std::string room_arg(std::string_view args) {
  std::string room(core::trim_space(args));
  return room.starts_with('#') ? room.substr(1) : room;
}

}  // namespace

void TextSession::cmd_register_room(std::string_view args) {
  const std::string room = room_arg(args);
  const std::string shown = core::sanitize_for_display(room);
  hub_.rooms().register_room(ref_, fmt::format("#{}", room), [this, shown](const core::Result<core::RoomRecord>& r) {
    if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), shown));
    send(fmt::format("#{} is registered to your account {}: its settings, topic, bans and operators (by account) "
                     "are kept across restarts.",
                     r.value().name, r.value().founder));
  });
}

void TextSession::cmd_unregister(std::string_view args) {
  const std::string room = args.empty() ? std::string() : room_arg(args);
  if (room.empty()) return send("Usage: /unregister #ROOM");
  const std::string shown = core::sanitize_for_display(room);
  hub_.rooms().unregister_room(ref_, fmt::format("#{}", room), [this, shown](const core::Result<core::RoomRecord>& r) {
    if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), shown));
    send(fmt::format("#{} is no longer registered.", r.value().name));
  });
}

void TextSession::cmd_roominfo(std::string_view args) {
  std::string room = room_arg(args);
  if (room.empty()) {
    const JoinedRoom* here = current_room();
    if (!here) return send("Usage: /roominfo #ROOM");
    room = here->display;
  }
  const std::string shown = core::sanitize_for_display(room);
  hub_.rooms().registration(ref_, fmt::format("#{}", room), [this, shown](const core::Result<core::RoomRecord>& r) {
    if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), shown));
    std::string ops;
    for (const std::string& op : r.value().operators) ops += (ops.empty() ? "" : ", ") + op;
    send(fmt::format("#{} was registered by {} on {}; operators by account: {}.", r.value().name, r.value().founder,
                     when(r.value().registered), ops.empty() ? "the founder only" : ops));
  });
}

void TextSession::cmd_access(std::string_view args) {
  auto first = split_first_arg(args);
  const std::string room = first.ok ? room_arg(first.arg) : std::string();
  if (room.empty() || !first.arg.starts_with('#')) return send("Usage: /access #ROOM [add NAME | del NAME]");
  const std::string shown = core::sanitize_for_display(room);
  auto second = split_first_arg(first.rest);
  std::string sub = second.arg;
  for (char& c : sub) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (sub.empty() || sub == "list") {
    return hub_.rooms().registration(ref_, fmt::format("#{}", room), [this, shown](const core::Result<core::RoomRecord>& r) {
      if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), shown));
      std::string ops;
      for (const std::string& op : r.value().operators) ops += (ops.empty() ? "" : ", ") + op;
      send(fmt::format("Operators of #{} by account: {} (founder){}{}.", r.value().name, r.value().founder,
                       ops.empty() ? "" : ", ", ops));
    });
  }
  const std::string account = unquote(second.rest);
  if ((sub != "add" && sub != "del") || account.empty()) return send("Usage: /access #ROOM [add NAME | del NAME]");
  const bool add = sub == "add";
  auto change = [this, room, shown, add](const std::string& name) {
    hub_.rooms().change_access(ref_, fmt::format("#{}", room), name, add,
                               [this, shown, name, add](const core::Result<core::RoomRecord>& r) {
                                 if (!r.ok()) {
                                   if (r.refusal() == core::Refusal::no_such_member)
                                     return send_error(fmt::format("{} is not on the access list of #{}.", name, shown));
                                   if (r.refusal() == core::Refusal::ban_list_full)
                                     return send_error(fmt::format("the access list of #{} is full.", shown));
                                   return send_error(refusal_text(r.refusal(), hub_.limits(), shown));
                                 }
                                 send(add ? fmt::format("{} is an operator of #{} on joining.", name, r.value().name)
                                          : fmt::format("{} is no longer an operator of #{} on joining.", name, r.value().name));
                               });
  };
  auto key = auth::account_name(account, hub_.limits().name_chars);
  if (!key.ok()) return send_error(fmt::format("{} is not a registered account.", core::sanitize_for_display(account)));
  if (!add) return change(key.value().display);
  if (!config_.accounts) return send_error("this server keeps no accounts.");
  // Only accounts that exist: a name not registered yet could be taken by anyone.
  ask_accounts([k = key.value().key](auth::AccountService& s, auth::AccountDone done) { s.find(k, std::move(done)); },
               [this, change, shown = core::sanitize_for_display(account)](const auth::AccountAnswer& a) {
                 if (!a.ok()) return send_error(fmt::format("{} is not a registered account.", shown));
                 change(a.name);
               });
}

void TextSession::cmd_oper(std::string_view args) {
  auto first = split_first_arg(args);
  const std::string password(first.rest);
  if (!first.ok || first.arg.empty() || password.empty()) return send("Usage: /oper NAME PASSWORD");
  auto granted = [this] { send("You are now a server operator."); };
  if (config_.accounts) {
    // Logins may hold Argon2id hashes: checked on the account service's worker.
    return ask_accounts(
        [name = first.arg, password, host = peer_address_](auth::AccountService& s, auth::AccountDone done) {
          s.verify_operator(name, password, host, std::move(done));
        },
        [this, granted](const auth::AccountAnswer& a) {
          if (a.status == auth::AccountStatus::no_such_account)
            return send_error(refusal_text(core::Refusal::no_operator_logins, hub_.limits(), {}));
          if (!a.ok()) return send_error(refusal_text(core::Refusal::wrong_password, hub_.limits(), {}));
          if (hub_.presence().grant_server_operator(ref_).ok()) granted();
        });
  }
  // Plain logins are kept SASLprep'd (config.cpp): compared so (one prohibited matches none).
  auto r = hub_.presence().become_server_operator(ref_, first.arg, auth::saslprep(password).value_or(std::string()));
  if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), {}));
  granted();
}

void TextSession::cmd_kline(std::string_view args) {
  auto first = split_first_arg(args);
  if (!first.ok || first.arg.empty()) return send("Usage: /kline [DURATION] MASK [reason]");
  // A first word that starts with a digit, with a mask after it, is a duration (10m, 2h, 1d).
  std::optional<std::chrono::seconds> duration;
  if (std::isdigit(static_cast<unsigned char>(first.arg[0])) && !core::trim_space(first.rest).empty()) {
    duration = core::parse_ban_duration(first.arg);
    if (!duration) {
      return send_error(fmt::format("\"{}\" is not a duration: give a number and s, m, h, d or w (10m, 2h, 1d; a bare "
                                    "number is minutes), at most {}.",
                                    core::sanitize_for_display(first.arg),
                                    core::describe_ban_duration(core::kLongestTemporaryBan)));
    }
    first = split_first_arg(first.rest);
    if (!first.ok || first.arg.empty()) return send("Usage: /kline [DURATION] MASK [reason]");
  }
  const std::string shown = core::sanitize_for_display(first.arg);
  hub_.bans().add(ref_, first.arg, std::string(first.rest), [this, shown](const core::Result<core::BanAdded>& r) {
    if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), shown));
    const core::BanAdded& added = r.value();
    const std::string until = added.ban.temporary() ? fmt::format(" until {}", when_exactly(added.ban.expires)) : std::string();
    send(fmt::format("{} the server ban on {} ({}){}; {} disconnected.", added.replaced ? "Changed" : "Added",
                     added.ban.mask, added.ban.reason, until, added.disconnected));
  }, duration);
}

void TextSession::cmd_unkline(std::string_view args) {
  auto first = split_first_arg(args);
  if (!first.ok || first.arg.empty()) return send("Usage: /unkline MASK");
  const std::string shown = core::sanitize_for_display(first.arg);
  hub_.bans().remove(ref_, first.arg, [this, shown](const core::Result<core::ServerBan>& r) {
    if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), shown));
    send(fmt::format("Removed the server ban on {}.", r.value().mask));
  });
}

void TextSession::cmd_klines(std::string_view) {
  hub_.bans().list(ref_, [this](const core::Result<std::vector<core::ServerBan>>& r) {
    if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), {}));
    if (r.value().empty()) return send("There are no server bans.");
    send(fmt::format("Server bans ({}):", r.value().size()));
    for (const core::ServerBan& ban : r.value()) {
      const std::string until = ban.temporary() ? fmt::format(", expires {}", when_exactly(ban.expires)) : std::string();
      send(fmt::format("  {} - {} (by {}, {}{})", ban.mask, ban.reason, ban.set_by, when(ban.set_at), until));
    }
  });
}

}  // namespace parley::text
