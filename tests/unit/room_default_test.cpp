// core/room: the server's default room (permanent) and server operators.
#include <gtest/gtest.h>

#include "room_fixture.h"

namespace parley::core {
namespace {

using namespace room_testing;

// --- the server's default room (permanent) and server operators --------------------

TEST(DefaultRoom, NobodyBecomesItsOperatorByJoiningFirst) {
  Room lobby("lobby", "lobby", 3, {}, true);
  EXPECT_TRUE(lobby.permanent());
  ASSERT_NE(join(lobby, kAlice, id("Alice")), nullptr);
  EXPECT_FALSE(lobby.is_op(kAlice));
  EXPECT_FALSE(lobby.snapshot().entries[0].op);
  EXPECT_EQ(lobby.change(kAlice, {set(RoomSetting::moderated, true)}).refusal(), Refusal::not_operator);
  EXPECT_EQ(lobby.kick(kAlice, "Alice", "").refusal(), Refusal::not_operator);
  EXPECT_EQ(lobby.set_topic(kAlice, "mine").refusal(), Refusal::topic_locked);
  // An ordinary room's first member is its operator, as before.
  Room games("games", "games", 3);
  EXPECT_FALSE(games.permanent());
  join(games, kAlice, id("Alice"));
  EXPECT_TRUE(games.is_op(kAlice));
}

TEST(DefaultRoom, OnlyServerOperatorsCloseIt) {
  Room lobby("lobby", "lobby", 3, {}, true);
  join(lobby, kAlice, oper_id("Root"));
  join(lobby, kBob, id("Bob"));
  // The server operator makes Bob a room operator.
  ASSERT_TRUE(lobby.change(kAlice, {set(RoomSetting::op, true, "Bob")}).ok());
  ASSERT_TRUE(lobby.is_op(kBob));
  // Bob moderates, but may not close the room: invite-only, a key and a limit
  // are refused one by one (not_server_operator); the rest applies.
  auto r = lobby.change(kBob, {set(RoomSetting::invite_only, true), set(RoomSetting::key, true, "sesame"),
                               set(RoomSetting::limit, true, "5"), set(RoomSetting::moderated, true),
                               set(RoomSetting::secret, true), set(RoomSetting::ban, true, "spam*")});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().refused.size(), 3u);
  EXPECT_EQ(r.value().refused[0].change.setting, RoomSetting::invite_only);
  EXPECT_EQ(r.value().refused[1].change.setting, RoomSetting::key);
  EXPECT_EQ(r.value().refused[2].change.setting, RoomSetting::limit);
  for (const auto& refused : r.value().refused) EXPECT_EQ(refused.refusal, Refusal::not_server_operator);
  ASSERT_EQ(changes_of(r.value().event).size(), 3u);
  const RoomSettings& s = lobby.settings();
  EXPECT_FALSE(s.invite_only);
  EXPECT_EQ(s.key, "");
  EXPECT_EQ(s.limit, 0u);
  EXPECT_TRUE(s.moderated && s.secret);
  EXPECT_EQ(s.bans.size(), 1u);
  // The server operator may.
  auto by_root = lobby.change(kAlice, {set(RoomSetting::invite_only, true), set(RoomSetting::key, true, "sesame"),
                                       set(RoomSetting::limit, true, "5")});
  ASSERT_TRUE(by_root.ok());
  EXPECT_TRUE(by_root.value().refused.empty());
  EXPECT_TRUE(lobby.settings().invite_only);
  EXPECT_EQ(lobby.settings().key, "sesame");
  EXPECT_EQ(lobby.settings().limit, 5u);
  // Opening it again is no closing: Bob may.
  auto reopened = lobby.change(kBob, {set(RoomSetting::invite_only, false), set(RoomSetting::key, false),
                                      set(RoomSetting::limit, false)});
  ASSERT_TRUE(reopened.ok());
  EXPECT_TRUE(reopened.value().refused.empty());
  EXPECT_FALSE(lobby.settings().invite_only);
  EXPECT_EQ(lobby.settings().key, "");
  EXPECT_EQ(lobby.settings().limit, 0u);
}

TEST(DefaultRoom, AnOrdinaryRoomsOperatorMayCloseIt) {
  Room games("games", "games", 3);
  join(games, kAlice, id("Alice"));
  auto r = games.change(kAlice, {set(RoomSetting::invite_only, true), set(RoomSetting::key, true, "k"),
                                 set(RoomSetting::limit, true, "5")});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().refused.empty());
}

TEST(ServerOperators, ModerateARoomTheyDoNotOperate) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));  // the room's operator
  join(room, kBob, id("Bob"));
  join(room, kCarol, oper_id("Root"));
  ASSERT_FALSE(room.is_op(kCarol));
  // Settings, the locked topic, kicks, and invitations to an invite-only room.
  auto changed = room.change(kCarol, {set(RoomSetting::moderated, true), set(RoomSetting::invite_only, true)});
  ASSERT_TRUE(changed.ok());
  EXPECT_TRUE(changed.value().refused.empty());
  EXPECT_TRUE(room.settings().moderated && room.settings().invite_only);
  auto topic = room.set_topic(kCarol, "by the server");
  ASSERT_TRUE(topic.ok());
  EXPECT_EQ(room.topic(), "by the server");
  EXPECT_TRUE(room.invite(kCarol, kDave, id("Dave")).ok());
  auto kicked = room.kick(kCarol, "Alice", "");
  ASSERT_TRUE(kicked.ok());
  EXPECT_FALSE(room.contains(kAlice));
  // Being a server operator is not being a room operator: the room's roles
  // (op, voice) are unchanged, and a moderated room's voice is still a role.
  EXPECT_FALSE(room.is_op(kCarol));
  EXPECT_EQ(room.say(kBob, Speech::message, "hi").refusal(), Refusal::moderated);
}

TEST(ServerOperators, AnInviteOnlyRoomsInvitationsAreToldToThemToo) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  join(room, kCarol, oper_id("Root"));
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::invite_only, true)}).ok());
  auto ev = room.invite(kAlice, kDave, id("Dave"));
  ASSERT_TRUE(ev.ok());
  const auto* invited = ev.value()->as<RoomEvent::Invited>();
  ASSERT_NE(invited, nullptr);
  EXPECT_EQ(invited->audience, (std::vector<SessionRef>{kAlice, kCarol}));
  EXPECT_EQ(invited->invitee->display, "Dave");
}

}  // namespace
}  // namespace parley::core
