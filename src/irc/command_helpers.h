#pragma once
// Small helpers shared by the IRC command files. Internal to src/irc.
#include <cctype>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "core/unicode.h"

namespace parley::irc {

inline constexpr std::size_t kMaxTargets = 4;
inline constexpr std::size_t kMaxRemembered = 64;
inline constexpr std::size_t kMaxWhoReplies = 200;  // users listed for one WHO nick mask
inline constexpr std::string_view kNickSpecials = "[]\\`_^{|}-";

// The non-empty items of a comma list, as views into it: a PRIVMSG's
// targets on every message, kept inline up to kMaxTargets (no allocation).
inline boost::container::small_vector<std::string_view, kMaxTargets> comma_items(std::string_view s) {
  boost::container::small_vector<std::string_view, kMaxTargets> out;
  while (!s.empty()) {
    const auto comma = s.find(',');
    if (comma != 0) out.push_back(s.substr(0, comma));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

// The same, copied.
inline std::vector<std::string> split_commas(std::string_view s) {
  const auto items = comma_items(s);
  return {items.begin(), items.end()};
}

// RFC 2812 nicks, widened to letters of any script (UTF8ONLY): a letter or
// special first, then letters, digits, specials or '-'.
inline bool valid_nick(std::string_view nick, std::size_t max_chars) {
  if (nick.empty() || !core::is_valid_utf8(nick) || core::count_code_points(nick) > max_chars) return false;
  const unsigned char first = static_cast<unsigned char>(nick[0]);
  if ((first >= '0' && first <= '9') || first == '-') return false;
  for (unsigned char c : nick) {
    if (c >= 0x80) continue;  // part of a non-ASCII letter; the registry's name check refuses controls
    if (std::isalnum(c) || kNickSpecials.find(static_cast<char>(c)) != std::string_view::npos) continue;
    return false;
  }
  return true;
}

// A parameter that is not the last one cannot be empty, hold a space or
// start with ':'; such a value (a rejected key "a b") is shown as "*", one
// parameter, rather than spread over several.
inline std::string as_middle_param(std::string_view value) {
  if (value.empty() || value.front() == ':' || value.find(' ') != std::string_view::npos) return "*";
  return std::string(value);
}

// "\x01ACTION waves\x01" -> "waves"
inline std::optional<std::string_view> ctcp_action(std::string_view text) {
  constexpr std::string_view kOpen = "\x01" "ACTION ";
  if (!text.starts_with(kOpen)) return std::nullopt;
  text.remove_prefix(kOpen.size());
  if (text.ends_with('\x01')) text.remove_suffix(1);
  return text;
}

}  // namespace parley::irc
