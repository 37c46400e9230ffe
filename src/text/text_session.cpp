// The text session's life: the seed's conversation (welcome, name prompt,
// LEAVE), command dispatch and /help, and hub events as lines. The other
// commands: room_commands.cpp, user_commands.cpp, moderation_commands.cpp.
#include "text/text_session.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/name_registry.h"
#include "core/unicode.h"
#include "text/command_line.h"
#include "text/history_render.h"
#include "text/refusal_text.h"
#include "text/render.h"
#include "text/text_helpers.h"

namespace parley::text {
namespace {

constexpr std::size_t kMaxRenamesRemembered = 64;

// LEAVE at the name prompt, in any case: nobody means to be called "leave".
bool is_leave(std::string_view s) {
  constexpr std::string_view kLeave = "LEAVE";
  if (s.size() != kLeave.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(s[i])) != kLeave[i]) return false;
  }
  return true;
}

}  // namespace

struct TextSession::Command {
  std::string_view name;
  Handler handler;
  std::string_view usage;
  std::string_view help;
};

const std::vector<TextSession::Command>& TextSession::commands() {
  static const std::vector<Command> table = {
      {"help", &TextSession::cmd_help, "/help [COMMAND]", "lists the commands, or explains one"},
      {"join", &TextSession::cmd_join, "/join ROOM [KEY]",
       "joins ROOM (creating it) and talks there; if you are in it, switches to it; KEY opens a room that has one"},
      {"part", &TextSession::cmd_part, "/part [ROOM]", "leaves ROOM (default: the room you are talking in)"},
      {"rooms", &TextSession::cmd_rooms, "/rooms", "lists the rooms and how many people are in each"},
      {"search", &TextSession::cmd_search, "/search [#ROOM] [--best] WORDS",
       "finds earlier messages holding every word (in ROOM, or in all your rooms), newest first, or with --best the "
       "best matches first; end a word with * for prefixes"},
      {"who", &TextSession::cmd_who, "/who [ROOM]", "lists who is in ROOM (default: the room you are talking in), marking operators, voices, the away and IRC users"},
      {"whois", &TextSession::cmd_whois, "/whois NAME",
       "says who NAME is: their IRC nick and host, whether they use IRC or text, their account, whether they are away, their rooms, how long they have been idle"},
      {"msg", &TextSession::cmd_msg, "/msg NAME text", "sends a private message; quote a name with spaces: /msg \"Raj Ingle\" hi"},
      {"me", &TextSession::cmd_me, "/me action", "describes what you are doing: * NAME action"},
      {"nick", &TextSession::cmd_nick, "/nick NEWNAME", "changes your name"},
      {"topic", &TextSession::cmd_topic, "/topic [text]", "shows or sets the topic of the room you are talking in"},
      {"invite", &TextSession::cmd_invite, "/invite NAME [ROOM]",
       "invites NAME to ROOM (default: the room you are talking in); in an invite-only room, operators only"},
      {"mode", &TextSession::cmd_mode, "/mode [+|-SETTINGS [KEY|LIMIT]]",
       "shows the settings of the room you are talking in, or changes them (operators): t topic locked to operators, "
       "m moderated, i invite-only, s secret, k KEY, l LIMIT; for example /mode +m, /mode -t, /mode +k secret"},
      {"kick", &TextSession::cmd_kick, "/kick NAME [reason]", "removes NAME from the room you are talking in (operators)"},
      {"ban", &TextSession::cmd_ban, "/ban NAME|MASK",
       "keeps NAME, or everyone matching a nick!user@host MASK (* and ? as wildcards), out of the room (operators)"},
      {"unban", &TextSession::cmd_unban, "/unban NAME|MASK", "lifts a ban; /mode lists them (operators)"},
      {"op", &TextSession::cmd_op, "/op NAME", "makes NAME an operator of the room you are talking in (operators)"},
      {"deop", &TextSession::cmd_deop, "/deop NAME", "takes away NAME's operator rights (operators)"},
      {"voice", &TextSession::cmd_voice, "/voice NAME", "lets NAME speak when the room is moderated (operators)"},
      {"devoice", &TextSession::cmd_devoice, "/devoice NAME", "takes away NAME's voice (operators)"},
      {"away", &TextSession::cmd_away, "/away [message]",
       "marks you as away; whoever sends you a private message is told the message. /away alone: you are back"},
      {"quit", &TextSession::cmd_quit, "/quit [reason]", "leaves the chat, like LEAVE"},
      {"register", &TextSession::cmd_register, "/register PASSWORD | /register #ROOM",
       "registers your name as an account with that password, and logs you in; with #ROOM, registers that room to "
       "your account (you must be logged in and its operator) so that it is kept across restarts"},
      {"login", &TextSession::cmd_login, "/login NAME PASSWORD",
       "logs you in to the account NAME (quote a name with spaces); a registered name is yours only once logged in"},
      {"unregister", &TextSession::cmd_unregister, "/unregister #ROOM",
       "ends a room's registration (its founder, or a server operator)"},
      {"roominfo", &TextSession::cmd_roominfo, "/roominfo [#ROOM]", "says who registered ROOM and who its operators by account are"},
      {"oper", &TextSession::cmd_oper, "/oper NAME PASSWORD", "logs you in as a server operator"},
      {"kline", &TextSession::cmd_kline, "/kline [DURATION] MASK [reason]",
       "bans everyone matching nick!user@host MASK (* and ?), or $a:ACCOUNT, from the server (server operators); "
       "with DURATION (10m, 2h, 1d, 1w; a bare number is minutes) the ban lapses by itself"},
      {"unkline", &TextSession::cmd_unkline, "/unkline MASK", "lifts a server ban (server operators)"},
      {"klines", &TextSession::cmd_klines, "/klines", "lists the server bans (server operators)"},
      {"access", &TextSession::cmd_access, "/access #ROOM [add NAME | del NAME]",
       "lists the accounts made operators of a registered ROOM when they join, or adds or removes one (its founder)"},
      {"logout", &TextSession::cmd_logout, "/logout",
       "logs you out of your account; a registered name must then be logged in to again, or it is renamed"},
  };
  return table;
}

TextSession::TextSession(core::Hub& hub, core::LoopIndex loop, session::Outbound& out, TextConfig config,
                         std::string peer_address)
    : hub_(hub), loop_(loop), out_(out), order_(out), config_(config), peer_address_(std::move(peer_address)) {}

TextSession::~TextSession() {
  if (attached_) hub_.detach(ref_, {});
}

std::string TextSession::farewell(session::CloseReason reason, const TextConfig& config) {
  using session::CloseReason;
  switch (reason) {
    case CloseReason::too_slow: return "Disconnected: you were not reading fast enough.\n";
    case CloseReason::shutdown: return "Disconnected: the server is shutting down.\n";
    case CloseReason::registration_timeout:
      return fmt::format("Disconnected: no name was entered within {} seconds.\n", config.name_timeout.count());
    case CloseReason::too_many_from_address: return "Disconnected: too many connections from your address.\n";
    case CloseReason::server_full: return "Disconnected: the server is full.\n";
    case CloseReason::silent_too_long: return "Disconnected: you sent nothing for too long.\n";
    case CloseReason::client_left:
    case CloseReason::peer_closed:
    case CloseReason::removed:  // the session has said why
    case CloseReason::ping_timeout: return {};
  }
  return {};
}

void TextSession::send(std::string text) {
  text += '\n';
  emit(text);
}

void TextSession::emit(std::string_view bytes, std::string_view stream) {
  if (state_ != State::ended) order_.send(bytes, stream);
}

void TextSession::emit_relayed(std::string_view bytes, std::string_view stream) {
  if (state_ != State::ended) order_.send_relayed(bytes, stream);
}

void TextSession::send_error(std::string_view sentence) { send(fmt::format("Error: {}", sentence)); }

void TextSession::start() {
  // IRC users see a text user as NICK!text@ADDRESS, with the full name as real name.
  ref_ = hub_.attach(loop_, *this, core::Profile{"text", config_.cloak ? config_.cloak->cloak(peer_address_) : peer_address_, {}, peer_address_});
  attached_ = true;
  send("Welcome to Chat room. To join enter your Name and begin chatting.");
}

void TextSession::on_line(std::string_view line) {
  if (leaving_) return;
  session::run_command(hub_, ref_, order_, [&] {
    if (state_ == State::awaiting_name) handle_name(line);
    else if (state_ == State::chatting) handle_chat(line);
  });
}

void TextSession::on_line_too_long(std::size_t limit) {
  if (leaving_) return;
  session::run_command(hub_, ref_, order_, [&] { too_long(limit); });
}

void TextSession::too_long(std::size_t limit) {
  if (state_ == State::chatting) {
    send_error(fmt::format("that line is longer than {} bytes; it was not sent.", limit));
  } else if (state_ == State::awaiting_name) {
    send_error(fmt::format("a name can be at most {} characters long.", hub_.limits().name_chars));
    send("Please enter a different name.");
  }
}

void TextSession::handle_name(std::string_view line) {
  const std::string_view trimmed = core::is_valid_utf8(line) ? core::trim_space(line) : line;
  if (is_leave(trimmed)) return leave({});
  state_ = State::claiming_name;
  std::string attempted(trimmed);
  // What the user typed after the name is read once the name is settled.
  out_.hold_input();
  hub_.claim_name(ref_, line, [this, attempted](const core::Result<core::Identity>& r) {
    out_.resume_input();
    on_name_result(r, attempted);
  });
}

void TextSession::on_name_result(const core::Result<core::Identity>& result, const std::string& attempted) {
  if (state_ == State::ended) return;
  if (!result.ok()) {
    state_ = State::awaiting_name;
    send_error(refusal_text(result.refusal(), hub_.limits(), core::to_nfc(attempted).value_or(attempted)));
    send("Please enter a different name.");
  } else {
    name_ = result.value().display;
    state_ = State::chatting;
    send(fmt::format("Welcome {} to chatroom! Enter LEAVE to exit the chatroom", name_));
    // IRC users address this user by a nick made from the name; say so when
    // that nick was taken and a suffix was added, or they would seem to
    // write to someone else.
    if (const std::string wanted = core::nick_for(name_, hub_.limits().nick_chars); result.value().nick != wanted)
      send(fmt::format("IRC users see you as {} ({} is taken).", result.value().nick, wanted));
    send_motd();
    guard_my_name();
    auto room = hub_.rooms().join(ref_, hub_.limits().default_room, {}, join_refused_handler(hub_.limits().default_room),
                                  replay_handler());
    if (room.ok()) {
      quiet_join_key_ = room.value().key;
      rooms_.push_back({room.value().display, room.value().key});
      current_key_ = room.value().key;
    }
  }
}

void TextSession::send_motd() {
  std::string_view rest = config_.motd;
  while (!rest.empty()) {
    const std::size_t end = std::min(rest.find('\n'), rest.size());
    std::string_view line = rest.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    send(core::sanitize_for_display(line));
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
}

void TextSession::handle_chat(std::string_view raw) {
  if (!core::is_valid_utf8(raw)) {
    out_.count_rejected(session::Rejection::invalid_utf8);
    return send_error("that line is not valid UTF-8; it was not sent.");
  }
  const std::string_view line = trim_trailing(raw);
  if (line == "LEAVE") return leave({});
  if (blank_when_shown(line)) return;
  if (line.starts_with("//")) return say_here(core::Speech::message, std::string(line.substr(1)));
  if (line.front() != '/') return say_here(core::Speech::message, std::string(line));

  const CommandLine cmd = parse_command(line);
  for (const Command& c : commands()) {
    if (c.name == cmd.name) return (this->*c.handler)(cmd.args);
  }
  out_.count_rejected(session::Rejection::unknown_command);
  send_error(fmt::format("unknown command /{}. Try /help.", core::sanitize_for_display(cmd.name)));
}

core::Callback<std::vector<core::HistoryLine>> TextSession::replay_handler() {
  return [this](core::Result<std::vector<core::HistoryLine>> lines) {
    if (state_ == State::chatting && lines.ok() && !lines.value().empty())
      emit(render_history(lines.value()), lines.value().front().target);
  };
}

core::Refused TextSession::join_refused_handler(std::string raw_room) {
  return [this, raw_room = std::move(raw_room)](core::Refusal no) {
    if (state_ != State::chatting) return;
    auto room = core::check_room_name(raw_room, hub_.limits().room_chars);
    if (!room.ok()) return;
    const std::string& key = room.value().key;
    std::erase_if(rooms_, [&](const JoinedRoom& r) { return r.key == key; });
    if (quiet_join_key_ == key) quiet_join_key_.clear();
    send_error(refusal_text(no, hub_.limits(), room.value().display));
    if (current_key_ == key) {
      current_key_ = rooms_.empty() ? std::string() : rooms_.back().key;
      send(where_now());
    }
  };
}

void TextSession::say_here(core::Speech speech, std::string text) {
  const JoinedRoom* room = current_room();
  if (!room) return send_error("you are not in any room. Use /join ROOM to enter one.");
  auto r = hub_.rooms().say(ref_, room->key, speech, std::move(text), [this, shown = room->display](core::Refusal no) {
    if (state_ == State::chatting) send_error(refusal_text(no, hub_.limits(), shown));
  });
  if (!r.ok()) send_error(refusal_text(r.refusal(), hub_.limits(), room->display));
}

void TextSession::leave(std::string reason) {
  send("LEAVE");
  // The session ends once what earlier lines caused (its own message, say)
  // has reached this client: no more input is read meanwhile.
  leaving_ = true;
  order_.then([this, reason = std::move(reason)]() mutable {
    end_session(std::move(reason), core::Ending::asked);
    out_.close_after_flush(session::CloseReason::client_left);
  });
}

void TextSession::end_session(std::string reason, core::Ending how) {
  state_ = State::ended;
  if (attached_) {
    attached_ = false;
    hub_.detach(ref_, std::move(reason), how);
  }
}

void TextSession::on_input_ended() {
  if (leaving_ || state_ == State::ended) return;
  // Like LEAVE, once every line sent has been answered (nc -N).
  leaving_ = true;
  order_.after_all([this] {
    end_session({});
    out_.close_after_flush(session::CloseReason::peer_closed);
  });
}

void TextSession::on_closed(session::CloseReason) {
  order_.drop();
  end_session({});
}

const TextSession::JoinedRoom* TextSession::find_room(const std::string& key) const {
  auto it = std::find_if(rooms_.begin(), rooms_.end(), [&](const JoinedRoom& r) { return r.key == key; });
  return it == rooms_.end() ? nullptr : &*it;
}

const TextSession::JoinedRoom* TextSession::current_room() const { return find_room(current_key_); }

std::string TextSession::where_now() const {
  if (const JoinedRoom* room = current_room()) return fmt::format("You are now talking in #{}.", room->display);
  return "You are not in any room. Use /join ROOM to enter one.";
}

void TextSession::on_room_event(const core::RoomEvent& ev, core::RenderCache& cache) {
  if (state_ != State::chatting) return;
  using E = core::RoomEvent;
  const bool mine = ev.actor == ref_;
  // Your own events answer the command that caused them; others' do not.
  session::Answering answering(order_, mine ? ev.cause : 0);
  const bool here = ev.room_key == current_key_;
  auto rendered = [&](bool in_current_room) -> decltype(auto) {
    return cache.get(in_current_room ? kFormCurrentRoom : kFormOtherRoom,
                     [&] { return render_room_event(ev, in_current_room); });
  };
  auto relay = [&](bool in_current_room) { emit(rendered(in_current_room), ev.room_key); };
  std::visit(core::Overloaded{
                 [&](const E::Joined&) {
                   if (!mine) return relay(here);
                   // The room keeps the spelling of whoever created it; adopt it.
                   auto room = std::find_if(rooms_.begin(), rooms_.end(),
                                            [&](const JoinedRoom& r) { return r.key == ev.room_key; });
                   if (room != rooms_.end()) room->display = ev.room;
                   if (ev.room_key == quiet_join_key_) return quiet_join_key_.clear();
                   emit(render_own_join(ev), ev.room_key);
                 },
                 [&](const E::Left&) {
                   if (!mine) return relay(here);
                   send(fmt::format("You left #{}.", ev.room));
                   send(where_now());
                 },
                 [&](const E::Kicked& kicked) {
                   if (kicked.target != ref_) return relay(here);
                   emit(render_own_kick(ev), ev.room_key);
                   std::erase_if(rooms_, [&](const JoinedRoom& r) { return r.key == ev.room_key; });
                   if (current_key_ == ev.room_key) {
                     current_key_ = rooms_.empty() ? std::string() : rooms_.back().key;
                     send(where_now());
                   }
                 },
                 [&](const E::Renamed& renamed) {
                   // Every shared room announces a rename; a person needs to read it once.
                   const std::string& to = renamed.to->display;
                   auto shown = std::find_if(shown_renames_.begin(), shown_renames_.end(),
                                             [&](const auto& r) { return r.first == ev.actor; });
                   if (shown != shown_renames_.end() && shown->second == to) return;
                   if (shown != shown_renames_.end()) shown->second = to;
                   else shown_renames_.emplace_back(ev.actor, to);
                   if (shown_renames_.size() > kMaxRenamesRemembered) shown_renames_.erase(shown_renames_.begin());
                   relay(true);
                 },
                 [&](const E::Said& said) {
                   if (said.speech == core::Speech::tagged) return;  // IRC's TAGMSG has no text to show
                   if (mine) return relay(here);  // answers the command: never held
                   emit_relayed(rendered(here), ev.room_key);
                 },
                 [&](const E::TopicChanged&) { relay(here); },
                 [&](const E::SettingsChanged&) { relay(here); },
                 // IRC's invite-notify, away-notify and setname: text users hear
                 // of away messages when they /msg.
                 [&](const E::Invited&) {},
                 [&](const E::AwayChanged&) {},
                 [&](const E::RealNameChanged&) {},
                 [&](const E::AccountChanged&) {},
                 [&](const E::Redacted&) {},  // text users see no message ids: nothing to take back
             },
             ev.what);
}

void TextSession::on_invite(const core::Invitation& invitation) {
  if (state_ == State::chatting) emit(render_invitation(invitation));
}

void TextSession::on_private_message(const core::PrivateMessage& pm) {
  // CTCP requests and replies (VERSION, PING...) are for IRC clients; the
  // sender's IRC session answers the common ones for a text user.
  if (pm.text.starts_with('\x01')) return;
  if (state_ == State::chatting && pm.speech != core::Speech::tagged) emit(render_private(pm, false));
}

void TextSession::on_removed(const core::Removal& removal) {
  if (state_ == State::ended) return;
  // Straight out: the hub detaches this session right after, so nothing that
  // waits for earlier commands will come.
  order_.drop();
  if (removal.banned) {
    out_.send(fmt::format("Disconnected: you are banned from this server ({}).\n",
                          core::sanitize_for_display(removal.reason)));
  } else {
    out_.send(fmt::format("Disconnected: server operator {} removed you ({}).\n", removal.by_name,
                          core::sanitize_for_display(removal.reason)));
  }
  state_ = State::ended;
  attached_ = false;  // the hub detaches this session itself, with the reason
  out_.close_after_flush(session::CloseReason::removed);
}

// --- /help ------------------------------------------------------------------

void TextSession::cmd_help(std::string_view args) {
  if (!args.empty()) {
    std::string name(args.starts_with('/') ? args.substr(1) : args);
    for (const Command& c : commands()) {
      if (c.name == name) return send(fmt::format("{}: {}", c.usage, c.help));
    }
    return send_error(fmt::format("unknown command /{}. Try /help.", core::sanitize_for_display(name)));
  }
  send("Commands:");
  for (const Command& c : commands()) send(fmt::format("  {} - {}", c.usage, c.help));
  send("  LEAVE - leaves the chat. Any other line is a message to the room you are talking in.");
}

}  // namespace parley::text
