#pragma once
// Fitting a long text into IRC lines of at most 512 bytes.
#include <cstddef>
#include <string_view>
#include <vector>

namespace parley::irc {

// The longest IRC line, CR LF included, tags not counted (RFC 1459 2.3).
inline constexpr std::size_t kLineBytes = 512;

// Splits `text` into pieces of at most `max_bytes` bytes each, never cutting a
// UTF-8 sequence. When a space lies in the last quarter of a piece (or right
// after it), the cut is made at the last such space and that one space is
// dropped: it ends neither piece. Further spaces are kept. Without such a
// space, the cut is at the last character boundary that fits.
//
// Used to fit a long text message into IRC lines after the
// ":nick!user@host PRIVMSG #room :" prefix (see text_room).
//
// Invalid UTF-8 is treated byte-wise: a cut never separates a lead byte from
// the continuation bytes it announces, and is made anywhere else. An empty
// text gives no pieces. If a single character is longer than max_bytes (only
// possible when max_bytes < 4), it becomes a piece of its own rather than
// being cut; max_bytes 0 is taken as 1.
//
// The pieces are views into `text`.
std::vector<std::string_view> split_utf8(std::string_view text, std::size_t max_bytes);

// The largest number of text bytes that fit in one line of kLineBytes (CR LF
// included) given the length of everything before the text, e.g.
// ":nick!user@host PRIVMSG #room :". The tag section, which has a budget of
// its own, does not count. 0 when the prefix alone fills the line.
std::size_t text_room(std::size_t prefix_bytes);

}  // namespace parley::irc
