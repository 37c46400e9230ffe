// Failed-login pacing, with time moved by hand.
#include <gtest/gtest.h>

#include "auth/login_pacing.h"

namespace parley::auth {
namespace {

using namespace std::chrono_literals;

struct Pacing : ::testing::Test {
  core::ManualClock clock;
  PacingPolicy policy{3, 2s, 10s, 60s, 4};
  LoginPacing pacing{clock, policy};
};

TEST_F(Pacing, FreeFailuresThenDoublingWaitsUpToTheLongest) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(pacing.wait_before("raj", "1.2.3.4"), core::Duration::zero());
    pacing.failed("raj", "1.2.3.4");
  }
  EXPECT_EQ(pacing.wait_before("raj", "1.2.3.4"), core::Duration::zero());  // three free failures
  pacing.failed("raj", "1.2.3.4");  // the fourth: paced
  EXPECT_EQ(pacing.wait_before("raj", "1.2.3.4"), 2s);
  clock.advance(2s);
  EXPECT_EQ(pacing.wait_before("raj", "1.2.3.4"), core::Duration::zero());
  pacing.failed("raj", "1.2.3.4");
  EXPECT_EQ(pacing.wait_before("raj", "1.2.3.4"), 4s);
  clock.advance(4s);
  pacing.failed("raj", "1.2.3.4");
  EXPECT_EQ(pacing.wait_before("raj", "1.2.3.4"), 8s);
  clock.advance(8s);
  pacing.failed("raj", "1.2.3.4");
  EXPECT_EQ(pacing.wait_before("raj", "1.2.3.4"), 10s);  // the longest
}

TEST_F(Pacing, PerAccountWhateverTheAddress) {
  for (int i = 0; i < 4; ++i) pacing.failed("raj", "10.0.0." + std::to_string(i));
  EXPECT_EQ(pacing.wait_before("raj", "10.0.0.99"), 2s);
  EXPECT_EQ(pacing.wait_before("zoe", "10.0.0.99"), core::Duration::zero());
}

TEST_F(Pacing, PerAddressWhateverTheAccount) {
  for (int i = 0; i < 4; ++i) pacing.failed("user" + std::to_string(i), "10.0.0.1");
  EXPECT_EQ(pacing.wait_before("someone", "10.0.0.1"), 2s);
  EXPECT_EQ(pacing.wait_before("someone", "10.0.0.2"), core::Duration::zero());
}

TEST_F(Pacing, SuccessClearsTheAccountButNotTheAddress) {
  for (int i = 0; i < 4; ++i) pacing.failed("raj", "10.0.0.1");
  pacing.succeeded("raj");
  EXPECT_EQ(pacing.wait_before("raj", "10.0.0.2"), core::Duration::zero());
  EXPECT_EQ(pacing.wait_before("raj", "10.0.0.1"), 2s);
}

TEST_F(Pacing, OldFailuresAreForgotten) {
  for (int i = 0; i < 4; ++i) pacing.failed("raj", "");
  clock.advance(60s);
  EXPECT_EQ(pacing.wait_before("raj", ""), core::Duration::zero());
  pacing.failed("raj", "");  // counts from one again
  EXPECT_EQ(pacing.wait_before("raj", ""), core::Duration::zero());
}

TEST_F(Pacing, RemembersAtMostTheLimitDroppingTheStalest) {
  for (int i = 0; i < 4; ++i) {
    pacing.failed("a" + std::to_string(i), "");
    clock.advance(1s);
  }
  EXPECT_EQ(pacing.tracked(), 4u);  // at the limit
  pacing.failed("a4", "");
  EXPECT_EQ(pacing.tracked(), 4u);  // past it: a0 went
  for (int i = 0; i < 3; ++i) pacing.failed("a4", "");
  EXPECT_EQ(pacing.wait_before("a4", ""), 2s);
}

}  // namespace
}  // namespace parley::auth
