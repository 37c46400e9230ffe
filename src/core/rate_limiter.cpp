#include "core/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace parley::core {

RateLimiter::RateLimiter(double lines_per_second, double burst)
    : rate_(lines_per_second), burst_(std::max(1.0, burst)), tokens_(burst_) {}

void RateLimiter::refill(SteadyTime now) {
  if (!started_) {
    started_ = true;
    last_ = now;
    return;
  }
  if (now <= last_) return;
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
  last_ = now;
}

bool RateLimiter::try_acquire(SteadyTime now) {
  if (unlimited()) return true;
  refill(now);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

Duration RateLimiter::wait_time(SteadyTime now) const {
  if (unlimited() || tokens_ >= 1.0) return Duration::zero();
  const double elapsed = started_ && now > last_ ? std::chrono::duration<double>(now - last_).count() : 0.0;
  const double missing = 1.0 - std::min(burst_, tokens_ + elapsed * rate_);
  if (missing <= 0) return Duration::zero();
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(missing / rate_)) + Duration(1);
}

}  // namespace parley::core
