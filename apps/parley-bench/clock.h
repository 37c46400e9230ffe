#pragma once
// Monotonic time in nanoseconds, the one clock every part of the bench uses.

#include <cstdint>
#include <ctime>
#include <limits>

namespace parley::bench {

inline constexpr std::int64_t kNsPerMs = 1'000'000;
inline constexpr std::int64_t kNsPerSec = 1'000'000'000;
inline constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

inline std::int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * kNsPerSec + ts.tv_nsec;
}

inline std::int64_t seconds_to_ns(double s) { return static_cast<std::int64_t>(s * 1e9); }
inline double ns_to_seconds(std::int64_t ns) { return static_cast<double>(ns) / 1e9; }
inline double ns_to_ms(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

}  // namespace parley::bench
