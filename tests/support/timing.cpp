#include "timing.hpp"

#include <cstdlib>
#include <string>

namespace parley::test {

namespace {

double timeout_scale() {
  static const double scale = [] {
    const char* env = std::getenv("PARLEY_ITEST_TIMEOUT_SCALE");
    if (env == nullptr) return 1.0;
    try {
      double v = std::stod(env);
      return v > 0 ? v : 1.0;
    } catch (...) {
      return 1.0;
    }
  }();
  return scale;
}

}  // namespace

Duration scaled(Duration d) {
  return Duration(static_cast<Duration::rep>(static_cast<double>(d.count()) * timeout_scale()));
}

Duration default_timeout() { return scaled(std::chrono::seconds(10)); }

Duration remaining(Clock::time_point deadline) {
  auto now = Clock::now();
  if (now >= deadline) return Duration(0);
  return std::chrono::ceil<Duration>(deadline - now);
}

}  // namespace parley::test
