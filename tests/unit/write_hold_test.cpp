// net/WriteHold: how long a busy loop lets others' room messages wait to
// share a write (issue 14), driven with made-up clocks.
#include "net/write_hold.h"

#include <gtest/gtest.h>

namespace parley::net {
namespace {

using Time = WriteHold::Time;
using std::chrono::microseconds;
using std::chrono::milliseconds;

// A loop clock: its CPU time grows by `load` of each window.
struct Loop {
  WriteHold hold;
  Time now = Time{} + std::chrono::hours(1);
  WriteHold::Nanos cpu{0};
  explicit Loop(microseconds most = WriteHold::kDefaultMost) : hold(most) { hold.sample(now, cpu); }
  void run(double load, int windows) {
    for (int i = 0; i < windows; ++i) {
      now += WriteHold::kWindow;
      cpu += std::chrono::duration_cast<WriteHold::Nanos>(WriteHold::kWindow * load);
      ASSERT_TRUE(hold.time_to_sample(now));
      hold.sample(now, cpu);
    }
  }
};

TEST(WriteHold, CurveHoldsNothingWhenLightlyLoadedAndTheMostWhenFull) {
  const WriteHold hold(milliseconds(20));
  EXPECT_EQ(hold.hold_for(0.0), microseconds(0));
  EXPECT_EQ(hold.hold_for(WriteHold::kIdleLoad), microseconds(0));
  EXPECT_EQ(hold.hold_for((WriteHold::kIdleLoad + WriteHold::kFullLoad) / 2), microseconds(10'000));
  EXPECT_EQ(hold.hold_for(WriteHold::kFullLoad), microseconds(20'000));
  EXPECT_EQ(hold.hold_for(1.0), microseconds(20'000));
}

TEST(WriteHold, StartsAtNothingAndSamplesOncePerWindow) {
  Loop loop;
  EXPECT_EQ(loop.hold.hold(), microseconds(0));
  EXPECT_FALSE(loop.hold.time_to_sample(loop.now));
  EXPECT_FALSE(loop.hold.time_to_sample(loop.now + WriteHold::kWindow - std::chrono::nanoseconds(1)));
  EXPECT_TRUE(loop.hold.time_to_sample(loop.now + WriteHold::kWindow));
}

TEST(WriteHold, AnIdleLoopNeverHolds) {
  Loop loop;
  loop.run(0.1, 50);
  EXPECT_NEAR(loop.hold.load(), 0.1, 1e-9);
  EXPECT_EQ(loop.hold.hold(), microseconds(0));
}

TEST(WriteHold, ABusyLoopMovesAQuarterOfTheWayEachWindowThenReachesTheMost) {
  Loop loop(milliseconds(20));
  loop.run(1.0, 1);
  EXPECT_EQ(loop.hold.hold(), microseconds(5'000));  // a quarter of 20 ms
  loop.run(1.0, 1);
  EXPECT_EQ(loop.hold.hold(), microseconds(8'750));  // and a quarter of the 15 ms left
  loop.run(1.0, 60);
  EXPECT_EQ(loop.hold.hold(), microseconds(20'000));  // reached exactly, not only approached
  EXPECT_NEAR(loop.hold.load(), 1.0, 1e-9);
}

TEST(WriteHold, FallsBackToNothingWhenTheLoadGoes) {
  Loop loop(milliseconds(20));
  loop.run(1.0, 60);
  loop.run(0.2, 1);
  EXPECT_EQ(loop.hold.hold(), microseconds(15'000));
  loop.run(0.2, 60);
  EXPECT_EQ(loop.hold.hold(), microseconds(0));
}

TEST(WriteHold, SettlesBetweenWhenHoldingLowersTheLoad) {
  // A loop whose load falls as it holds longer (as writes carry more lines):
  // the hold must settle, not swing between nothing and the most.
  Loop loop(milliseconds(20));
  microseconds last{0};
  for (int i = 0; i < 200; ++i) {
    const double held_ms = static_cast<double>(loop.hold.hold().count()) / 1000;
    loop.run(0.9 - 0.025 * held_ms, 1);  // 0.9 holding nothing, 0.4 holding 20 ms
    last = loop.hold.hold();
  }
  const double load = 0.9 - 0.025 * static_cast<double>(last.count()) / 1000;
  EXPECT_GT(last, microseconds(5'000));
  EXPECT_LT(last, microseconds(15'000));
  loop.run(load, 1);
  EXPECT_NEAR(static_cast<double>(loop.hold.hold().count()), static_cast<double>(last.count()), 100.0);
}

TEST(WriteHold, ZeroMostNeverHolds) {
  Loop loop(microseconds(0));
  loop.run(1.0, 20);
  EXPECT_EQ(loop.hold.hold(), microseconds(0));
}

TEST(WriteHold, AClockThatDidNotMoveChangesNothing) {
  Loop loop(milliseconds(20));
  loop.run(1.0, 60);
  loop.hold.sample(loop.now, loop.cpu);  // the same instant again
  EXPECT_EQ(loop.hold.hold(), microseconds(20'000));
}

}  // namespace
}  // namespace parley::net
