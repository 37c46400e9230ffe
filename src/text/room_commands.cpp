// Text commands about rooms: /join, /part, /rooms, /who, /topic, /invite.
#include "text/text_session.h"

#include <fmt/format.h>

#include "core/unicode.h"
#include "text/command_line.h"
#include "text/refusal_text.h"
#include "text/render.h"
#include "text/text_helpers.h"

namespace parley::text {

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
  auto joined =
      hub_.rooms().join(ref_, args, std::move(key), join_refused_handler(std::string(args)), replay_handler());
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
    if (parts.empty()) return send("Rooms (0).");
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
    const auto names = marked_member_names(s, hub_.limits().nick_chars);
    send(fmt::format("Members of #{} ({}): {}", s.room, names.size(), join_names(names)));
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

}  // namespace parley::text
