// core/room: settings, roles, bans, keys, limits, invitations and kicks.
#include <gtest/gtest.h>

#include "room_fixture.h"

namespace parley::core {
namespace {

using namespace room_testing;

// --- moderation -------------------------------------------------------------------

TEST(RoomModeration, NewRoomsLockTheTopicAndNothingElse) {
  Room room("r", "r", 3);
  const RoomSettings& s = room.settings();
  EXPECT_TRUE(s.topic_locked);
  EXPECT_FALSE(s.moderated);
  EXPECT_FALSE(s.invite_only);
  EXPECT_FALSE(s.secret);
  EXPECT_EQ(s.key, "");
  EXPECT_EQ(s.limit, 0u);
  EXPECT_TRUE(s.bans.empty());
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  EXPECT_TRUE(room.set_topic(kAlice, "a").ok());  // the creator is an operator
  EXPECT_EQ(room.set_topic(kBob, "b").refusal(), Refusal::topic_locked);
  EXPECT_EQ(room.set_topic(kCarol, "c").refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.topic(), "a");
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::topic_locked, false)}).ok());
  EXPECT_TRUE(room.set_topic(kBob, "b").ok());
  EXPECT_EQ(room.topic(), "b");
}

TEST(RoomModeration, OnlyOperatorsChangeSettings) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  auto by_bob = room.change(kBob, {set(RoomSetting::moderated, true)});
  ASSERT_FALSE(by_bob.ok());
  EXPECT_EQ(by_bob.refusal(), Refusal::not_operator);
  auto by_stranger = room.change(kCarol, {set(RoomSetting::moderated, true)});
  ASSERT_FALSE(by_stranger.ok());
  EXPECT_EQ(by_stranger.refusal(), Refusal::not_in_room);
  EXPECT_FALSE(room.settings().moderated);
}

TEST(RoomModeration, ChangesAreOneEventInTheRoomsOrder) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  auto r = room.change(kAlice, {set(RoomSetting::moderated, true), set(RoomSetting::limit, true, "10"),
                                set(RoomSetting::key, true, "sesame"), set(RoomSetting::secret, true),
                                set(RoomSetting::invite_only, true)});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().refused.empty());
  const auto& ev = r.value().event;
  ASSERT_NE(ev, nullptr);
  EXPECT_NE(ev->as<RoomEvent::SettingsChanged>(), nullptr);
  EXPECT_EQ(ev->seq, 2u);
  EXPECT_EQ(ev->actor, kAlice);
  ASSERT_EQ(changes_of(ev).size(), 5u);
  EXPECT_EQ(changes_of(ev)[1].setting, RoomSetting::limit);
  EXPECT_EQ(changes_of(ev)[1].arg, "10");
  EXPECT_EQ(changes_of(ev)[2].arg, "sesame");
  const RoomSettings& s = room.settings();
  EXPECT_TRUE(s.moderated && s.secret && s.invite_only);
  EXPECT_EQ(s.limit, 10u);
  EXPECT_EQ(s.key, "sesame");
  EXPECT_EQ(room.snapshot().settings.key, "sesame");
  // Asking for what is so already changes nothing and says nothing.
  auto again = room.change(kAlice, {set(RoomSetting::moderated, true), set(RoomSetting::limit, true, "10")});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().event, nullptr);
  EXPECT_TRUE(again.value().refused.empty());
  auto off = room.change(kAlice, {set(RoomSetting::key, false), set(RoomSetting::limit, false)});
  ASSERT_TRUE(off.ok());
  ASSERT_NE(off.value().event, nullptr);
  EXPECT_EQ(off.value().event->seq, 3u);
  EXPECT_EQ(room.settings().key, "");
  EXPECT_EQ(room.settings().limit, 0u);
}

TEST(RoomModeration, BadParametersAreRefusedOneByOne) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  auto r = room.change(kAlice, {set(RoomSetting::limit, true, "ten"), set(RoomSetting::limit, true, "0"),
                                set(RoomSetting::key, true, "two words"), set(RoomSetting::key, true, ""),
                                set(RoomSetting::ban, true, "a b"), set(RoomSetting::op, true, "Nobody"),
                                set(RoomSetting::moderated, true)});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().refused.size(), 6u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(r.value().refused[i].refusal, Refusal::invalid_setting) << i;
  EXPECT_EQ(r.value().refused[5].refusal, Refusal::no_such_member);
  ASSERT_NE(r.value().event, nullptr);  // the good one still applies
  ASSERT_EQ(changes_of(r.value().event).size(), 1u);
  EXPECT_EQ(changes_of(r.value().event)[0].setting, RoomSetting::moderated);
}

TEST(RoomModeration, RolesByDisplayNameOrNick) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id(Identity{"Bob Smith", "Bob_Smith", "text", "h", {}}));
  auto r = room.change(kAlice, {set(RoomSetting::voice, true, "bob smith"), set(RoomSetting::op, true, "BOB_SMITH")});
  ASSERT_TRUE(r.ok());
  ASSERT_NE(r.value().event, nullptr);
  const auto& changes = changes_of(r.value().event);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].arg, "Bob Smith");  // as applied: the display name
  EXPECT_EQ(changes[0].target_nick, "Bob_Smith");
  EXPECT_EQ(changes[0].target, kBob);
  EXPECT_TRUE(room.is_voiced(kBob));
  EXPECT_TRUE(room.is_op(kBob));
  const auto entries = room.snapshot().entries;
  EXPECT_TRUE(entries[1].op && entries[1].voice);
  // Bob, now an operator, can take Alice's rights.
  ASSERT_TRUE(room.change(kBob, {set(RoomSetting::op, false, "Alice")}).ok());
  EXPECT_FALSE(room.is_op(kAlice));
  EXPECT_EQ(room.change(kAlice, {set(RoomSetting::moderated, true)}).refusal(), Refusal::not_operator);
}

TEST(RoomModeration, ModeratedRoomsHearOnlyOperatorsAndVoices) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  join(room, kCarol, id("Carol"));
  EXPECT_TRUE(room.say(kBob, Speech::message, "1").ok());
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::moderated, true), set(RoomSetting::voice, true, "Carol")}).ok());
  EXPECT_TRUE(room.say(kAlice, Speech::message, "2").ok());
  EXPECT_EQ(room.say(kBob, Speech::message, "3").refusal(), Refusal::moderated);
  EXPECT_TRUE(room.say(kCarol, Speech::message, "4").ok());
  EXPECT_EQ(room.say(kDave, Speech::message, "5").refusal(), Refusal::not_in_room);
  // A refusal uses up no number: seq 4 (joins 1-3) and 5 were the first message
  // and the settings; Alice's is 6, Carol's 7.
  EXPECT_EQ(say(room, kCarol, Speech::message, "6")->seq, 8u);
}

TEST(RoomModeration, JoinChecksBansInvitationsKeyAndLimit) {
  Room room("r", "r", 4);
  join(room, kAlice, id("Alice"));
  const SharedIdentity bob = full_id("Bob", "~bob", "10.0.0.7");
  EXPECT_EQ(room.may_join(kBob, *bob, ""), std::nullopt);

  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::ban, true, "*!*@10.0.0.?")}).ok());
  EXPECT_EQ(room.may_join(kBob, *bob, ""), Refusal::banned);
  EXPECT_EQ(room.may_join(kBob, *full_id("Bob", "~bob", "10.0.0.17"), ""), std::nullopt);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::ban, false, "*!*@10.0.0.?")}).ok());
  EXPECT_EQ(room.may_join(kBob, *bob, ""), std::nullopt);

  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::invite_only, true)}).ok());
  EXPECT_EQ(room.may_join(kBob, *bob, ""), Refusal::invite_only);
  ASSERT_TRUE(room.invite(kAlice, kBob, bob).ok());
  EXPECT_EQ(room.may_join(kBob, *bob, ""), std::nullopt);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::key, true, "sesame")}).ok());
  EXPECT_EQ(room.may_join(kBob, *bob, ""), Refusal::bad_key);
  EXPECT_EQ(room.may_join(kBob, *bob, "wrong"), Refusal::bad_key);
  EXPECT_EQ(room.may_join(kBob, *bob, "sesame"), std::nullopt);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::limit, true, "2")}).ok());
  EXPECT_EQ(room.may_join(kBob, *bob, "sesame"), std::nullopt);
  ASSERT_NE(join(room, kBob, bob, "sesame"), nullptr);  // uses the invitation
  EXPECT_EQ(room.may_join(kCarol, *id("Carol"), "sesame"), Refusal::invite_only);
  ASSERT_TRUE(room.invite(kAlice, kCarol, id("Carol")).ok());
  EXPECT_EQ(room.may_join(kCarol, *id("Carol"), "sesame"), Refusal::room_full);
  // An invitation is good for one join.
  room.leave(kBob, "");
  EXPECT_EQ(room.may_join(kBob, *bob, "sesame"), Refusal::invite_only);
}

// join() applies may_join itself: what may_join refuses, join refuses alike
// and changes nothing.
TEST(RoomModeration, JoinRefusesWhatMayJoinRefuses) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::key, true, "sesame")}).ok());
  auto refused = room.join(kBob, id("Bob"), "wrong");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.refusal(), Refusal::bad_key);
  EXPECT_FALSE(room.contains(kBob));
  EXPECT_FALSE(room.has_members_on(2));
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::key, false), set(RoomSetting::ban, true, "bob")}).ok());
  EXPECT_EQ(room.join(kBob, id("Bob")).refusal(), Refusal::banned);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::ban, false, "bob"), set(RoomSetting::limit, true, "1")}).ok());
  EXPECT_EQ(room.join(kBob, id("Bob")).refusal(), Refusal::room_full);
  // Refusals use up no number: the last settings change was 4.
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::limit, false)}).ok());
  auto in = join(room, kBob, id("Bob"));
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(in->seq, 6u);
}

TEST(RoomModeration, BanMasksAreCompletedAndMatchedWithoutCase) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  auto r = room.change(kAlice, {set(RoomSetting::ban, true, "zoë"), set(RoomSetting::ban, true, "~x@*.example")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(room.settings().bans, (std::vector<std::string>{"zoë!*@*", "*!~x@*.example"}));
  EXPECT_EQ(changes_of(r.value().event)[0].arg, "zoë!*@*");
  EXPECT_EQ(room.may_join(kBob, *full_id("ZOË", "text", "::1"), ""), Refusal::banned);
  EXPECT_EQ(room.may_join(kBob, *full_id("Zoey", "text", "::1"), ""), std::nullopt);
  EXPECT_EQ(room.may_join(kBob, *full_id("Y", "~X", "h.EXAMPLE"), ""), Refusal::banned);
  // The same mask in another case is already there; removing it works in any case.
  auto dup = room.change(kAlice, {set(RoomSetting::ban, true, "ZOË!*@*")});
  EXPECT_EQ(dup.value().event, nullptr);
  auto lift = room.change(kAlice, {set(RoomSetting::ban, false, "Zoë")});
  ASSERT_NE(lift.value().event, nullptr);
  EXPECT_EQ(changes_of(lift.value().event)[0].arg, "zoë!*@*");  // as it was set
  EXPECT_EQ(room.settings().bans, (std::vector<std::string>{"*!~x@*.example"}));
}

TEST(RoomModeration, TheBanListIsBounded) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  std::vector<RoomChange> many;
  for (int i = 0; i < 65; ++i) many.push_back(set(RoomSetting::ban, true, "n" + std::to_string(i)));
  auto r = room.change(kAlice, many);
  ASSERT_EQ(r.value().refused.size(), 1u);
  EXPECT_EQ(r.value().refused[0].refusal, Refusal::ban_list_full);
  EXPECT_EQ(room.settings().bans.size(), 64u);
}

TEST(RoomModeration, KickRemovesTheMemberByNameOrNick) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id(Identity{"Bob Smith", "Bob_Smith", "text", "h", {}}));
  join(room, kCarol, id("Carol"));
  auto by_bob = room.kick(kBob, "Carol", "");
  ASSERT_FALSE(by_bob.ok());
  EXPECT_EQ(by_bob.refusal(), Refusal::not_operator);
  auto nobody = room.kick(kAlice, "Dave", "");
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.refusal(), Refusal::no_such_member);
  auto stranger = room.kick(kDave, "Alice", "");
  EXPECT_EQ(stranger.refusal(), Refusal::not_in_room);

  auto kicked = room.kick(kAlice, "bob_smith", "spam");
  ASSERT_TRUE(kicked.ok());
  const auto& ev = kicked.value();
  const auto* k = ev->as<RoomEvent::Kicked>();
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(ev->actor, kAlice);
  EXPECT_EQ(ev->by().display, "Alice");
  EXPECT_EQ(k->target, kBob);
  ASSERT_NE(k->target_identity, nullptr);
  EXPECT_EQ(k->target_identity->display, "Bob Smith");
  EXPECT_EQ(k->target_identity->nick, "Bob_Smith");
  EXPECT_EQ(k->reason, "spam");
  EXPECT_EQ(ev->seq, 4u);
  EXPECT_FALSE(room.contains(kBob));
  EXPECT_TRUE(room.has_members_on(2));  // Carol
  room.kick(kAlice, "Carol", "");
  EXPECT_FALSE(room.has_members_on(2));
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice"}));
}

TEST(RoomModeration, InvitingNeedsMembershipAndInInviteOnlyRoomsOperators) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  EXPECT_EQ(room.invite(kCarol, kDave, id("Dave")).refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.invite(kAlice, kBob, id("Bob")).refusal(), Refusal::already_member);
  EXPECT_TRUE(room.invite(kBob, kCarol, id("Carol")).ok());  // any member, while the room is open
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::invite_only, true)}).ok());
  EXPECT_EQ(room.invite(kBob, kDave, id("Dave")).refusal(), Refusal::not_operator);
  EXPECT_TRUE(room.invite(kAlice, kDave, id("Dave")).ok());
  EXPECT_EQ(room.may_join(kDave, *id("Dave"), ""), std::nullopt);
}

}  // namespace
}  // namespace parley::core
