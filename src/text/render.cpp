#include "text/render.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <iterator>

#include "core/name_registry.h"
#include "core/unicode.h"

namespace parley::text {
namespace {

// Drops the spaces at the end of `s`, never cutting into its first `keep` bytes.
void drop_trailing_spaces(std::string& s, std::size_t keep = 0) {
  while (s.size() > keep && s.back() == ' ') s.pop_back();
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
    case S::no_outside:
      return c.on ? fmt::format("set #{} so that only those in it can send to it.", room)
                  : fmt::format("set #{} so that anyone can send to it.", room);
    case S::ban_exception:
      return c.on ? fmt::format("exempted {} from the bans of #{}.", target, room)
                  : fmt::format("removed the ban exemption of {} in #{}.", target, room);
    case S::invite_exception:
      return c.on ? fmt::format("let {} join #{} without an invitation.", target, room)
                  : fmt::format("removed the invitation exemption of {} in #{}.", target, room);
  }
  return "changed a setting.";
}

std::vector<std::string> member_names(const core::RoomSnapshot& room) {
  std::vector<std::string> names;
  names.reserve(room.entries.size());
  for (const auto& e : room.entries) names.push_back(e.identity->display);
  return names;
}

std::vector<std::string> marked_member_names(const core::RoomSnapshot& room, std::size_t nick_chars) {
  std::vector<std::string> names;
  names.reserve(room.entries.size());
  for (const auto& e : room.entries) {
    const core::Identity& id = *e.identity;
    std::vector<std::string> notes;
    if (e.op) notes.emplace_back("operator");
    if (e.voice) notes.emplace_back("voice");
    if (!id.presence.away.empty()) notes.emplace_back("away");
    if (id.user != "text") notes.emplace_back("IRC");
    else if (id.nick != core::nick_for(id.display, nick_chars)) notes.push_back(fmt::format("IRC nick {}", id.nick));
    std::string name = id.display;
    if (!notes.empty()) fmt::format_to(std::back_inserter(name), " ({})", fmt::join(notes, ", "));
    names.push_back(std::move(name));
  }
  return names;
}

std::string whois_rooms_and_idle(const core::UserDetails& details) {
  std::string out;
  std::vector<std::string> rooms;
  for (const auto& room : details.rooms) {
    const char* role = room.op ? " (operator)" : room.voice ? " (voice)" : "";
    rooms.push_back(fmt::format("#{}{}", room.room, role));
  }
  if (!rooms.empty()) fmt::format_to(std::back_inserter(out), "; in {}", fmt::join(rooms, ", "));
  const auto idle = std::chrono::duration_cast<std::chrono::minutes>(details.now - details.last_spoke).count();
  auto unit = [](long long n, const char* one) { return fmt::format("{} {}{}", n, one, n == 1 ? "" : "s"); };
  // fmt, not "lit" + string: GCC 12 at -O3 warns wrongly about the latter (-Wrestrict).
  if (idle >= 60 && idle % 60 != 0) {
    fmt::format_to(std::back_inserter(out), "; idle {} {}", unit(idle / 60, "hour"), unit(idle % 60, "minute"));
  } else if (idle >= 60) {
    fmt::format_to(std::back_inserter(out), "; idle {}", unit(idle / 60, "hour"));
  } else if (idle >= 1) {
    fmt::format_to(std::back_inserter(out), "; idle {}", unit(idle, "minute"));
  }
  return out;
}

void append_speech_sentence(std::string& out, core::Speech speech, std::string_view who, std::string_view text) {
  switch (speech) {
    case core::Speech::action: out.append("* ").append(who).append(" "); break;
    case core::Speech::notice: out.append("Notice from User - ").append(who).append(": "); break;
    case core::Speech::message:
    case core::Speech::tagged: out.append("Message from User - ").append(who).append(": "); break;
  }
  // As clean(text): its trailing spaces go, not the label's.
  const std::size_t text_at = out.size();
  core::append_for_display(out, text);
  drop_trailing_spaces(out, text_at);
}

std::string speech_sentence(core::Speech speech, std::string_view who, std::string_view text) {
  std::string out;
  append_speech_sentence(out, speech, who, text);
  return out;
}

std::string render_room_event(const core::RoomEvent& ev, bool in_current_room) {
  using E = core::RoomEvent;
  const std::string prefix = in_current_room ? std::string() : fmt::format("[#{}] ", ev.room);
  const std::string& actor = ev.by().display;
  auto line = [&](std::string text) { return finish_line(prefix + std::move(text)); };
  // A reason in brackets before the full stop: "... left the chat room (reason)."
  auto with_reason = [&](std::string sentence, std::string_view reason) {
    if (std::string r = clean(reason); !r.empty()) {
      sentence.pop_back();
      sentence += fmt::format(" ({}).", r);
    }
    return sentence;
  };
  return std::visit(
      core::Overloaded{
          [&](const E::Joined& joined) {
            std::string out = line(fmt::format("{} has joined the chat room!", actor));
            // Announced again by its node, which kept its roles (docs/cluster.md): the others restore them.
            if (const core::Rejoin* back = joined.again ? joined.rejoin.get() : nullptr) {
              if (back->op) out += line(fmt::format("{} is an operator of #{} again.", actor, ev.room));
              if (back->voice) out += line(fmt::format("{} has a voice in #{} again.", actor, ev.room));
            }
            return out;
          },
          [&](const E::Left& left) {
            // Leaving the server is the seed's sentence; leaving one room names it.
            std::string text = left.quit ? fmt::format("{} left the chat room.", actor)
                                         : fmt::format("{} left #{}.", actor, ev.room);
            if (!left.closed_by.empty()) {
              text.pop_back();
              text += fmt::format(" (removed by server operator {}: {}).", left.closed_by, clean(left.reason));
              return line(std::move(text));
            }
            return line(with_reason(std::move(text), left.reason));
          },
          [&](const E::Said& said) {
            if (said.speech == core::Speech::tagged) return std::string();  // IRC's TAGMSG: no text to show
            if (said.text.starts_with('\x01')) return std::string();  // a CTCP request to a channel: for IRC clients
            // Once per message and loop: the line built in one buffer, with
            // room for the longest label ("Message from User - ", ": ") and '\n'.
            std::string out;
            out.reserve(prefix.size() + 24 + actor.size() + said.text.size());
            out += prefix;
            append_speech_sentence(out, said.speech, actor, said.text);
            return finish_line(std::move(out));
          },
          [&](const E::Renamed& renamed) {
            return line(fmt::format("{} is now known as {}.", actor, renamed.to->display));
          },
          [&](const E::TopicChanged& topic) {
            return line(fmt::format("{} set the topic of #{} to: {}", actor, ev.room, clean(topic.topic)));
          },
          [&](const E::SettingsChanged& settings) {
            // One line per change, each prefixed like any other line about this room.
            std::string out;
            for (const auto& c : settings.changes)
              out += fmt::format("{}{} {}\n", prefix, actor, describe_change(c, ev.room));
            return out;
          },
          [&](const E::Kicked& kicked) {
            return line(with_reason(
                fmt::format("{} kicked {} from #{}.", actor, kicked.target_identity->display, ev.room), kicked.reason));
          },
          // IRC's invite-notify, away-notify and setname: text users are not told
          // (they see away messages when they /msg).
          [&](const E::Invited&) { return std::string(); },
          [&](const E::AwayChanged&) { return std::string(); },
          [&](const E::RealNameChanged&) { return std::string(); },
          [&](const E::AccountChanged&) { return std::string(); },
          [&](const E::Redacted&) { return std::string(); },  // text users see no message ids
      },
      ev.what);
}

std::string render_own_kick(const core::RoomEvent& ev) {
  const auto* kicked = ev.as<core::RoomEvent::Kicked>();
  std::string out = fmt::format("{} kicked you from #{}.", ev.by().display, ev.room);
  if (std::string reason = clean(kicked ? kicked->reason : std::string()); !reason.empty()) {
    out.pop_back();
    out += fmt::format(" ({}).", reason);
  }
  return out + '\n';
}

std::string render_invitation(const core::Invitation& inv) {
  return fmt::format("{} invited you to #{}. Type /join #{} to accept.\n", inv.inviter->display, inv.room, inv.room);
}

std::string render_own_join(const core::RoomEvent& ev) {
  const auto* joined = ev.as<core::RoomEvent::Joined>();
  if (!joined || !joined->snapshot) return fmt::format("You joined #{}.\n", ev.room);
  const auto& s = *joined->snapshot;
  const auto names = member_names(s);
  std::string out = fmt::format("You joined #{}. Members ({}): {}\n", s.room, names.size(), join_names(names));
  if (!s.topic.empty()) fmt::format_to(std::back_inserter(out), "Topic of #{}: {}\n", s.room, clean(s.topic));
  return out;
}

std::string render_private(const core::PrivateMessage& pm, bool outgoing) {
  const std::string& who = outgoing ? pm.to_name : pm.sender->display;
  const bool notice = pm.speech == core::Speech::notice;
  const char* kind = notice ? "notice" : "message";
  const char* direction = outgoing ? "to" : "from";
  if (pm.speech == core::Speech::action)
    return finish_line(fmt::format("Private {} {} {}: * {} {}", kind, direction, who, pm.sender->display, clean(pm.text)));
  return finish_line(fmt::format("Private {} {} {}: {}", kind, direction, who, clean(pm.text)));
}

}  // namespace parley::text
