#pragma once
// A handle to a session: the loop it lives on and its id there. Rooms and the
// name registry hold these, never pointers to sessions on other loops.
#include <cstdint>
#include <functional>

namespace parley::core {

using LoopIndex = std::uint32_t;

struct SessionRef {
  LoopIndex loop = 0;
  std::uint64_t id = 0;
  friend bool operator==(const SessionRef&, const SessionRef&) = default;
};

// A session's commands, numbered by the hub as the session starts each one
// (Hub::begin_command); 0 is no command. What a command caused carries its
// number back, so the session can put every answer in command order.
using CommandId = std::uint64_t;

}  // namespace parley::core
