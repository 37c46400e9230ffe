#pragma once
// Times are kept as milliseconds since the Unix epoch, in both stores.
#include <chrono>
#include <cstdint>

#include "core/events.h"

namespace parley::store {

inline std::int64_t to_ms(core::WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

inline core::WallTime from_ms(std::int64_t ms) {
  return core::WallTime(std::chrono::duration_cast<core::WallTime::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace parley::store
