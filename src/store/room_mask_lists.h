#pragma once
// A room's mask lists as both stores keep them: rows of `room_masks`, each
// list named by its IRC mode letter.
#include <string>
#include <vector>

#include "core/events.h"

namespace parley::store {

struct MaskList {
  const char* letter;
  std::vector<std::string> core::RoomSettings::*list;
};
inline constexpr MaskList kMaskLists[] = {
    {"b", &core::RoomSettings::bans},
    {"e", &core::RoomSettings::ban_exceptions},
    {"I", &core::RoomSettings::invite_exceptions},
};

}  // namespace parley::store
