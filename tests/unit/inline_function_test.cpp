// The core's move-only function with its captures inside (core/inline_function.h).
#include "core/inline_function.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>
#include <utility>

namespace parley::core {
namespace {

using Small = InlineFunction<int(int), 32>;

// Counts how many of its copies are alive, to see each destroyed once.
struct Alive {
  explicit Alive(int& count) : count(&count) { ++*this->count; }
  Alive(const Alive& other) : count(other.count) { ++*count; }
  Alive(Alive&& other) noexcept : count(other.count) { ++*count; }
  ~Alive() { --*count; }
  int* count;
};

TEST(InlineFunction, CallsWhatItHoldsWithItsArguments) {
  const int base = 40;
  Small add = [base](int n) { return base + n; };
  ASSERT_TRUE(add);
  EXPECT_EQ(add(2), 42);
  EXPECT_FALSE(Small{});
  EXPECT_FALSE(Small{nullptr});
}

TEST(InlineFunction, SmallCapturesStayInsideAndLargeOnesGoToTheHeap) {
  auto small = [a = 1, b = 2](int n) { return a + b + n; };
  auto large = [big = std::array<char, 64>{}](int n) { return n + big[0]; };
  static_assert(Small::kInline<decltype(small)>);
  static_assert(!Small::kInline<decltype(large)>);
  Small s = small;
  Small l = large;
  EXPECT_EQ(s(1), 4);
  EXPECT_EQ(l(5), 5);
}

TEST(InlineFunction, ACallableThatMayThrowWhenMovedGoesToTheHeap) {
  struct Throwing {
    Throwing() = default;
    Throwing(Throwing&&) noexcept(false) {}
    int operator()(int n) const { return n; }
  };
  static_assert(!Small::kInline<Throwing>);
  Small f = Throwing{};
  EXPECT_EQ(f(7), 7);
}

TEST(InlineFunction, HoldsWhatCannotBeCopied) {
  auto owned = std::make_unique<int>(5);
  InlineFunction<int(), 16> f = [p = std::move(owned)] { return *p; };
  EXPECT_EQ(f(), 5);
}

TEST(InlineFunction, AMoveLeavesTheSourceEmptyAndTheTargetCallable) {
  Small a = [](int n) { return n * 2; };
  Small b = std::move(a);
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): what a move leaves is the point
  EXPECT_EQ(b(21), 42);
  Small c;
  c = std::move(b);
  EXPECT_FALSE(b);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(c(4), 8);
}

TEST(InlineFunction, EachCaptureIsDestroyedOnceInsideOrOnTheHeap) {
  int inside = 0;
  int heap = 0;
  {
    Small a = [alive = Alive(inside)](int n) { return n; };
    Small b = [alive = Alive(heap), pad = std::array<char, 64>{}](int n) { return n + pad[0]; };
    EXPECT_EQ(inside, 1);
    EXPECT_EQ(heap, 1);
    Small moved_a = std::move(a);
    Small moved_b = std::move(b);
    EXPECT_EQ(inside, 1) << "moved, not copied";
    EXPECT_EQ(heap, 1);
    moved_a = std::move(moved_b);  // what moved_a held goes
    EXPECT_EQ(inside, 0);
    EXPECT_EQ(heap, 1);
    moved_a = nullptr;
    EXPECT_EQ(heap, 0);
  }
  EXPECT_EQ(inside, 0);
  EXPECT_EQ(heap, 0);
}

TEST(InlineFunction, TheCallableMayChangeItsOwnCaptures) {
  InlineFunction<int(), 16> counter = [n = 0]() mutable { return ++n; };
  EXPECT_EQ(counter(), 1);
  EXPECT_EQ(counter(), 2);
  const auto& same = counter;
  EXPECT_EQ(same(), 3);  // const to call, as std::function
}

TEST(InlineFunction, ArgumentsAreForwardedAsDeclared) {
  InlineFunction<std::string(std::string&&), 16> take = [](std::string&& s) { return std::move(s); };
  std::string text(100, 'x');
  EXPECT_EQ(take(std::move(text)), std::string(100, 'x'));
  InlineFunction<void(std::string&), 16> change = [](std::string& s) { s = "changed"; };
  std::string target = "before";
  change(target);
  EXPECT_EQ(target, "changed");
}

}  // namespace
}  // namespace parley::core
