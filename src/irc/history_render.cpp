#include "irc/history_render.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <ctime>

#include "irc/capabilities.h"
#include "irc/message.h"
#include "irc/render.h"

namespace parley::irc {
namespace {

// "2026-12-02T16:20:00.123Z" (IRCv3 server-time: UTC, milliseconds).
std::optional<core::WallTime> parse_server_time(std::string_view text) {
  std::tm tm{};
  int millis = 0;
  unsigned consumed = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &millis, reinterpret_cast<int*>(&consumed)) != 7 ||
      consumed != copy.size())
    return std::nullopt;
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60 || millis < 0)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t seconds = ::timegm(&tm);
  // A year the clock cannot hold (past 2262, before 1678) is that end of its
  // range: converting it would overflow (undefined; UBSan stops on it).
  using Seconds = std::chrono::seconds;
  constexpr auto kLatest = std::chrono::duration_cast<Seconds>(core::WallTime::duration::max()).count() - 1;
  constexpr auto kEarliest = std::chrono::duration_cast<Seconds>(core::WallTime::duration::min()).count() + 1;
  if (seconds >= kLatest) return core::WallTime::max();
  if (seconds <= kEarliest) return core::WallTime::min();
  return std::chrono::system_clock::from_time_t(seconds) + std::chrono::milliseconds(millis);
}

}  // namespace

std::optional<core::HistoryPoint> parse_history_point(std::string_view reference) {
  if (reference.starts_with("timestamp=")) {
    auto time = parse_server_time(reference.substr(10));
    if (!time) return std::nullopt;
    return core::HistoryPoint::at(*time);
  }
  if (reference.starts_with("msgid=") && reference.size() > 6)
    return core::HistoryPoint::line(std::string(reference.substr(6)));
  return std::nullopt;
}

namespace {

core::Speech speech_of(core::HistoryLine::Kind kind) {
  using Kind = core::HistoryLine::Kind;
  switch (kind) {
    case Kind::action: return core::Speech::action;
    case Kind::notice: return core::Speech::notice;
    case Kind::tagged: return core::Speech::tagged;
    default: return core::Speech::message;
  }
}

// The event a kept room line was made from (core::history_line), as far as
// rendering it needs: the same line again, by the live renderer.
core::RoomEvent room_event_of(const core::HistoryLine& line) {
  using Kind = core::HistoryLine::Kind;
  using E = core::RoomEvent;
  core::RoomEvent ev;
  ev.room = line.room;
  ev.room_key = line.target;
  ev.id = line.id;
  ev.time = line.time;
  auto sender = std::make_shared<core::Identity>(line.sender);
  sender->presence.account = line.account;  // account-tag, as it was live
  ev.actor_identity = std::move(sender);
  auto identity_named = [&](const std::string& nick, const std::string& display) {
    core::Identity other;
    other.nick = nick;
    other.display = display.empty() ? nick : display;
    return std::make_shared<const core::Identity>(std::move(other));
  };
  switch (line.kind) {
    case Kind::message:
    case Kind::action:
    case Kind::notice:
    case Kind::tagged: {
      E::Said said;
      said.speech = speech_of(line.kind);
      said.text = line.text;
      said.client_tags = line.client_tags;
      ev.what = std::move(said);
      break;
    }
    case Kind::join: ev.what = E::Joined{}; break;
    case Kind::part: ev.what = E::Left{line.text, false, {}, false}; break;
    case Kind::quit: {
      // object_name says how it ended (core/history.h).
      const bool lost = line.object_name == "*";
      const bool asked = line.object_name.empty();
      ev.what = E::Left{line.text, true, lost || asked ? std::string() : line.object_name, asked};
      break;
    }
    case Kind::kick: ev.what = E::Kicked{{}, identity_named(line.object_name, {}), line.text}; break;
    case Kind::topic: ev.what = E::TopicChanged{line.text}; break;
    case Kind::rename: ev.what = E::Renamed{identity_named(line.object_name, line.text)}; break;
  }
  return ev;
}

// A kept private line as the message it was (core::history_line).
core::PrivateMessage private_message_of(const core::HistoryLine& line) {
  core::PrivateMessage pm;
  auto sender = std::make_shared<core::Identity>(line.sender);
  sender->presence.account = line.account;
  pm.sender = std::move(sender);
  pm.to_nick = line.object_name;
  pm.speech = speech_of(line.kind);
  pm.text = line.text;
  pm.time = line.time;
  pm.id = line.id;
  pm.client_tags = line.client_tags;
  return pm;
}

// Each line of `lines` tagged batch=`batch_id`, first among its tags.
std::string in_batch(const std::string& lines, std::string_view batch_id) {
  if (batch_id.empty()) return lines;
  std::string out;
  for (std::size_t at = 0; at < lines.size();) {
    const auto end = lines.find("\r\n", at);
    const std::string_view one =
        std::string_view(lines).substr(at, end == std::string::npos ? std::string::npos : end + 2 - at);
    if (one.starts_with('@')) out.append("@batch=").append(batch_id).append(";").append(one.substr(1));
    else out.append("@batch=").append(batch_id).append(" ").append(one);
    if (end == std::string::npos) break;
    at = end + 2;
  }
  return out;
}

}  // namespace

std::string render_history_line(const core::HistoryLine& line, std::uint32_t caps, std::string_view batch_id) {
  if (!line.is_speech() && !(caps & kCapEventPlayback)) return {};
  // A kept TAGMSG is nothing but its tags: only for clients that read tags.
  if (line.kind == core::HistoryLine::Kind::tagged && !(caps & kCapMessageTags)) return {};
  // Real names are not kept (core::history_line): a replayed JOIN is the
  // plain one, without extended-join's account and real name.
  caps &= ~kCapExtendedJoin;
  // A private message's line names its recipient, as it was sent.
  if (line.room.empty()) return in_batch(render_private(private_message_of(line), caps, line.id), batch_id);
  return in_batch(render_room_event(room_event_of(line), caps), batch_id);
}

}  // namespace parley::irc
