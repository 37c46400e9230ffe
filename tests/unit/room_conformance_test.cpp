// core/room, issue 10: what the IRC conformance round needed from the core, in
// protocol-neutral terms -- exceptions to bans and invite-only, rooms that let
// outsiders speak, words for some members only, who set the topic and when,
// and whether a leaver asked to go.
#include <gtest/gtest.h>

#include "room_fixture.h"

namespace parley::core {
namespace {

using namespace room_testing;

TEST(RoomExceptions, ABanExceptionLetsTheExceptedInAndSpeak) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  const SharedIdentity bob = full_id("Bob", "~bob", "10.0.0.7");
  const SharedIdentity carol = full_id("Carol", "~c", "10.0.0.8");
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::ban, true, "*!*@10.0.0.*"),
                                   set(RoomSetting::ban_exception, true, "bob")})
                  .ok());
  EXPECT_EQ(room.settings().ban_exceptions, (std::vector<std::string>{"bob!*@*"}));
  EXPECT_EQ(room.may_join(kCarol, *carol, ""), Refusal::banned);
  EXPECT_EQ(room.may_join(kBob, *bob, ""), std::nullopt);
  ASSERT_NE(join(room, kBob, bob), nullptr);
  EXPECT_EQ(said(say(room, kBob, Speech::message, "hi")), "hi");
  // Without the exception the ban silences him again.
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::ban_exception, false, "bob!*@*")}).ok());
  EXPECT_EQ(room.say(kBob, Speech::message, "hi").refusal(), Refusal::banned);
}

TEST(RoomExceptions, AnInviteExceptionJoinsUninvited) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::invite_only, true),
                                   set(RoomSetting::invite_exception, true, "*!*@trusted")})
                  .ok());
  EXPECT_EQ(room.may_join(kBob, *full_id("Bob", "u", "elsewhere"), ""), Refusal::invite_only);
  EXPECT_EQ(room.may_join(kBob, *full_id("Bob", "u", "trusted"), ""), std::nullopt);
  // An exception does not open a key or a limit.
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::key, true, "k")}).ok());
  EXPECT_EQ(room.may_join(kBob, *full_id("Bob", "u", "trusted"), ""), Refusal::bad_key);
}

TEST(RoomExceptions, EachListIsBoundedAlone) {
  RoomLimits limits;
  limits.bans = 2;
  Room room("r", "r", 3, limits);
  join(room, kAlice, id("Alice"));
  for (RoomSetting list : {RoomSetting::ban, RoomSetting::ban_exception, RoomSetting::invite_exception}) {
    auto r = room.change(kAlice, {set(list, true, "a"), set(list, true, "b"), set(list, true, "c")});
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.value().refused.size(), 1u);
    EXPECT_EQ(r.value().refused[0].refusal, Refusal::ban_list_full);
  }
}

TEST(RoomOutsiders, OutsidersSpeakOnlyWhereTheRoomLetsThem) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  EXPECT_TRUE(room.settings().no_outside) << "new rooms hear members only";
  EXPECT_EQ(room.say(kBob, Speech::message, "hi", {}, Audience::members, id("Bob")).refusal(), Refusal::not_in_room);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::no_outside, false)}).ok());
  auto r = room.say(kBob, Speech::message, "hi", {}, Audience::members, id("Bob"));
  ASSERT_TRUE(r.ok());
  const auto* s = r.value()->as<Said>();
  EXPECT_TRUE(s->from_outside);
  EXPECT_EQ(r.value()->by().nick, "Bob");
  // Without an identity the caller is not an outsider the room can show.
  EXPECT_EQ(room.say(kBob, Speech::message, "hi").refusal(), Refusal::not_in_room);
  // Outsiders have no voice in a moderated room, and bans hold for them.
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::moderated, true)}).ok());
  EXPECT_EQ(room.say(kBob, Speech::message, "hi", {}, Audience::members, id("Bob")).refusal(), Refusal::moderated);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::moderated, false), set(RoomSetting::ban, true, "Bob")}).ok());
  EXPECT_EQ(room.say(kBob, Speech::message, "hi", {}, Audience::members, id("Bob")).refusal(), Refusal::banned);
}

TEST(RoomAudience, WordsForOperatorsOrVoicedReachThemAndTheSender) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));  // operator
  join(room, kBob, id("Bob"));
  join(room, kCarol, id("Carol"));
  join(room, kDave, id("Dave"));
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::voice, true, "Carol")}).ok());
  auto to_ops = room.say(kBob, Speech::message, "psst", {}, Audience::operators);
  ASSERT_TRUE(to_ops.ok());
  EXPECT_EQ(to_ops.value()->as<Said>()->hearers, (std::vector<SessionRef>{kAlice, kBob}));
  auto to_voiced = room.say(kBob, Speech::message, "psst", {}, Audience::voiced);
  ASSERT_TRUE(to_voiced.ok());
  EXPECT_EQ(to_voiced.value()->as<Said>()->hearers, (std::vector<SessionRef>{kAlice, kBob, kCarol}));
  auto to_all = room.say(kBob, Speech::message, "hi");
  ASSERT_TRUE(to_all.ok());
  EXPECT_EQ(to_all.value()->as<Said>()->audience, Audience::members);
  EXPECT_TRUE(to_all.value()->as<Said>()->hearers.empty()) << "everyone: no list to walk";
}

TEST(RoomTopic, TheRoomKeepsWhoSetTheTopicAndWhen) {
  const auto before = std::chrono::system_clock::now();
  Room room("r", "r", 3);
  join(room, kAlice, id(Identity{"Alice Smith", "Alice_Smith", {}, {}, {}}));
  EXPECT_GE(room.snapshot().created, before);
  EXPECT_EQ(room.snapshot().topic_by, "");
  ASSERT_NE(set_topic(room, kAlice, "hello"), nullptr);
  const RoomSnapshot s = room.snapshot();
  EXPECT_EQ(s.topic_by, "Alice_Smith") << "the nick, as every protocol can show it";
  EXPECT_GE(s.topic_time, s.created);
}

TEST(RoomLeaving, AQuitSaysWhetherTheUserAskedToGo) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  join(room, kCarol, id("Carol"));
  auto asked = room.leave(kAlice, "", true, {}, Ending::asked);
  ASSERT_NE(asked, nullptr);
  EXPECT_TRUE(asked->as<RoomEvent::Left>()->asked);
  auto lost = room.leave(kBob, "", true);
  ASSERT_NE(lost, nullptr);
  EXPECT_FALSE(lost->as<RoomEvent::Left>()->asked) << "lost connections by default";
  auto parted = room.leave(kCarol, "", false, {}, Ending::asked);
  ASSERT_NE(parted, nullptr);
  EXPECT_FALSE(parted->as<RoomEvent::Left>()->asked) << "only a quit ends a session";
}

}  // namespace
}  // namespace parley::core
