// What a node remembers of other nodes' sessions (backplane/remote_owners.h).
#include "backplane/remote_owners.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace parley::backplane {
namespace {

using namespace std::chrono_literals;
using Clock = RemoteOwners::Clock;

std::string owner(int n) { return "node-b/0." + std::to_string(n); }

TEST(RemoteOwners, NamesWhatWasHeardAndNothingElse) {
  RemoteOwners owners(60s);
  owners.remember(7, owner(7));
  ASSERT_NE(owners.find(7), nullptr);
  EXPECT_EQ(*owners.find(7), owner(7));
  EXPECT_EQ(owners.find(8), nullptr);
}

TEST(RemoteOwners, ASessionThatQuitIsForgottenOnceItsGraceHasPassed) {
  RemoteOwners owners(60s);
  const Clock::time_point t0{};
  owners.remember(7, owner(7));
  owners.quit(7, t0);
  owners.forget_due(t0 + 59s);
  EXPECT_NE(owners.find(7), nullptr) << "an event decided meanwhile still names it";
  owners.forget_due(t0 + 60s);
  EXPECT_EQ(owners.find(7), nullptr);
  EXPECT_EQ(owners.size(), 0u);
}

TEST(RemoteOwners, AQuitInAnotherRoomLaterPutsTheForgettingLater) {
  RemoteOwners owners(60s);
  const Clock::time_point t0{};
  owners.remember(7, owner(7));
  owners.quit(7, t0);  // its quit in the first room
  owners.remember(7, owner(7));
  owners.quit(7, t0 + 30s);  // the same quit, on another room's stream
  owners.forget_due(t0 + 60s);
  EXPECT_NE(owners.find(7), nullptr);
  owners.forget_due(t0 + 90s);
  EXPECT_EQ(owners.find(7), nullptr);
}

TEST(RemoteOwners, ASessionHeardOfAgainAfterItsQuitIsKept) {
  // A node that restarts under its name numbers its sessions from the start
  // again: a new session can have the name of one that quit.
  RemoteOwners owners(60s);
  const Clock::time_point t0{};
  owners.remember(7, owner(7));
  owners.quit(7, t0);
  owners.remember(7, owner(7));
  owners.forget_due(t0 + 120s);
  EXPECT_NE(owners.find(7), nullptr);
}

TEST(RemoteOwners, OnlySessionsThatQuitAreForgotten) {
  RemoteOwners owners(60s);
  const Clock::time_point t0{};
  for (int n = 1; n <= 1000; ++n) owners.remember(n, owner(n));
  for (int n = 1; n <= 1000; n += 2) owners.quit(n, t0 + std::chrono::milliseconds(n));
  owners.forget_due(t0 + 61s);
  EXPECT_EQ(owners.size(), 500u);
  EXPECT_EQ(owners.find(1), nullptr);
  ASSERT_NE(owners.find(2), nullptr);
  EXPECT_EQ(*owners.find(2), owner(2));
}

TEST(RemoteOwners, AQuitOfASessionNeverHeardOfIsNothing) {
  RemoteOwners owners(60s);
  const Clock::time_point t0{};
  owners.quit(9, t0);
  owners.remember(9, owner(9));  // heard of after: not the one that quit
  owners.forget_due(t0 + 120s);
  EXPECT_NE(owners.find(9), nullptr);
}

}  // namespace
}  // namespace parley::backplane
