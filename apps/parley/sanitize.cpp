#include "sanitize.hpp"

#include <cstddef>
#include <cstdint>

namespace parley::client {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool is_unsafe(char32_t cp) {
  return cp < 0x20                        // C0, ESC among them
         || cp == 0x7F                    // DEL
         || (cp >= 0x80 && cp <= 0x9F)    // C1
         || (cp >= 0x202A && cp <= 0x202E)  // LRE RLE PDF LRO RLO
         || (cp >= 0x2066 && cp <= 0x2069);  // LRI RLI FSI PDI
}

struct Decoded {
  char32_t cp;        // meaningful only when ok
  std::size_t length;  // bytes consumed: the sequence, or its maximal ill-formed subpart
  bool ok;
};

// Decodes the sequence starting at s[0] by Unicode's table of well-formed
// UTF-8 byte sequences (no overlongs, no surrogates, nothing above U+10FFFF).
Decoded decode(std::string_view s) {
  const auto b0 = static_cast<std::uint8_t>(s[0]);
  if (b0 < 0x80) return {b0, 1, true};

  std::size_t need = 0;
  std::uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  char32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return {0, 1, false};  // a continuation byte, C0, C1 or F5..FF as a lead
  }

  std::size_t i = 1;
  for (; i <= need; ++i) {
    if (i >= s.size()) return {0, i, false};
    const auto b = static_cast<std::uint8_t>(s[i]);
    const std::uint8_t min = (i == 1) ? lo : 0x80;
    const std::uint8_t max = (i == 1) ? hi : 0xBF;
    if (b < min || b > max) return {0, i, false};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, i, true};
}

}  // namespace

std::string sanitize_for_terminal(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  while (!raw.empty()) {
    const Decoded d = decode(raw);
    if (!d.ok) {
      out += kReplacement;
    } else if (!is_unsafe(d.cp)) {
      out.append(raw.substr(0, d.length));
    }
    raw.remove_prefix(d.length);
  }
  return out;
}

}  // namespace parley::client
