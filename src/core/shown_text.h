#pragma once
// The one rule for free text a person chooses and others see beside their
// name (an IRC user name, a real name): valid UTF-8, no code point unsafe on a
// terminal (is_unsafe_code_point: C0 with ESC, BEL and CTCP's \x01, DEL, C1,
// bidi controls), and a length limit. A command that can say no (SETNAME)
// refuses text that breaks it; one that cannot (USER, mid-registration) keeps
// the nearest text that follows it.
#include <cstddef>
#include <string>
#include <string_view>

namespace parley::core {

// Whether `text` may be shown as it is: at most `max_chars` code points.
bool is_fit_to_show(std::string_view text, std::size_t max_chars);
// `text` made fit: bad bytes become U+FFFD, unsafe code points go, and it is
// cut to `max_chars` code points and at most `max_bytes` bytes, never inside a
// character.
std::string fit_to_show(std::string_view text, std::size_t max_chars, std::size_t max_bytes = std::string::npos);

}  // namespace parley::core
