#pragma once
// Small helpers shared by the text session's files. Internal to src/text.
#include <string>
#include <string_view>

#include "core/unicode.h"

namespace parley::text {

// Text that would show as nothing once control characters are removed.
inline bool blank_when_shown(std::string_view s) {
  return core::sanitize_for_display(s).find_first_not_of(' ') == std::string::npos;
}

inline std::string_view trim_trailing(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace parley::text
