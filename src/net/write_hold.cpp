#include "net/write_hold.h"

#include <algorithm>
#include <cstdint>

namespace parley::net {

std::chrono::microseconds WriteHold::hold_for(double load) const {
  const double share = std::clamp((load - kIdleLoad) / (kFullLoad - kIdleLoad), 0.0, 1.0);
  return std::chrono::microseconds(static_cast<std::int64_t>(share * static_cast<double>(most_.count())));
}

void WriteHold::sample(Time now, Nanos thread_cpu) {
  next_sample_ = now + kWindow;
  const bool first = last_cpu_ < Nanos{0};
  const auto wall = now - last_wall_;
  const auto cpu = thread_cpu - last_cpu_;
  last_wall_ = now;
  last_cpu_ = thread_cpu;
  if (first || wall <= Time::duration::zero()) return;
  load_ = std::clamp(std::chrono::duration<double>(cpu).count() / std::chrono::duration<double>(wall).count(), 0.0, 1.0);
  const auto target = hold_for(load_);
  // A quarter of the way, rounded away from the hold so that it reaches its target and 0.
  const auto step = (target - hold_) / 4;
  hold_ += step.count() != 0 ? step : target - hold_;
}

}  // namespace parley::net
