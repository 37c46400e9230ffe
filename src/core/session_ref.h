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

}  // namespace parley::core
