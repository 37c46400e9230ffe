#include "core/shown_text.h"

#include "core/unicode.h"

namespace parley::core {

namespace {
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

bool is_fit_to_show(std::string_view text, std::size_t max_chars) {
  return is_valid_utf8(text) && !has_unsafe_code_point(text) && count_code_points(text) <= max_chars;
}

std::string fit_to_show(std::string_view text, std::size_t max_chars, std::size_t max_bytes) {
  std::string out;
  const std::string repaired = repair_utf8(text);
  std::string_view rest = repaired;
  std::size_t chars = 0;
  while (!rest.empty() && chars < max_chars) {
    std::size_t n = 1;
    while (n < rest.size() && is_continuation(rest[n])) ++n;
    const std::string_view one = rest.substr(0, n);
    rest.remove_prefix(n);
    if (has_unsafe_code_point(one)) continue;
    if (out.size() + one.size() > max_bytes) break;
    out.append(one);
    ++chars;
  }
  return out;
}

}  // namespace parley::core
