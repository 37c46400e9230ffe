#pragma once
// What makes a valid user name or room name, and the key under which each is
// unique. Every protocol validates through here, so they never disagree.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/refusal.h"

namespace parley::core {

struct CheckedName {
  std::string display;  // NFC, trimmed: what people see
  std::string key;      // case-folded display: what makes it unique
};

Result<CheckedName> check_user_name(std::string_view raw, std::size_t max_chars);
// Accepts "games" or "#games"; display is without the '#'.
Result<CheckedName> check_room_name(std::string_view raw, std::size_t max_chars);

}  // namespace parley::core
