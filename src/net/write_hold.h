#pragma once
// How long others' room messages may wait for a connection to share one
// write, decided by how busy the loop is. Each write to a TCP socket costs
// several microseconds of kernel time whatever it carries; a loop fanning
// messages out to a big room one pass each pays that per member per message
// (bench `large`: one line per write). Nagle's rule, in user space and on a
// time budget: a connection written to lately gets such lines later, with
// the next ones, unless a block's worth is queued. An idle or lightly loaded
// loop holds nothing (latency first); the busier it is, the longer it may
// hold, up to its most (`write_hold_seconds`, docs/configuration.md).
// docs/performance.md, "large: room traffic shares writes when the loop is busy".
#include <chrono>
#include <cstddef>

namespace parley::net {

class WriteHold {
 public:
  using Time = std::chrono::steady_clock::time_point;
  using Nanos = std::chrono::nanoseconds;

  // The load is measured over windows this long...
  static constexpr std::chrono::milliseconds kWindow{100};
  // ...as the loop thread's CPU time over the window's wall time. Below
  // kIdleLoad nothing is held; at kFullLoad and above, the most.
  static constexpr double kIdleLoad = 0.3;
  static constexpr double kFullLoad = 0.7;
  static constexpr std::chrono::microseconds kDefaultMost{15'000};
  // Queued bytes that are written at once, held or not: the writes of a
  // busy small room already carry this much, and gain little from waiting.
  static constexpr std::size_t kWriteAtOnceBytes = 4096;

  explicit WriteHold(std::chrono::microseconds most = kDefaultMost) : most_(most) {}

  // Whether a window has passed since the last sample (one steady clock read
  // per loop pass; the thread's CPU clock is read only when this says so).
  bool time_to_sample(Time now) const { return now >= next_sample_; }
  // The loop thread's CPU time at `now`. Each window's load moves the hold a
  // quarter of the way toward what that load asks: holding lowers the load,
  // which lowers the hold, so a full step would swing back and forth.
  void sample(Time now, Nanos thread_cpu);

  std::chrono::microseconds hold() const { return hold_; }
  double load() const { return load_; }  // the last window's

  // The hold a load asks for (the curve above).
  std::chrono::microseconds hold_for(double load) const;

 private:
  std::chrono::microseconds most_;
  Time next_sample_{};
  Time last_wall_{};
  Nanos last_cpu_{-1};
  double load_ = 0;
  std::chrono::microseconds hold_{0};
};

}  // namespace parley::net
