#pragma once
// Small text helpers for the tests: readable rendering of raw bytes in failure
// messages, and a check for characters that must never reach a terminal.

#include <string>
#include <string_view>

namespace parley::test {

// `bytes` with everything a terminal would not show plainly escaped: C0, DEL
// and C1 as \xNN or \u{...}, bidi controls as \u{...}, bytes that are not
// valid UTF-8 as \xNN. Valid printable UTF-8 (Zoë, 李雷) stays as it is.
std::string printable(std::string_view bytes);

// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or code
// points past U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

// True when `bytes` holds anything the protocol promises to strip from other
// users' text: C0 controls (tab included), DEL, C1 controls, bidi
// override/isolate characters (U+202A..U+202E, U+2066..U+2069), or invalid
// UTF-8.
bool has_terminal_controls(std::string_view bytes);

// `s` repeated `n` times.
std::string repeat(std::string_view s, std::size_t n);

}  // namespace parley::test
