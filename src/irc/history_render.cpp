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

std::string render_history_line(const core::HistoryLine& line, std::uint32_t caps, std::string_view batch_id) {
  using Kind = core::HistoryLine::Kind;
  if (!line.is_speech() && !(caps & kCapEventPlayback)) return {};
  // A kept TAGMSG is nothing but its tags: only for clients that read tags.
  if (line.kind == Kind::tagged && !(caps & kCapMessageTags)) return {};
  const std::string source = user_prefix(line.sender.nick, line.sender.user, line.sender.host);
  // A private message's line names its recipient, as it was sent.
  const std::string channel = line.room.empty() ? line.object_name : channel_name(line.room);
  // batch first; tag_prefix gives "@a;b " or "".
  auto in_batch = [&](std::string tags) {
    if (batch_id.empty()) return tags;
    return tags.empty() ? fmt::format("@batch={} ", batch_id) : fmt::format("@batch={};{}", batch_id, tags.substr(1));
  };
  const std::string tags =
      in_batch(tag_prefix(caps, line.time, line.id,
                                 line.is_speech() || line.kind == Kind::tagged ? line.client_tags : std::string()));
  std::string out;
  switch (line.kind) {
    case Kind::message:
    case Kind::notice:
    case Kind::action:
      append_text_lines(out, tags, in_batch(tag_prefix(caps, line.time, {})), source,
                        line.kind == Kind::notice ? "NOTICE" : "PRIVMSG", channel, line.text, line.kind == Kind::action);
      return out;
    case Kind::join: return tags + fmt::format(":{} JOIN {}\r\n", source, channel);
    case Kind::part:
      if (line.text.empty()) return tags + fmt::format(":{} PART {}\r\n", source, channel);
      return tags + format_line(source, "PART", {channel}, line.text);
    case Kind::quit: return tags + format_line(source, "QUIT", {}, line.text.empty() ? "Quit" : "Quit: " + line.text);
    case Kind::kick:
      return tags + format_line(source, "KICK", {channel, line.object_name},
                                line.text.empty() ? line.sender.nick : line.text);
    case Kind::topic: return tags + format_line(source, "TOPIC", {channel}, line.text);
    case Kind::rename: return tags + format_line(source, "NICK", {}, line.object_name);
    case Kind::tagged: return tags + fmt::format(":{} TAGMSG {}\r\n", source, channel);
  }
  return out;
}

}  // namespace parley::irc
