#pragma once
// Times are kept as milliseconds since the Unix epoch, in both stores.
#include <chrono>
#include <cstdint>

#include "core/events.h"
#include "core/message_id.h"

namespace parley::store {

// The milliseconds a message id carries too (core/message_id.h): one definition.
inline std::int64_t to_ms(core::WallTime t) { return core::wall_ms(t); }

inline core::WallTime from_ms(std::int64_t ms) {
  return core::WallTime(std::chrono::duration_cast<core::WallTime::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace parley::store
