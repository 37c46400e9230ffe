// net/HeapTrim: when the loop gives the heap's free pages back (issue 14).
#include "net/heap_trim.h"

#include <gtest/gtest.h>

namespace parley::net {
namespace {

using Time = HeapTrim::Time;

TEST(HeapTrim, LooksAtMostOncePerPeriod) {
  HeapTrim trim;
  const Time t0 = Time{} + std::chrono::hours(1);
  EXPECT_TRUE(trim.time_to_look(t0));
  EXPECT_FALSE(trim.time_to_look(t0));
  EXPECT_FALSE(trim.time_to_look(t0 + HeapTrim::kPeriod - std::chrono::nanoseconds(1)));
  EXPECT_TRUE(trim.time_to_look(t0 + HeapTrim::kPeriod));
  EXPECT_FALSE(trim.time_to_look(t0 + HeapTrim::kPeriod + std::chrono::seconds(1)));
}

TEST(HeapTrim, TrimsOnlyWhenEnoughIsFree) {
  EXPECT_FALSE(HeapTrim::worth_trimming(0));
  EXPECT_FALSE(HeapTrim::worth_trimming(HeapTrim::kWorthBytes - 1));
  EXPECT_TRUE(HeapTrim::worth_trimming(HeapTrim::kWorthBytes));
}

TEST(HeapTrim, MaybeTrimRunsOnlyWhenItIsTimeToLook) {
  HeapTrim trim;
  const Time t0 = Time{} + std::chrono::hours(1);
  (void)trim.maybe_trim(t0);  // looks (and trims if this test's heap has 4 MiB free)
  EXPECT_EQ(trim.maybe_trim(t0 + std::chrono::seconds(1)), 0u);  // too soon to look again
}

}  // namespace
}  // namespace parley::net
