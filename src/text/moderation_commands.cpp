// Text commands for room operators: /mode (and the settings it shows), /kick,
// /ban, /unban, /op, /deop, /voice, /devoice.
#include "text/text_session.h"

#include <fmt/format.h>

#include "core/unicode.h"
#include "text/command_line.h"
#include "text/refusal_text.h"
#include "text/render.h"
#include "text/text_helpers.h"

namespace parley::text {

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
    if (!found || core::is_mask_list(*found) || *found == S::op || *found == S::voice) {
      return send_error(fmt::format("unknown setting '{}'. Settings: t (topic locked), m (moderated), "
                                    "i (invite-only), s (secret), n (members only send), k KEY, l LIMIT.",
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
    if (!s.no_outside) parts.emplace_back("open to messages from outside");
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
