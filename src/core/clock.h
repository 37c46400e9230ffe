#pragma once
// Time as a dependency: policy code asks a Clock, so tests can move time by hand
// instead of waiting for it.
#include <chrono>

namespace parley::core {

using SteadyTime = std::chrono::steady_clock::time_point;
using Duration = std::chrono::steady_clock::duration;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual SteadyTime now() const = 0;
};

class SystemClock final : public Clock {
 public:
  SteadyTime now() const override { return std::chrono::steady_clock::now(); }
};

// A clock that only moves when told to. Not thread-safe: for single-threaded tests.
class ManualClock final : public Clock {
 public:
  SteadyTime now() const override { return now_; }
  void advance(Duration d) { now_ += d; }

 private:
  SteadyTime now_{std::chrono::hours(1)};
};

}  // namespace parley::core
