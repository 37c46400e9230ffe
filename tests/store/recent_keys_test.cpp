// The writer's bounded memory of senders and targets (store/recent_keys.h).
#include "store/recent_keys.h"

#include <gtest/gtest.h>

#include <string>

namespace parley::store {
namespace {

std::string key(int n) { return "key-" + std::to_string(n); }

TEST(RecentKeys, FindsWhatWasAddedAndNothingElse) {
  RecentKeys<int> keys(4);
  keys.add("alice", 1);
  keys.add("bob", 2);
  ASSERT_NE(keys.find("alice"), nullptr);
  EXPECT_EQ(*keys.find("alice"), 1);
  EXPECT_EQ(*keys.find("bob"), 2);
  EXPECT_EQ(keys.find("carol"), nullptr);
}

TEST(RecentKeys, HoldsAtMostTwoGenerationsHoweverManyKeysCome) {
  RecentKeys<int> keys(8);
  for (int n = 0; n < 1000; ++n) {
    keys.add(key(n), n);
    ASSERT_LE(keys.size(), 16u) << "after " << n + 1 << " keys";
  }
  EXPECT_NE(keys.find(key(999)), nullptr);  // the newest are kept
  EXPECT_EQ(keys.find(key(0)), nullptr);    // the oldest went
}

TEST(RecentKeys, AKeyInSteadyUseIsNeverDropped) {
  RecentKeys<int> keys(4);
  keys.add("busy", 42);
  for (int n = 0; n < 100; ++n) {
    keys.add(key(n), n);
    const int* busy = keys.find("busy");
    ASSERT_NE(busy, nullptr) << "after " << n + 1 << " other keys";
    EXPECT_EQ(*busy, 42);
  }
}

TEST(RecentKeys, AKeyUnusedForTwoGenerationsIsDropped) {
  RecentKeys<int> keys(4);
  keys.add("once", 7);
  for (int n = 0; n < 3; ++n) keys.add(key(n), n);
  EXPECT_NE(keys.find("once"), nullptr);  // still in the newer generation's fill
  for (int n = 3; n < 3 + 8; ++n) keys.add(key(n), n);
  EXPECT_EQ(keys.find("once"), nullptr);
}

TEST(RecentKeys, AKeyFoundInTheOlderGenerationKeepsItsValueWhenItMoves) {
  RecentKeys<std::string> keys(2);
  keys.add("a", "room A");
  keys.add("b", "room B");
  keys.add("c", "room C");  // "a" and "b" are now the older generation
  std::string* a = keys.find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(*a, "room A");
  *a = "room A renamed";  // the writer changes a target's room in place
  EXPECT_EQ(*keys.find("a"), "room A renamed");
}

TEST(RecentKeys, AddingAHeldKeyKeepsItsValue) {
  RecentKeys<int> keys(4);
  keys.add("a", 1);
  EXPECT_EQ(keys.add("a", 2), 1);
  EXPECT_EQ(keys.size(), 1u);
}

TEST(RecentKeys, ClearForgetsEverything) {
  RecentKeys<int> keys(2);
  for (int n = 0; n < 3; ++n) keys.add(key(n), n);
  keys.clear();
  EXPECT_EQ(keys.size(), 0u);
  for (int n = 0; n < 3; ++n) EXPECT_EQ(keys.find(key(n)), nullptr);
}

}  // namespace
}  // namespace parley::store
