// core/hub: sessions that detach while requests about them are in flight.
#include <gtest/gtest.h>

#include "hub_fixture.h"

namespace parley::core {
namespace {

using namespace hub_testing;

TEST_P(HubTest, DetachBeforeTheJoinCompletesLeavesNoGhost) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& ghost = w.enter(loop(1), "Ghost", {});
  w.forget_events();
  ASSERT_TRUE(w.hub.rooms().join(ghost.ref, "games").ok());
  ASSERT_TRUE(w.hub.rooms().join(ghost.ref, "empty").ok());
  w.hub.detach(ghost.ref, "");
  w.poster.run_all();
  EXPECT_TRUE(ghost.member.events.empty());
  EXPECT_EQ(a.member.seen(), (std::vector<std::string>{"#games 2 joined Ghost", "#games 3 left Ghost"}));
  auto info = w.info(a, "games");
  ASSERT_TRUE(info && info->ok());
  EXPECT_EQ(names_in(info->value()), (std::vector<std::string>{"Alice"}));
  EXPECT_EQ(w.rooms(a), (std::vector<std::string>{"#games (1)"}));
  // Later events reach only the living.
  w.forget_events();
  ASSERT_TRUE(w.hub.rooms().say(a.ref, "games", Speech::message, "anyone?").ok());
  w.poster.run_all();
  EXPECT_EQ(a.member.seen(), (std::vector<std::string>{"#games 4 message Alice: anyone?"}));
  EXPECT_TRUE(ghost.member.events.empty());
}

TEST_P(HubTest, NoEventReachesADetachedMember) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  w.forget_events();
  ASSERT_TRUE(w.hub.rooms().say(a.ref, "games", Speech::message, "in flight").ok());
  w.hub.detach(b.ref, "");
  w.poster.run_all();
  EXPECT_TRUE(b.member.events.empty());
  EXPECT_EQ(a.member.seen(), (std::vector<std::string>{"#games 3 message Alice: in flight", "#games 4 left Bob"}));
}

TEST_P(HubTest, CallbacksDoNotRunForADetachedSession) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  int calls = 0;
  w.hub.claim_name(a.ref, "Alicia", [&](Result<Identity>) { ++calls; });
  w.hub.rooms().room_info(a.ref, "games", [&](Result<RoomSnapshot>) { ++calls; });
  w.hub.rooms().list_rooms(a.ref, [&](Result<std::vector<RoomSummary>>) { ++calls; });
  w.hub.directory().private_message(a.ref, "Bob", Speech::message, "psst", [&](Result<Identity>) { ++calls; });
  w.hub.directory().private_message(a.ref, "Nobody", Speech::message, "psst", [&](Result<Identity>) { ++calls; });
  w.hub.detach(a.ref, "");
  w.poster.run_all();
  EXPECT_EQ(calls, 0);
  // The name it was claiming is free, and so is its old one.
  EXPECT_TRUE(w.claim(b, "alicia").ok());
  EXPECT_TRUE(w.claim(b, "alice").ok());
}

TEST_P(HubTest, CallsNamingADetachedSessionAnswerNothing) {
  Person& a = w.enter(loop(2), "Alice", {});
  w.hub.detach(a.ref, "");
  w.poster.run_all();
  int calls = 0;
  w.hub.claim_name(a.ref, "Bob", [&](Result<Identity>) { ++calls; });
  w.hub.claim_name(a.ref, "", [&](Result<Identity>) { ++calls; });
  w.hub.directory().private_message(a.ref, "Alice", Speech::message, "x", [&](Result<Identity>) { ++calls; });
  w.hub.rooms().list_rooms(a.ref, [&](Result<std::vector<RoomSummary>>) { ++calls; });
  w.poster.run_all();
  EXPECT_EQ(calls, 0);
  EXPECT_FALSE(w.hub.rooms().join(a.ref, "games").ok());
  EXPECT_FALSE(w.hub.rooms().say(a.ref, "games", Speech::message, "x").ok());
  w.poster.run_all();
}

}  // namespace
}  // namespace parley::core
