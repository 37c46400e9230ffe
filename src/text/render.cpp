#include "text/render.h"

#include <fmt/format.h>

#include "core/unicode.h"

namespace parley::text {
namespace {

void drop_trailing_spaces(std::string& s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
}

// Text from other users, fit for a terminal and without trailing space.
std::string clean(std::string_view s) {
  std::string out = core::sanitize_for_display(s);
  drop_trailing_spaces(out);
  return out;
}

// A server line: no trailing space (a text that cleaned away to nothing leaves
// one behind its label), then the line end.
std::string finish_line(std::string out) {
  drop_trailing_spaces(out);
  out += '\n';
  return out;
}

}  // namespace


std::string room_label(std::string_view room) { return fmt::format("#{}", room); }

std::string join_names(const std::vector<std::string>& names) { return fmt::format("{}", fmt::join(names, ", ")); }

std::string describe_change(const core::RoomChange& c, std::string_view room) {
  using S = core::RoomSetting;
  const std::string target = clean(c.arg);
  switch (c.setting) {
    case S::topic_locked:
      return c.on ? fmt::format("set #{} so that only operators can change the topic.", room)
                  : fmt::format("set #{} so that anyone in it can change the topic.", room);
    case S::moderated: return fmt::format("set #{} to {}.", room, c.on ? "moderated" : "unmoderated");
    case S::invite_only: return fmt::format("set #{} to {}.", room, c.on ? "invite-only" : "open to everyone");
    case S::secret: return fmt::format("set #{} to {}.", room, c.on ? "secret" : "listed");
    case S::key:
      return c.on ? fmt::format("set the key of #{} to: {}", room, target) : fmt::format("removed the key of #{}.", room);
    case S::limit:
      return c.on ? fmt::format("limited #{} to {} members.", room, target)
                  : fmt::format("removed the member limit of #{}.", room);
    case S::ban:
      return c.on ? fmt::format("banned {} from #{}.", target, room)
                  : fmt::format("lifted the ban on {} in #{}.", target, room);
    case S::op:
      return c.on ? fmt::format("made {} an operator of #{}.", target, room)
                  : fmt::format("removed {} as an operator of #{}.", target, room);
    case S::voice:
      return c.on ? fmt::format("gave {} a voice in #{}.", target, room)
                  : fmt::format("took away {}'s voice in #{}.", target, room);
  }
  return "changed a setting.";
}

std::string render_room_event(const core::RoomEvent& ev, bool in_current_room) {
  std::string out;
  if (!in_current_room) out = fmt::format("[#{}] ", ev.room);
  using Kind = core::RoomEvent::Kind;
  if (ev.kind == Kind::settings_changed) {
    // One line per change, each prefixed like any other line about this room.
    const std::string prefix = out;
    out.clear();
    for (const auto& c : ev.changes) out += fmt::format("{}{} {}\n", prefix, ev.actor_name, describe_change(c, ev.room));
    return out;
  }
  switch (ev.kind) {
    case Kind::tagged:
    case Kind::invited:
    case Kind::away_changed:       // IRC's away-notify; text users see away messages when they /msg
    case Kind::real_name_changed:  // IRC's setname
      return {};  // for IRC clients only (TAGMSG, invite-notify): text users are not told
    case Kind::joined:
      fmt::format_to(std::back_inserter(out), "{} has joined the chat room!", ev.actor_name);
      break;
    case Kind::left:
      fmt::format_to(std::back_inserter(out), "{} left the chat room.", ev.actor_name);
      if (!ev.closed_by.empty()) {
        out.pop_back();
        fmt::format_to(std::back_inserter(out), " (removed by server operator {}: {}).", ev.closed_by, clean(ev.text));
      } else if (std::string reason = clean(ev.text); !reason.empty()) {
        fmt::format_to(std::back_inserter(out), " ({})", reason);
      }
      break;
    case Kind::message:
      fmt::format_to(std::back_inserter(out), "Message from User - {}: {}", ev.actor_name, clean(ev.text));
      break;
    case Kind::action:
      fmt::format_to(std::back_inserter(out), "* {} {}", ev.actor_name, clean(ev.text));
      break;
    case Kind::notice:
      fmt::format_to(std::back_inserter(out), "Notice from User - {}: {}", ev.actor_name, clean(ev.text));
      break;
    case Kind::renamed:
      fmt::format_to(std::back_inserter(out), "{} is now known as {}.", ev.actor_name, ev.text);
      break;
    case Kind::topic_changed:
      fmt::format_to(std::back_inserter(out), "{} set the topic of #{} to: {}", ev.actor_name, ev.room, clean(ev.text));
      break;
    case Kind::settings_changed:
      break;  // above
    case Kind::kicked:
      fmt::format_to(std::back_inserter(out), "{} kicked {} from #{}.", ev.actor_name, ev.target_name, ev.room);
      if (std::string reason = clean(ev.text); !reason.empty()) {
        out.pop_back();
        fmt::format_to(std::back_inserter(out), " ({}).", reason);
      }
      break;
  }
  return finish_line(std::move(out));
}

std::string render_own_kick(const core::RoomEvent& ev) {
  std::string out = fmt::format("{} kicked you from #{}.", ev.actor_name, ev.room);
  if (std::string reason = clean(ev.text); !reason.empty()) {
    out.pop_back();
    out += fmt::format(" ({}).", reason);
  }
  return out + '\n';
}

std::string render_invitation(const core::Invitation& inv) {
  return fmt::format("{} invited you to #{}. Type /join #{} to accept.\n", inv.from_name, inv.room, inv.room);
}

std::string render_own_join(const core::RoomEvent& ev) {
  std::string out;
  if (ev.snapshot) {
    const auto& s = *ev.snapshot;
    out = fmt::format("You joined #{}. Members ({}): {}\n", s.room, s.members.size(), join_names(s.members));
    if (!s.topic.empty()) fmt::format_to(std::back_inserter(out), "Topic of #{}: {}\n", s.room, clean(s.topic));
  } else {
    out = fmt::format("You joined #{}.\n", ev.room);
  }
  return out;
}

std::string render_private(const core::PrivateMessage& pm, bool outgoing) {
  const std::string& who = outgoing ? pm.to_name : pm.from_name;
  const char* kind = pm.notice ? "notice" : "message";
  const char* direction = outgoing ? "to" : "from";
  if (pm.action && !pm.notice)
    return finish_line(fmt::format("Private {} {} {}: * {} {}", kind, direction, who, pm.from_name, clean(pm.text)));
  return finish_line(fmt::format("Private {} {} {}: {}", kind, direction, who, clean(pm.text)));
}

}  // namespace parley::text
