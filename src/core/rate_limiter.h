#pragma once
// Token bucket for input pacing: a connection may send `burst` lines at once,
// then `rate` lines per second. Excess is delayed by the caller (which stops
// reading), never dropped.
#include "core/clock.h"

namespace parley::core {

class RateLimiter {
 public:
  // rate <= 0 disables the limit.
  RateLimiter(double lines_per_second, double burst);

  // Takes one token if one is available at `now`.
  bool try_acquire(SteadyTime now);
  // How long from `now` until try_acquire can succeed (zero if it can now).
  Duration wait_time(SteadyTime now) const;
  bool unlimited() const { return rate_ <= 0; }

 private:
  void refill(SteadyTime now);

  double rate_;
  double burst_;
  double tokens_;
  SteadyTime last_{};
  bool started_ = false;
};

}  // namespace parley::core
