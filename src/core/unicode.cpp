#include "core/unicode.h"

#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace parley::core {
namespace {

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

const utf8proc_uint8_t* bytes(std::string_view s) { return reinterpret_cast<const utf8proc_uint8_t*>(s.data()); }

std::optional<std::string> map(std::string_view s, int options) {
  utf8proc_uint8_t* out = nullptr;
  const auto n = utf8proc_map(bytes(s), static_cast<utf8proc_ssize_t>(s.size()), &out,
                              static_cast<utf8proc_option_t>(options | UTF8PROC_STABLE));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(out);
  if (n < 0) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

// Decodes one code point at s[i]; returns its length, or -1 if the bytes there are invalid.
int decode(std::string_view s, std::size_t i, char32_t& cp) {
  // ASCII, most of what is checked (room names on every message): no library call.
  if (const auto b = static_cast<unsigned char>(s[i]); b < 0x80) {
    cp = b;
    return 1;
  }
  utf8proc_int32_t c = 0;
  const auto n = utf8proc_iterate(bytes(s) + i, static_cast<utf8proc_ssize_t>(s.size() - i), &c);
  if (n <= 0 || c < 0) return -1;
  cp = static_cast<char32_t>(c);
  return static_cast<int>(n);
}

bool is_space(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');  // U+0020 is ASCII's one Zs; TAB LF VT FF CR
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_ZS;
}

// ASCII text is its own NFC, and folds by A-Z alone (CaseFolding.txt maps no
// other ASCII character); names and room names on every message are mostly
// ASCII, and utf8proc costs allocations and a decode per call.
bool is_ascii(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Length of an IRC colour code's parameters at s[i] ("NN" or "NN,NN", digits or hex).
std::size_t colour_params(std::string_view s, std::size_t i, bool hex) {
  const auto is_digit = hex ? is_hex_digit : is_ascii_digit;
  const std::size_t width = hex ? 6 : 2;
  auto run = [&](std::size_t at) {
    std::size_t n = 0;
    while (at + n < s.size() && n < width && is_digit(s[at + n])) ++n;
    return n;
  };
  std::size_t fg = run(i);
  if (fg == 0) return 0;
  if (i + fg + 1 < s.size() && s[i + fg] == ',') {
    const std::size_t bg = run(i + fg + 1);
    if (bg > 0) return fg + 1 + bg;
  }
  return fg;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    // Most chat is ASCII: eight bytes at a time while none has its high bit
    // set (a message is checked several times on its way, issue 14).
    std::uint64_t word;
    while (i + sizeof word <= s.size()) {
      std::memcpy(&word, s.data() + i, sizeof word);
      if (word & 0x8080808080808080ULL) break;
      i += sizeof word;
    }
    if (i == s.size()) break;
    if (static_cast<unsigned char>(s[i]) < 0x80) {  // and byte by byte past the last full word
      ++i;
      continue;
    }
    char32_t cp;
    const int n = decode(s, i, cp);
    if (n < 0) return false;
    i += static_cast<std::size_t>(n);
  }
  return true;
}

std::size_t count_code_points(std::string_view s) {
  std::size_t count = 0;
  for (char c : s) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

std::optional<std::string> to_nfc(std::string_view s) {
  if (is_ascii(s)) return std::string(s);
  return map(s, UTF8PROC_COMPOSE);
}

std::optional<std::string> fold_key(std::string_view s) {
  if (is_ascii(s)) {
    std::string key(s);
    for (char& c : key) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return key;
  }
  return map(s, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
}

bool same_account(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  return fold_key(a).value_or(std::string(a)) == fold_key(b).value_or(std::string(b));
}

std::string_view trim_space(std::string_view s) {
  std::size_t begin = 0;
  while (begin < s.size()) {
    char32_t cp;
    const int n = decode(s, begin, cp);
    if (n < 0 || !is_space(cp)) break;
    begin += static_cast<std::size_t>(n);
  }
  std::size_t end = begin;
  for (std::size_t i = begin; i < s.size();) {
    char32_t cp;
    const int n = decode(s, i, cp);
    if (n < 0) {
      end = s.size();
      break;
    }
    i += static_cast<std::size_t>(n);
    if (!is_space(cp)) end = i;
  }
  return s.substr(begin, end - begin);
}

bool is_unsafe_code_point(char32_t cp) {
  if (cp < 0x20 || cp == 0x7F) return true;                 // C0 (ESC among them), DEL
  if (cp >= 0x80 && cp <= 0x9F) return true;                // C1
  if (cp == 0x061C || cp == 0x200E || cp == 0x200F) return true;  // bidi marks
  if (cp >= 0x202A && cp <= 0x202E) return true;            // embeddings and overrides
  if (cp >= 0x2066 && cp <= 0x2069) return true;            // isolates
  return cp == 0x2028 || cp == 0x2029;                      // line and paragraph separators
}


namespace {

template <class Pred>
bool any_code_point(std::string_view s, Pred pred) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp;
    const int n = decode(s, i, cp);
    if (n < 0 || pred(cp)) return true;
    i += static_cast<std::size_t>(n);
  }
  return false;
}

}  // namespace

bool has_unsafe_code_point(std::string_view s) { return any_code_point(s, is_unsafe_code_point); }

bool has_format_character(std::string_view s) {
  if (is_ascii(s)) return false;  // no ASCII character is in category Cf
  return any_code_point(s, [](char32_t cp) {
    return utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_CF;
  });
}

bool has_space(std::string_view s) { return any_code_point(s, is_space); }

std::string repair_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp;
    const int n = decode(s, i, cp);
    if (n < 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    out.append(s.substr(i, static_cast<std::size_t>(n)));
    i += static_cast<std::size_t>(n);
  }
  return out;
}

std::string sanitize_for_display(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_for_display(out, s);
  return out;
}

void append_for_display(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    // A run of printable ASCII, most of any chat line, goes in whole: text
    // users' lines pass here once per recipient.
    std::size_t plain = i;
    while (plain < s.size() && s[plain] >= 0x20 && s[plain] < 0x7F) ++plain;
    if (plain > i) {
      out.append(s.substr(i, plain - i));
      i = plain;
      continue;
    }
    const char c = s[i];
    if (c == '\x03' || c == '\x04') {  // IRC colour: skip the code and its parameters
      i += 1 + colour_params(s, i + 1, c == '\x04');
      continue;
    }
    char32_t cp;
    const int n = decode(s, i, cp);
    if (n < 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (cp == '\t') {
      out += ' ';
    } else if (!is_unsafe_code_point(cp)) {
      out.append(s.substr(i, static_cast<std::size_t>(n)));
    }
    i += static_cast<std::size_t>(n);
  }
}

}  // namespace parley::core
