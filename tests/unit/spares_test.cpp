// core::Spares: emptied objects kept per thread for the next taker, with
// what their containers allocated, and never more than its most.
#include "core/spares.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

namespace parley::core {
namespace {

struct Waiting {
  std::vector<int> items;
};
struct Other {
  std::vector<int> items;
};

TEST(Spares, AGivenBackObjectIsTakenAgainWithItsRoom) {
  auto first = Spares<Waiting>::take();
  first->items.reserve(64);
  Waiting* const kept = first.get();
  Spares<Waiting>::give_back(std::move(first));
  auto again = Spares<Waiting>::take();
  EXPECT_EQ(again.get(), kept);
  EXPECT_GE(again->items.capacity(), 64u);
  EXPECT_NE(Spares<Waiting>::take().get(), kept);  // none kept now: a new one
}

TEST(Spares, KeepsAtMostItsMost) {
  using ThreeAtMost = Spares<Other, 3>;
  std::vector<std::unique_ptr<Other>> taken;
  for (int i = 0; i < 5; ++i) taken.push_back(ThreeAtMost::take());
  std::vector<Other*> given;
  for (auto& t : taken) {
    given.push_back(t.get());
    ThreeAtMost::give_back(std::move(t));
  }
  // The first three given back are kept (last in, first out); the others were freed.
  EXPECT_EQ(ThreeAtMost::take().get(), given[2]);
  EXPECT_EQ(ThreeAtMost::take().get(), given[1]);
  EXPECT_EQ(ThreeAtMost::take().get(), given[0]);
}

TEST(Spares, EachThreadKeepsItsOwn) {
  auto mine = Spares<Waiting>::take();
  Waiting* const kept = mine.get();
  Spares<Waiting>::give_back(std::move(mine));
  Waiting* theirs = nullptr;
  std::thread([&] { theirs = Spares<Waiting>::take().get(); }).join();
  EXPECT_NE(theirs, kept);
  EXPECT_EQ(Spares<Waiting>::take().get(), kept);
}

}  // namespace
}  // namespace parley::core
