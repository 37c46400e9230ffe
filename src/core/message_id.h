#pragma once
// Message ids (IRC's msgid) end with their line's time: ".", then the
// milliseconds since 1970 (UTC) in hex, as the store keeps the time. The
// SQLite store finds a line by id through that time (a binary search over
// the room's lines) rather than through an index by id, which cost its
// writer about 40% of its time per line (docs/performance.md, "History
// writes"). Ids made before that have no '.' (nor do any other ids: their
// parts are hex and decimal numbers and '-').
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/events.h"

namespace parley::core {

// Milliseconds since 1970, as the stores keep a line's time (truncated).
inline std::int64_t wall_ms(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Appends an id's time part, "." and the hex milliseconds. By hand, not
// fmt::format: a room makes an id for every line, and parsing the format
// string cost it more than the rest of the event (docs/performance.md).
inline void append_id_time(std::string& id, WallTime time) {
  char hex[17];  // an int64's 16 hex digits at most, and a sign
  const auto made = std::to_chars(hex, hex + sizeof hex, wall_ms(time), 16);
  id.push_back('.');
  id.append(hex, made.ptr);
}

// `base` (an id unique without its time) made into a message id said at `time`.
inline std::string timed_message_id(std::string_view base, WallTime time) {
  std::string id;
  id.reserve(base.size() + 13);  // 12 hex digits until the year 10889
  id.append(base);
  append_id_time(id, time);
  return id;
}

// The time a message id carries (milliseconds since 1970), or nothing for
// an id without one: one made before ids carried it, or one no server made.
inline std::optional<std::int64_t> message_id_ms(std::string_view id) {
  const auto dot = id.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view hex = id.substr(dot + 1);
  // 15 hex digits at most: no overflow. Lower-case digits only, as made here.
  if (hex.empty() || hex.size() > 15 || hex.find_first_not_of("0123456789abcdef") != std::string_view::npos)
    return std::nullopt;
  std::int64_t ms = 0;
  std::from_chars(hex.data(), hex.data() + hex.size(), ms, 16);
  return ms;
}

}  // namespace parley::core
