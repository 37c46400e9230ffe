#include "text/text_session.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/unicode.h"
#include "text/command_line.h"
#include "text/refusal_text.h"
#include "text/render.h"

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

// Text that would show as nothing once control characters are removed.
bool blank_when_shown(std::string_view s) {
  return core::sanitize_for_display(s).find_first_not_of(' ') == std::string::npos;
}

std::string_view trim_trailing(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
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
      {"who", &TextSession::cmd_who, "/who [ROOM]", "lists who is in ROOM (default: the room you are talking in)"},
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

template <class Fn>
void TextSession::run_command(Fn&& fn) {
  const core::CommandId command = attached_ ? hub_.begin_command(ref_) : 0;
  order_.begin(command);
  fn();
  order_.end(!attached_ || hub_.end_command(ref_));
}

void TextSession::send_error(std::string_view sentence) { send(fmt::format("Error: {}", sentence)); }

void TextSession::start() {
  // IRC users see a text user as NICK!text@ADDRESS, with the full name as real name.
  ref_ = hub_.attach(loop_, *this, core::Profile{"text", peer_address_, {}});
  attached_ = true;
  send("Welcome to Chat room. To join enter your Name and begin chatting.");
}

void TextSession::on_line(std::string_view line) {
  if (leaving_) return;
  run_command([&] {
    if (state_ == State::awaiting_name) handle_name(line);
    else if (state_ == State::chatting) handle_chat(line);
  });
}

void TextSession::on_line_too_long(std::size_t limit) {
  if (leaving_) return;
  run_command([&] { too_long(limit); });
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
    auto room = hub_.rooms().join(ref_, hub_.limits().default_room, {}, join_refused_handler(hub_.limits().default_room));
    if (room.ok()) {
      quiet_join_key_ = room.value().key;
      rooms_.push_back({room.value().display, room.value().key});
      current_key_ = room.value().key;
    }
  }
}

void TextSession::handle_chat(std::string_view raw) {
  if (!core::is_valid_utf8(raw)) return send_error("that line is not valid UTF-8; it was not sent.");
  const std::string_view line = trim_trailing(raw);
  if (line == "LEAVE") return leave({});
  if (blank_when_shown(line)) return;
  if (line.starts_with("//")) return say_here(core::Speech::message, std::string(line.substr(1)));
  if (line.front() != '/') return say_here(core::Speech::message, std::string(line));

  const CommandLine cmd = parse_command(line);
  for (const Command& c : commands()) {
    if (c.name == cmd.name) return (this->*c.handler)(cmd.args);
  }
  send_error(fmt::format("unknown command /{}. Try /help.", core::sanitize_for_display(cmd.name)));
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
    end_session(std::move(reason));
    out_.close_after_flush(session::CloseReason::client_left);
  });
}

void TextSession::end_session(std::string reason) {
  state_ = State::ended;
  if (attached_) {
    attached_ = false;
    hub_.detach(ref_, std::move(reason));
  }
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

namespace {
// Output while it lives answers `command` (0: no command of this client's).
class Answering {
 public:
  Answering(session::ReplyOrder& order, core::CommandId command) : order_(order) { order_.answering(command); }
  ~Answering() { order_.answering(0); }
  Answering(const Answering&) = delete;
  Answering& operator=(const Answering&) = delete;

 private:
  session::ReplyOrder& order_;
};
}  // namespace

void TextSession::on_room_event(const core::RoomEvent& ev, core::RenderCache& cache) {
  if (state_ != State::chatting) return;
  using E = core::RoomEvent;
  const bool mine = ev.actor == ref_;
  // Your own events answer the command that caused them; others' do not.
  Answering answering(order_, mine ? ev.cause : 0);
  const bool here = ev.room_key == current_key_;
  auto relay = [&](bool in_current_room) {
    emit(cache.get(in_current_room ? kFormCurrentRoom : kFormOtherRoom,
                   [&] { return render_room_event(ev, in_current_room); }),
         ev.room_key);
  };
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
                   if (said.speech != core::Speech::tagged) relay(here);  // IRC's TAGMSG has no text to show
                 },
                 [&](const E::TopicChanged&) { relay(here); },
                 [&](const E::SettingsChanged&) { relay(here); },
                 // IRC's invite-notify, away-notify and setname: text users hear
                 // of away messages when they /msg.
                 [&](const E::Invited&) {},
                 [&](const E::AwayChanged&) {},
                 [&](const E::RealNameChanged&) {},
             },
             ev.what);
}

void TextSession::on_invite(const core::Invitation& invitation) {
  if (state_ == State::chatting) emit(render_invitation(invitation));
}

void TextSession::on_private_message(const core::PrivateMessage& pm) {
  if (state_ == State::chatting && pm.speech != core::Speech::tagged) emit(render_private(pm, false));
}

// --- commands ---------------------------------------------------------------

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

void TextSession::cmd_join(std::string_view args) {
  if (args.empty()) return send("Usage: /join ROOM [KEY]");
  std::string key;
  if (const auto space = args.find(' '); space != std::string_view::npos) {
    key = std::string(trim_trailing(core::trim_space(args.substr(space + 1))));
    args = args.substr(0, space);
    if (key.find(' ') != std::string::npos) return send("Usage: /join ROOM [KEY]");
  }
  auto checked = core::check_room_name(args, hub_.limits().room_chars);
  if (!checked.ok()) return send_error(refusal_text(checked.refusal(), hub_.limits()));
  if (const JoinedRoom* room = find_room(checked.value().key)) {
    current_key_ = room->key;
    return send(where_now());
  }
  auto joined = hub_.rooms().join(ref_, args, std::move(key), join_refused_handler(std::string(args)));
  if (!joined.ok()) return send_error(refusal_text(joined.refusal(), hub_.limits(), checked.value().display));
  rooms_.push_back({joined.value().display, joined.value().key});
  current_key_ = joined.value().key;
}

void TextSession::cmd_part(std::string_view args) {
  const JoinedRoom* room = current_room();
  std::string shown = room ? room->display : std::string();
  if (!args.empty()) {
    auto checked = core::check_room_name(args, hub_.limits().room_chars);
    if (!checked.ok()) return send_error(refusal_text(checked.refusal(), hub_.limits()));
    room = find_room(checked.value().key);
    shown = checked.value().display;
  }
  if (!room) {
    if (shown.empty()) return send_error("you are not in any room.");
    return send_error(refusal_text(core::Refusal::not_in_room, hub_.limits(), shown));
  }
  const std::string key = room->key;
  hub_.rooms().part(ref_, key, {});
  std::erase_if(rooms_, [&](const JoinedRoom& r) { return r.key == key; });
  if (current_key_ == key) current_key_ = rooms_.empty() ? std::string() : rooms_.back().key;
}

void TextSession::cmd_rooms(std::string_view) {
  hub_.rooms().list_rooms(ref_, [this](const core::Result<std::vector<core::RoomSummary>>& r) {
    if (!r.ok()) return;
    std::vector<std::string> parts;
    for (const auto& room : r.value()) parts.push_back(fmt::format("#{} ({})", room.room, room.members));
    send(fmt::format("Rooms ({}): {}", parts.size(), join_names(parts)));
  });
}

void TextSession::cmd_who(std::string_view args) {
  std::string room(args);
  if (room.empty()) {
    const JoinedRoom* here = current_room();
    if (!here) return send("Usage: /who ROOM");
    room = here->display;
  }
  hub_.rooms().room_info(ref_, room, [this, room](const core::Result<core::RoomSnapshot>& r) {
    if (!r.ok()) {
      auto shown = core::check_room_name(room, hub_.limits().room_chars);
      return send_error(refusal_text(r.refusal(), hub_.limits(), shown.ok() ? shown.value().display : room));
    }
    const auto& s = r.value();
    const auto names = member_names(s);
    send(fmt::format("Members of #{} ({}): {}", s.room, names.size(), join_names(names)));
  });
}

void TextSession::cmd_msg(std::string_view args) {
  FirstArg target = split_first_arg(args);
  if (!target.ok || target.arg.empty() || blank_when_shown(target.rest)) return send("Usage: /msg NAME text");
  hub_.directory().private_message(ref_, target.arg, core::Speech::message, std::string(target.rest),
                       [this, target = target.arg, text = std::string(target.rest)](const core::Result<core::Identity>& r) {
                         if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), core::sanitize_for_display(target)));
                         core::PrivateMessage echo;
                         echo.sender = std::make_shared<const core::Identity>(hub_.identity_of(ref_));
                         echo.to_name = r.value().display;
                         echo.text = text;
                         emit(render_private(echo, true));
                         if (const std::string& away = r.value().presence.away; !away.empty())
                           send(fmt::format("{} is away: {}", r.value().display, core::sanitize_for_display(away)));
                       });
}

void TextSession::cmd_me(std::string_view args) {
  if (blank_when_shown(args)) return send("Usage: /me action");
  say_here(core::Speech::action, std::string(args));
}

void TextSession::cmd_nick(std::string_view args) {
  std::string wanted = unquote(args);
  if (wanted.empty()) return send("Usage: /nick NEWNAME");
  // Lines after /nick are read once it is settled, so they come from the new name.
  out_.hold_input();
  hub_.claim_name(ref_, wanted, [this, wanted](const core::Result<core::Identity>& r) {
    out_.resume_input();
    if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), core::to_nfc(wanted).value_or(wanted)));
    const bool changed = r.value().display != name_;
    name_ = r.value().display;
    // Rooms you are in tell you themselves ("OLD is now known as NEW.").
    if (changed && rooms_.empty()) send(fmt::format("You are now known as {}.", name_));
  });
}

void TextSession::cmd_topic(std::string_view args) {
  const JoinedRoom* room = current_room();
  if (!room) return send_error("you are not in any room. Use /join ROOM to enter one.");
  if (!args.empty()) {
    if (blank_when_shown(args)) return send("Usage: /topic [text]");
    auto r = hub_.rooms().set_topic(ref_, room->key, std::string(args), [this, shown = room->display](core::Refusal no) {
      if (state_ == State::chatting) send_error(refusal_text(no, hub_.limits(), shown));
    });
    if (!r.ok()) send_error(refusal_text(r.refusal(), hub_.limits(), room->display));
    return;
  }
  hub_.rooms().room_info(ref_, room->display, [this](const core::Result<core::RoomSnapshot>& r) {
    if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits()));
    const auto& s = r.value();
    if (s.topic.empty()) return send(fmt::format("#{} has no topic.", s.room));
    send(fmt::format("Topic of #{}: {}", s.room, core::sanitize_for_display(s.topic)));
  });
}

void TextSession::cmd_quit(std::string_view args) { leave(std::string(args)); }

void TextSession::cmd_away(std::string_view args) {
  const std::string message = blank_when_shown(args) ? std::string() : std::string(args);
  auto r = hub_.presence().set_away(ref_, message);
  if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits()));
  if (message.empty()) return send("You are back.");
  send(fmt::format("You are away: {}", core::sanitize_for_display(hub_.identity_of(ref_).presence.away)));
}

void TextSession::on_removed(const core::Removal& removal) {
  if (state_ == State::ended) return;
  // Straight out: the hub detaches this session right after, so nothing that
  // waits for earlier commands will come.
  order_.drop();
  out_.send(fmt::format("Disconnected: server operator {} removed you ({}).\n", removal.by_name,
                        core::sanitize_for_display(removal.reason)));
  state_ = State::ended;
  attached_ = false;  // the hub detaches this session itself, with the reason
  out_.close_after_flush(session::CloseReason::removed);
}

// --- moderation ---------------------------------------------------------------

void TextSession::change_here(std::vector<core::RoomChange> changes) {
  const JoinedRoom* room = current_room();
  if (!room) return send_error("you are not in any room. Use /join ROOM to enter one.");
  hub_.rooms().change_settings(ref_, room->key, std::move(changes),
                       [this, shown = room->display](const core::Result<std::vector<core::Room::RefusedChange>>& r) {
                         if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), shown));
                         for (const auto& refused : r.value()) {
                           const bool about_room = refused.refusal == core::Refusal::ban_list_full;
                           send_error(refusal_text(refused.refusal, hub_.limits(),
                                                   about_room ? shown : core::sanitize_for_display(refused.change.arg)));
                         }
                       });
}

void TextSession::role_command(std::string_view args, core::RoomSetting role, bool on, std::string_view usage) {
  std::string name = unquote(args);
  if (name.empty()) return send(fmt::format("Usage: {}", usage));
  change_here({core::RoomChange{role, on, std::move(name), {}, {}}});
}

void TextSession::cmd_op(std::string_view args) { role_command(args, core::RoomSetting::op, true, "/op NAME"); }
void TextSession::cmd_deop(std::string_view args) { role_command(args, core::RoomSetting::op, false, "/deop NAME"); }
void TextSession::cmd_voice(std::string_view args) { role_command(args, core::RoomSetting::voice, true, "/voice NAME"); }
void TextSession::cmd_devoice(std::string_view args) {
  role_command(args, core::RoomSetting::voice, false, "/devoice NAME");
}

void TextSession::ban_command(std::string_view args, bool on) {
  std::string arg = unquote(args);
  if (arg.empty()) return send(on ? "Usage: /ban NAME|MASK" : "Usage: /unban NAME|MASK");
  if (arg.find_first_of("!@") != std::string::npos)
    return change_here({core::RoomChange{core::RoomSetting::ban, on, arg, {}, {}}});
  // A name: the ban is on its nick, from anywhere (NICK!*@*).
  hub_.directory().find_user(ref_, arg, [this, arg, on](const core::Result<core::Identity>& r) {
    std::string mask;
    if (r.ok()) mask = r.value().nick + "!*@*";
    else if (!core::has_space(arg)) mask = arg + "!*@*";  // nobody holds it now; ban the nick anyway
    else return send_error(refusal_text(core::Refusal::no_such_user, hub_.limits(), core::sanitize_for_display(arg)));
    change_here({core::RoomChange{core::RoomSetting::ban, on, std::move(mask), {}, {}}});
  });
}

void TextSession::cmd_ban(std::string_view args) { ban_command(args, true); }
void TextSession::cmd_unban(std::string_view args) { ban_command(args, false); }

void TextSession::cmd_kick(std::string_view args) {
  FirstArg target = split_first_arg(args);
  if (!target.ok || target.arg.empty()) return send("Usage: /kick NAME [reason]");
  const JoinedRoom* room = current_room();
  if (!room) return send_error("you are not in any room. Use /join ROOM to enter one.");
  hub_.rooms().kick(ref_, room->key, target.arg, std::string(target.rest),
            [this, shown = room->display, name = target.arg](const core::Result<core::Done>& r) {
              if (r.ok()) return;
              const bool about_name = r.refusal() == core::Refusal::no_such_member;
              send_error(refusal_text(r.refusal(), hub_.limits(), about_name ? core::sanitize_for_display(name) : shown));
            });
}

void TextSession::cmd_invite(std::string_view args) {
  FirstArg target = split_first_arg(args);
  if (!target.ok || target.arg.empty()) return send("Usage: /invite NAME [ROOM]");
  std::string room(target.rest);
  if (room.empty()) {
    const JoinedRoom* here = current_room();
    if (!here) return send("Usage: /invite NAME ROOM");
    room = here->display;
  }
  auto checked = core::check_room_name(room, hub_.limits().room_chars);
  if (!checked.ok()) return send_error(refusal_text(checked.refusal(), hub_.limits()));
  const std::string shown = checked.value().display;
  hub_.rooms().invite(ref_, target.arg, room, [this, shown, name = target.arg](const core::Result<core::Identity>& r) {
    if (r.ok()) return send(fmt::format("You invited {} to #{}.", r.value().display, shown));
    const auto no = r.refusal();
    const bool about_name = no == core::Refusal::no_such_user || no == core::Refusal::already_member;
    send_error(refusal_text(no, hub_.limits(), about_name ? core::sanitize_for_display(name) : shown));
  });
}

void TextSession::cmd_mode(std::string_view args) {
  const JoinedRoom* room = current_room();
  if (!room) return send_error("you are not in any room. Use /join ROOM to enter one.");
  if (args.empty()) return show_settings();
  std::vector<std::string> words;
  for (std::string_view rest = args; !rest.empty();) {
    const auto space = rest.find(' ');
    if (space != 0) words.emplace_back(rest.substr(0, space));
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  const std::string_view usage = "Usage: /mode [+|-SETTINGS [KEY|LIMIT]], for example /mode +m or /mode +l 10";
  if (words.empty() || (words[0][0] != '+' && words[0][0] != '-')) return send(std::string(usage));
  std::vector<core::RoomChange> changes;
  std::size_t next = 1;
  bool on = true;
  using S = core::RoomSetting;
  for (char c : words[0]) {
    if (c == '+' || c == '-') {
      on = c == '+';
      continue;
    }
    // Roles and bans have commands of their own (/op, /voice, /ban); /mode is for the room's settings.
    const std::optional<S> found = core::setting_for_letter(c);
    if (!found || *found == S::ban || *found == S::op || *found == S::voice) {
      return send_error(fmt::format("unknown setting '{}'. Settings: t (topic locked), m (moderated), "
                                    "i (invite-only), s (secret), k KEY, l LIMIT.",
                                    core::sanitize_for_display(std::string_view(&c, 1))));
    }
    const S setting = *found;
    std::string arg;
    if (on && (setting == S::key || setting == S::limit)) {
      if (next >= words.size()) return send(std::string(usage));
      arg = words[next++];
    }
    changes.push_back({setting, on, std::move(arg), {}, {}});
  }
  if (changes.empty()) return send(std::string(usage));
  change_here(std::move(changes));
}

void TextSession::show_settings() {
  const JoinedRoom* room = current_room();
  if (!room) return;
  hub_.rooms().room_info(ref_, room->display, [this](const core::Result<core::RoomSnapshot>& r) {
    if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits()));
    const auto& s = r.value().settings;
    std::vector<std::string> parts;
    if (s.topic_locked) parts.emplace_back("topic locked to operators");
    if (s.moderated) parts.emplace_back("moderated");
    if (s.invite_only) parts.emplace_back("invite-only");
    if (s.secret) parts.emplace_back("secret");
    if (!s.key.empty()) parts.push_back(fmt::format("key {}", core::sanitize_for_display(s.key)));
    if (s.limit > 0) parts.push_back(fmt::format("at most {} members", s.limit));
    const std::string& name = r.value().room;
    if (parts.empty()) send(fmt::format("Settings of #{}: none.", name));
    else send(fmt::format("Settings of #{}: {}.", name, join_names(parts)));
    std::vector<std::string> ops, voiced;
    for (const auto& e : r.value().entries) {
      if (e.op) ops.push_back(e.identity->display);
      if (e.voice) voiced.push_back(e.identity->display);
    }
    if (!ops.empty()) send(fmt::format("Operators of #{} ({}): {}", name, ops.size(), join_names(ops)));
    if (!voiced.empty()) send(fmt::format("Voiced in #{} ({}): {}", name, voiced.size(), join_names(voiced)));
    if (!s.bans.empty()) send(fmt::format("Bans in #{} ({}): {}", name, s.bans.size(), join_names(s.bans)));
  });
}

}  // namespace parley::text
