#pragma once

#include <string>
#include <string_view>

namespace parley::client {

// Makes one line from the network safe to write to a terminal.
//
// The result is valid UTF-8 that holds no C0 control character (ESC, and
// so the start of every escape sequence, among them; tabs too), no DEL, no
// C1 control character and no bidi embedding, override or isolate
// (U+202A-U+202E, U+2066-U+2069). Each ill-formed UTF-8 sequence (each
// maximal subpart, as Unicode recommends) becomes one U+FFFD. Everything
// else is kept byte for byte, so the text of an escape sequence stays
// visible but inert: "\x1b[31m" becomes "[31m".
std::string sanitize_for_terminal(std::string_view raw);

}  // namespace parley::client
