#pragma once
// The bounds the hub enforces, from the configuration.
#include <cstddef>
#include <string>
#include <vector>

#include "core/room.h"

namespace parley::core {

struct HubLimits {
  std::string default_room = "lobby";  // belongs to the server (Room's `permanent`)
  std::size_t name_chars = 32;
  std::size_t nick_chars = 32;  // IRC nicks derived from names are cut to this
  std::size_t room_chars = 50;
  std::size_t topic_chars = 390;
  std::size_t rooms_per_user = 20;
  std::size_t watched_names = 100;    // names one session may watch (IRC's MONITOR=)
  std::size_t real_name_chars = 100;  // longest real name (IRC's SETNAME)
  std::size_t away_chars = 200;       // away messages are cut to this (IRC's AWAYLEN)
  std::size_t name_history = 1000;    // names left (quit or renamed) remembered for past_users; 0: none
  RoomLimits room;                    // what members may set in a room
  // Name keys nobody may take: the services the codecs answer for (NickServ, ChanServ).
  std::vector<std::string> reserved_names{"nickserv", "chanserv"};
};

}  // namespace parley::core
