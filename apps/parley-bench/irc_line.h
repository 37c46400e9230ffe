#pragma once
// One IRC line split into its parts: optional tags, source, command and
// parameters (RFC 1459 / modern.ircdocs.horse message format). The views
// point into the line.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace parley::bench {

struct IrcLine {
  static constexpr std::size_t kMaxParams = 15;

  std::string_view source;   // "nick!user@host" or a server name; empty if none
  std::string_view command;  // "PRIVMSG", "001", ...
  std::array<std::string_view, kMaxParams> params{};
  std::size_t param_count = 0;

  std::string_view param(std::size_t i) const { return i < param_count ? params[i] : std::string_view{}; }
  std::string_view last() const { return param_count > 0 ? params[param_count - 1] : std::string_view{}; }
  // The nick part of the source (up to '!' or '@').
  std::string_view nick() const;
};

// Splits `line` (without its line end); nothing when it has no command.
std::optional<IrcLine> parse_irc_line(std::string_view line);

// The text of a PRIVMSG to `target` ("[@tags] [:source] PRIVMSG target :text"),
// found without splitting the whole line: the bench reads millions a second.
std::optional<std::string_view> privmsg_text(std::string_view line, std::string_view target);

// ASCII case-insensitive comparison, as nicks and channels compare under
// CASEMAPPING=ascii (close enough for the bench's own ASCII names).
bool irc_same(std::string_view a, std::string_view b);

}  // namespace parley::bench
