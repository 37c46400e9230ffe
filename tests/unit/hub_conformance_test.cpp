// core/hub, issue 10: words for some members only reach only them, and an
// outsider's words reach the room and the outsider, across loops.
#include <gtest/gtest.h>

#include "hub_fixture.h"

namespace parley::core {
namespace {

using namespace hub_testing;

TEST_P(HubTest, WordsForOperatorsReachOnlyThemAndTheSender) {
  Person& a = w.enter(loop(0), "Alice", {"games"});  // operator
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& c = w.enter(loop(2), "Carol", {"games"});
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::voice, true, "Carol")}).ok());
  w.forget_events();
  ASSERT_TRUE(w.hub.rooms().say(b.ref, "games", Speech::message, "to ops", {}, {}, Audience::operators).ok());
  ASSERT_TRUE(w.hub.rooms().say(b.ref, "games", Speech::message, "to voiced", {}, {}, Audience::voiced).ok());
  ASSERT_TRUE(w.hub.rooms().say(b.ref, "games", Speech::message, "to all").ok());
  w.poster.run_all();
  EXPECT_EQ(a.member.seen(), (std::vector<std::string>{"#games 5 message Bob: to ops", "#games 6 message Bob: to voiced",
                                                       "#games 7 message Bob: to all"}));
  EXPECT_EQ(b.member.seen(), a.member.seen()) << "the sender hears its own";
  EXPECT_EQ(c.member.seen(), (std::vector<std::string>{"#games 6 message Bob: to voiced", "#games 7 message Bob: to all"}));
}

TEST_P(HubTest, AnOutsiderSpeaksWhereTheRoomAllowsAndHearsItself) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"lobby"});
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::no_outside, false)}).ok());
  w.forget_events();
  std::optional<Refusal> refused;
  ASSERT_TRUE(w.hub.rooms().say(b.ref, "games", Speech::message, "hi from outside", [&](Refusal no) { refused = no; }).ok());
  w.poster.run_all();
  EXPECT_EQ(refused, std::nullopt);
  EXPECT_EQ(a.member.seen(), (std::vector<std::string>{"#games 3 message Bob: hi from outside"}));
  EXPECT_EQ(b.member.seen(), a.member.seen());
  // Still an outsider: a member's later message does not reach him.
  ASSERT_TRUE(w.hub.rooms().say(a.ref, "games", Speech::message, "welcome").ok());
  w.poster.run_all();
  EXPECT_EQ(b.member.events.size(), 1u);
}

}  // namespace
}  // namespace parley::core
