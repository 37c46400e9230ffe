#pragma once
// UTF-8 helpers built on utf8proc. Pure functions, no state.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace parley::core {

bool is_valid_utf8(std::string_view s);
// Number of code points; s must be valid UTF-8.
std::size_t count_code_points(std::string_view s);
// NFC form; nullopt if s is not valid UTF-8.
std::optional<std::string> to_nfc(std::string_view s);
// NFC + Unicode case folding: the key under which names and rooms are unique.
std::optional<std::string> fold_key(std::string_view s);
// Whether two account names name one account (compared folded); an empty
// name is no account, and matches nothing.
bool same_account(std::string_view a, std::string_view b);
// Drops leading and trailing white space (Unicode Zs and ASCII controls \t\r\n\v\f).
std::string_view trim_space(std::string_view s);
// True for code points that must never reach another user's terminal:
// C0, DEL, C1, and the bidi embedding/override/isolate/mark characters.
bool is_unsafe_code_point(char32_t cp);
bool has_unsafe_code_point(std::string_view s);
// True if s holds a formatting character (Unicode Cf: zero-width spaces and
// joiners, soft hyphens, ...), invisible in a name and so a way to impersonate.
bool has_format_character(std::string_view s);
// True if s holds white space anywhere (Unicode Zs or ASCII).
bool has_space(std::string_view s);
// s with each invalid byte replaced by U+FFFD; valid text comes back unchanged.
std::string repair_utf8(std::string_view s);
// Text fit for a terminal: unsafe code points and IRC formatting codes removed,
// tabs turned into spaces, invalid bytes replaced by U+FFFD.
std::string sanitize_for_display(std::string_view s);
// The same, appended to `out` (a line built in one buffer).
void append_for_display(std::string& out, std::string_view s);

}  // namespace parley::core
