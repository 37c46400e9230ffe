// core/hub: room settings, roles, bans, invitations and kicks.
#include <gtest/gtest.h>

#include "hub_fixture.h"

namespace parley::core {
namespace {

using namespace hub_testing;

// --- moderation -------------------------------------------------------------------

TEST_P(HubTest, SettingsChangesReachEveryMemberInTheRoomsOrder) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& c = w.enter(loop(2), "Carol", {"games"});
  w.forget_events();
  ASSERT_TRUE(w.hub.rooms().say(b.ref, "games", Speech::message, "before").ok());
  auto r = Moderation::change(w, a, "games", {mode(RoomSetting::moderated, true), mode(RoomSetting::voice, true, "carol")});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().empty());
  const std::vector<std::string> expected{"#games 4 message Bob: before", "#games 5 settings Alice +1 +8Carol"};
  EXPECT_EQ(a.member.seen(), expected);
  EXPECT_EQ(b.member.seen(), expected);
  EXPECT_EQ(c.member.seen(), expected);
  ASSERT_EQ(changes_of(c.member.events.back()).size(), 2u);
  EXPECT_EQ(changes_of(c.member.events.back())[1].target, c.ref);
  auto info = w.info(a, "games");
  ASSERT_TRUE(info && info->ok());
  EXPECT_TRUE(info->value().settings.moderated);
  EXPECT_TRUE(info->value().entries[2].voice);
  EXPECT_FALSE(info->value().entries[1].voice);
}

TEST_P(HubTest, SettingsRefusals) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& c = w.enter(loop(2), "Carol", {"lobby"});
  w.forget_events();
  auto not_op = Moderation::change(w, b, "games", {mode(RoomSetting::moderated, true)});
  ASSERT_FALSE(not_op.ok());
  EXPECT_EQ(not_op.refusal(), Refusal::not_operator);
  auto not_in = Moderation::change(w, c, "games", {mode(RoomSetting::moderated, true)});
  ASSERT_FALSE(not_in.ok());
  EXPECT_EQ(not_in.refusal(), Refusal::not_in_room);
  auto partly = Moderation::change(w, a, "games", {mode(RoomSetting::op, true, "Carol"), mode(RoomSetting::limit, true, "x")});
  ASSERT_TRUE(partly.ok());
  ASSERT_EQ(partly.value().size(), 2u);
  EXPECT_EQ(partly.value()[0].refusal, Refusal::no_such_member);
  EXPECT_EQ(partly.value()[1].refusal, Refusal::invalid_setting);
  EXPECT_TRUE(a.member.events.empty());
  EXPECT_TRUE(b.member.events.empty());
}

TEST_P(HubTest, ModeratedRoomsRefuseTheVoicelessLater) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::moderated, true)}).ok());
  w.forget_events();
  std::optional<Refusal> refused;
  ASSERT_TRUE(w.hub.rooms().say(b.ref, "games", Speech::message, "hello?", [&](Refusal no) { refused = no; }).ok());
  w.poster.run_all();
  EXPECT_EQ(refused, Refusal::moderated);
  EXPECT_TRUE(a.member.events.empty());
  ASSERT_TRUE(w.hub.rooms().say(a.ref, "games", Speech::message, "ops speak", [&](Refusal) { ADD_FAILURE(); }).ok());
  w.poster.run_all();
  EXPECT_EQ(b.member.seen(), (std::vector<std::string>{"#games 4 message Alice: ops speak"}));
}

TEST_P(HubTest, LockedTopicsAreForOperators) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  w.forget_events();
  std::optional<Refusal> refused;
  ASSERT_TRUE(w.hub.rooms().set_topic(b.ref, "games", "mine", [&](Refusal no) { refused = no; }).ok());
  w.poster.run_all();
  EXPECT_EQ(refused, Refusal::topic_locked);
  EXPECT_TRUE(a.member.events.empty());
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::topic_locked, false)}).ok());
  refused.reset();
  ASSERT_TRUE(w.hub.rooms().set_topic(b.ref, "games", "mine", [&](Refusal no) { refused = no; }).ok());
  w.poster.run_all();
  EXPECT_EQ(refused, std::nullopt);
  EXPECT_EQ(a.member.seen().back(), "#games 4 topic Bob: mine");
}

TEST_P(HubTest, TheRoomRefusesJoinsAndTheJoinerCanTryAgain) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {});
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::key, true, "sesame")}).ok());
  w.forget_events();
  EXPECT_EQ(Moderation::join(w, b, "games"), Refusal::bad_key);
  EXPECT_FALSE(in_rooms(w, b, "games"));
  EXPECT_TRUE(a.member.events.empty());
  EXPECT_TRUE(b.member.events.empty());
  EXPECT_EQ(Moderation::join(w, b, "games", "wrong"), Refusal::bad_key);
  EXPECT_EQ(Moderation::join(w, b, "games", "sesame"), std::nullopt);
  EXPECT_TRUE(in_rooms(w, b, "games"));
  EXPECT_EQ(a.member.seen(), (std::vector<std::string>{"#games 3 joined Bob"}));
}

TEST_P(HubTest, BansLimitsAndInvitations) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {});
  Person& c = w.enter(loop(2), "Carol", {});
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::ban, true, "bob")}).ok());
  EXPECT_EQ(Moderation::join(w, b, "games"), Refusal::banned);
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::ban, false, "bob"), mode(RoomSetting::limit, true, "2"),
                                                  mode(RoomSetting::invite_only, true)}).ok());
  EXPECT_EQ(Moderation::join(w, b, "games"), Refusal::invite_only);
  auto invited = Moderation::invite(w, a, "bob", "#Games");
  ASSERT_TRUE(invited.ok());
  EXPECT_EQ(invited.value().display, "Bob");
  ASSERT_EQ(b.member.invitations.size(), 1u);
  EXPECT_EQ(b.member.invitations[0].inviter->display, "Alice");
  EXPECT_EQ(b.member.invitations[0].room, "games");
  EXPECT_EQ(Moderation::join(w, b, "games"), std::nullopt);
  ASSERT_TRUE(Moderation::invite(w, a, "Carol", "games").ok());
  EXPECT_EQ(Moderation::join(w, c, "games"), Refusal::room_full);
  EXPECT_FALSE(in_rooms(w, c, "games"));
}

TEST_P(HubTest, InviteRefusals) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& c = w.enter(loop(2), "Carol", {"lobby"});
  EXPECT_EQ(Moderation::invite(w, a, "Nobody", "games").refusal(), Refusal::no_such_user);
  EXPECT_EQ(Moderation::invite(w, c, "Alice", "games").refusal(), Refusal::not_in_room);
  EXPECT_EQ(Moderation::invite(w, a, "Bob", "games").refusal(), Refusal::already_member);
  EXPECT_EQ(Moderation::invite(w, a, "Carol", "a b").refusal(), Refusal::room_name_invalid);
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::invite_only, true)}).ok());
  EXPECT_EQ(Moderation::invite(w, b, "Carol", "games").refusal(), Refusal::not_operator);
  EXPECT_TRUE(c.member.invitations.empty());
}

TEST_P(HubTest, KickReachesEveryoneAndTheKickedLeaves) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& c = w.enter(loop(2), "Carol", {"games"});
  w.forget_events();
  ASSERT_TRUE(Moderation::kick(w, a, "games", "bob", "spam").ok());
  const std::vector<std::string> expected{"#games 4 kicked Alice Bob: spam"};
  EXPECT_EQ(a.member.seen(), expected);
  EXPECT_EQ(b.member.seen(), expected);
  EXPECT_EQ(c.member.seen(), expected);
  EXPECT_FALSE(in_rooms(w, b, "games"));
  // Nothing more reaches Bob from there, and he may come back.
  ASSERT_TRUE(w.hub.rooms().say(c.ref, "games", Speech::message, "bye Bob").ok());
  w.poster.run_all();
  EXPECT_EQ(b.member.events.size(), 1u);
  std::optional<Refusal> refused;
  ASSERT_TRUE(w.hub.rooms().say(b.ref, "games", Speech::message, "hey", [&](Refusal no) { refused = no; }).ok());
  w.poster.run_all();
  EXPECT_EQ(refused, Refusal::not_in_room);
  EXPECT_EQ(b.member.events.size(), 1u);
  EXPECT_EQ(Moderation::join(w, b, "games"), std::nullopt);
  EXPECT_EQ(b.member.seen().back(), "#games 6 joined Bob");
  auto info = w.info(a, "games");
  EXPECT_EQ(names_in(info->value()), (std::vector<std::string>{"Alice", "Carol", "Bob"}));
}

TEST_P(HubTest, KickRefusals) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& c = w.enter(loop(2), "Carol", {"lobby"});
  w.forget_events();
  EXPECT_EQ(Moderation::kick(w, b, "games", "Alice").refusal(), Refusal::not_operator);
  EXPECT_EQ(Moderation::kick(w, c, "games", "Alice").refusal(), Refusal::not_in_room);
  EXPECT_EQ(Moderation::kick(w, a, "games", "Carol").refusal(), Refusal::no_such_member);
  EXPECT_TRUE(a.member.events.empty());
  EXPECT_TRUE(in_rooms(w, b, "games"));
}

TEST_P(HubTest, KickingTheLastMemberForgetsTheRoom) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  ASSERT_TRUE(Moderation::kick(w, a, "games", "Alice").ok());
  EXPECT_FALSE(in_rooms(w, a, "games"));
  auto info = w.info(a, "games");
  EXPECT_EQ(info->refusal(), Refusal::no_such_room);
}

TEST_P(HubTest, AKickedMemberWhoAlreadyAskedToRejoinStaysJoining) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  // Bob parts and rejoins while the kick is on its way to him.
  std::optional<Result<Done>> kicked;
  w.hub.rooms().kick(a.ref, "games", "Bob", "", [&](Result<Done> r) { kicked = r; });
  ASSERT_TRUE(w.hub.rooms().part(b.ref, "games", "").ok());
  ASSERT_TRUE(w.hub.rooms().join(b.ref, "games").ok());
  w.poster.run_all();
  ASSERT_TRUE(kicked && kicked->ok());
  EXPECT_TRUE(in_rooms(w, b, "games"));
  ASSERT_TRUE(w.hub.rooms().say(b.ref, "games", Speech::message, "back").ok());
  w.poster.run_all();
  EXPECT_EQ(a.member.seen().back(), "#games " + std::to_string(a.member.events.back().seq) + " message Bob: back");
}

TEST_P(HubTest, SecretRoomsAreListedOnlyToMembers) {
  Person& a = w.enter(loop(0), "Alice", {"games", "lobby"});
  Person& b = w.enter(loop(1), "Bob", {"lobby"});
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::secret, true)}).ok());
  EXPECT_EQ(w.rooms(a), (std::vector<std::string>{"#games (1)", "#lobby (2)"}));
  EXPECT_EQ(w.rooms(b), (std::vector<std::string>{"#lobby (2)"}));
}

}  // namespace
}  // namespace parley::core
