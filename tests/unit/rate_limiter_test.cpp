// core/rate_limiter: a token bucket driven by a ManualClock; no real waiting.
#include "core/rate_limiter.h"

#include <gtest/gtest.h>

#include <chrono>

#include "core/clock.h"

namespace parley::core {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// wait_time rounds up by one clock tick, so that waiting exactly that long
// always suffices.
constexpr Duration kTick{1};

TEST(RateLimiter, BurstIsAllowedAtOnce) {
  ManualClock clock;
  RateLimiter limiter(2.0, 3.0);
  EXPECT_FALSE(limiter.unlimited());
  EXPECT_EQ(limiter.wait_time(clock.now()), Duration::zero());
  EXPECT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_FALSE(limiter.try_acquire(clock.now()));
  EXPECT_FALSE(limiter.try_acquire(clock.now()));  // refusing takes nothing either
}

TEST(RateLimiter, ThenPacedAtTheRate) {
  ManualClock clock;
  RateLimiter limiter(2.0, 3.0);  // one line per 500 ms after the burst
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.try_acquire(clock.now()));
  ASSERT_FALSE(limiter.try_acquire(clock.now()));
  for (int round = 0; round < 10; ++round) {
    clock.advance(milliseconds(250));  // half a token
    EXPECT_FALSE(limiter.try_acquire(clock.now())) << round;
    clock.advance(milliseconds(250));
    EXPECT_TRUE(limiter.try_acquire(clock.now())) << round;
    EXPECT_FALSE(limiter.try_acquire(clock.now())) << round;
  }
}

TEST(RateLimiter, WaitTimeSaysHowLongUntilTheNextToken) {
  ManualClock clock;
  RateLimiter limiter(2.0, 3.0);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_EQ(limiter.wait_time(clock.now()), milliseconds(500) + kTick);
  clock.advance(milliseconds(250));
  EXPECT_EQ(limiter.wait_time(clock.now()), milliseconds(250) + kTick);
  EXPECT_FALSE(limiter.try_acquire(clock.now()));  // half a token now
  EXPECT_EQ(limiter.wait_time(clock.now()), milliseconds(250) + kTick);
  clock.advance(milliseconds(125));
  EXPECT_EQ(limiter.wait_time(clock.now()), milliseconds(125) + kTick);
  clock.advance(milliseconds(125));
  EXPECT_EQ(limiter.wait_time(clock.now()), Duration::zero());
  EXPECT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_EQ(limiter.wait_time(clock.now()), milliseconds(500) + kTick);
}

TEST(RateLimiter, WaitingExactlyTheWaitTimeSuffices) {
  ManualClock clock;
  RateLimiter limiter(4.0, 1.0);
  ASSERT_TRUE(limiter.try_acquire(clock.now()));
  clock.advance(milliseconds(125));  // half a token
  ASSERT_FALSE(limiter.try_acquire(clock.now()));
  const Duration wait = limiter.wait_time(clock.now());
  EXPECT_EQ(wait, milliseconds(125) + kTick);
  clock.advance(wait - kTick - kTick);
  EXPECT_FALSE(limiter.try_acquire(clock.now()));
  clock.advance(kTick + kTick);
  EXPECT_TRUE(limiter.try_acquire(clock.now()));
}

TEST(RateLimiter, IdleTimeRefillsOnlyUpToTheBurst) {
  ManualClock clock;
  RateLimiter limiter(2.0, 3.0);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.try_acquire(clock.now()));
  clock.advance(hours(1));
  EXPECT_EQ(limiter.wait_time(clock.now()), Duration::zero());
  EXPECT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_FALSE(limiter.try_acquire(clock.now()));
  EXPECT_EQ(limiter.wait_time(clock.now()), milliseconds(500) + kTick);
}

TEST(RateLimiter, FirstUseStartsTheClock) {
  // Time before the first line does not count: a fresh limiter holds the burst.
  ManualClock clock;
  RateLimiter limiter(1.0, 2.0);
  clock.advance(hours(5));
  EXPECT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_FALSE(limiter.try_acquire(clock.now()));
  EXPECT_EQ(limiter.wait_time(clock.now()), seconds(1) + kTick);
}

TEST(RateLimiter, BurstBelowOneStillAllowsOneLine) {
  ManualClock clock;
  RateLimiter limiter(1.0, 0.0);
  EXPECT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_FALSE(limiter.try_acquire(clock.now()));
  clock.advance(seconds(1));
  EXPECT_TRUE(limiter.try_acquire(clock.now()));
  clock.advance(seconds(10));
  EXPECT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_FALSE(limiter.try_acquire(clock.now()));
}

TEST(RateLimiter, TimeGoingBackwardsAddsNothing) {
  ManualClock clock;
  RateLimiter limiter(2.0, 1.0);
  const SteadyTime later = clock.now() + seconds(10);
  ASSERT_TRUE(limiter.try_acquire(later));
  EXPECT_FALSE(limiter.try_acquire(clock.now()));  // earlier than the last use
  EXPECT_EQ(limiter.wait_time(clock.now()), milliseconds(500) + kTick);
  EXPECT_TRUE(limiter.try_acquire(later + milliseconds(500)));
}

TEST(RateLimiter, ZeroRateIsUnlimited) {
  ManualClock clock;
  RateLimiter limiter(0.0, 1.0);
  EXPECT_TRUE(limiter.unlimited());
  for (int i = 0; i < 10'000; ++i) ASSERT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_EQ(limiter.wait_time(clock.now()), Duration::zero());
}

TEST(RateLimiter, NegativeRateIsUnlimited) {
  ManualClock clock;
  RateLimiter limiter(-1.0, 0.0);
  EXPECT_TRUE(limiter.unlimited());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(limiter.try_acquire(clock.now()));
  EXPECT_EQ(limiter.wait_time(clock.now()), Duration::zero());
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock;
  const SteadyTime start = clock.now();
  EXPECT_EQ(clock.now(), start);
  clock.advance(nanoseconds(7));
  EXPECT_EQ(clock.now() - start, nanoseconds(7));
}

}  // namespace
}  // namespace parley::core
