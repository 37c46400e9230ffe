// core/room: registration (founder and operators by account, kept as a
// RoomRecord), and server operators acting on a room from outside it.
#include <gtest/gtest.h>

#include "room_fixture.h"

namespace parley::core {
namespace {

using namespace room_testing;

SharedIdentity account_id(std::string name, std::string account, bool server_operator = false) {
  Identity i{name, name, "u", "h", {}};
  i.presence.account = std::move(account);
  i.presence.server_operator = server_operator;
  return id(std::move(i));
}

bool op_on_join(Room& room, SessionRef who, SharedIdentity identity) {
  join(room, who, std::move(identity));
  return room.is_op(who);
}

TEST(RoomRegistration, AnOperatorLoggedInRegistersTheRoom) {
  Room room("Cafe", "cafe", 3);
  join(room, kAlice, account_id("Alice", "alice"));
  join(room, kBob, account_id("Bob", "bob"));
  join(room, kCarol, id("Carol"));
  EXPECT_EQ(room.register_to(kBob, *account_id("Bob", "bob")), Refusal::not_operator);
  EXPECT_EQ(room.register_to(kDave, *account_id("Dave", "dave")), Refusal::not_in_room);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::op, true, "Carol")}).ok());
  EXPECT_EQ(room.register_to(kCarol, *id("Carol")), Refusal::not_logged_in);
  EXPECT_FALSE(room.registered());
  EXPECT_EQ(room.register_to(kAlice, *account_id("Alice", "Alice_Acct")), std::nullopt);
  EXPECT_TRUE(room.registered());
  EXPECT_EQ(room.record().founder, "Alice_Acct");
  EXPECT_EQ(room.register_to(kAlice, *account_id("Alice", "Alice_Acct")), Refusal::room_registered);
}

TEST(RoomRegistration, AServerOperatorMayRegisterFromOutside) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  EXPECT_EQ(room.register_to(kDave, *account_id("Oper", "oper", true)), std::nullopt);
  EXPECT_EQ(room.record().founder, "oper");
}

TEST(RoomRegistration, FounderAndOperatorsByAccountGetOpsOnJoiningAndNobodyElse) {
  Room room("r", "r", 3);
  join(room, kAlice, account_id("Alice", "alice"));
  ASSERT_EQ(room.register_to(kAlice, *account_id("Alice", "alice")), std::nullopt);
  join(room, kBob, account_id("Bob", "bob"));
  // +o on a logged-in member makes its account an operator; on a guest, only the member.
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::op, true, "Bob")}).ok());
  join(room, kCarol, id("Carol"));
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::op, true, "Carol")}).ok());
  EXPECT_EQ(room.record().operators, (std::vector<std::string>{"bob"}));
  room.leave(kAlice, {});
  room.leave(kBob, {});
  room.leave(kCarol, {});
  ASSERT_TRUE(room.empty());
  // Empty and registered: the first joiner is no operator unless its account says so.
  EXPECT_FALSE(op_on_join(room, kCarol, id("Carol")));
  EXPECT_FALSE(op_on_join(room, kDave, account_id("Dave", "dave")));
  EXPECT_TRUE(op_on_join(room, kAlice, account_id("Alice", "ALICE")));  // accounts compare case-folded
  EXPECT_TRUE(op_on_join(room, kBob, account_id("Bob", "bob")));
}

TEST(RoomRegistration, DeopForgetsTheAccountButNeverTheFounder) {
  Room room("r", "r", 3);
  join(room, kAlice, account_id("Alice", "alice"));
  ASSERT_EQ(room.register_to(kAlice, *account_id("Alice", "alice")), std::nullopt);
  join(room, kBob, account_id("Bob", "bob"));
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::op, true, "Bob")}).ok());
  ASSERT_TRUE(room.change(kBob, {set(RoomSetting::op, false, "Bob"), set(RoomSetting::op, false, "Alice")}).ok());
  EXPECT_TRUE(room.record().operators.empty());
  EXPECT_EQ(room.record().founder, "alice");
  room.leave(kAlice, {});
  EXPECT_TRUE(op_on_join(room, kAlice, account_id("Alice", "alice")));
}

TEST(RoomRegistration, OnlyTheFounderOrAServerOperatorUnregisters) {
  Room room("r", "r", 3);
  join(room, kAlice, account_id("Alice", "alice"));
  ASSERT_EQ(room.register_to(kAlice, *account_id("Alice", "alice")), std::nullopt);
  EXPECT_EQ(room.unregister(*account_id("Bob", "bob")), Refusal::not_founder);
  EXPECT_EQ(room.unregister(*id("Alice")), Refusal::not_founder);  // the founder's nick is not its account
  EXPECT_EQ(room.unregister(*account_id("Oper", "", true)), std::nullopt);
  EXPECT_FALSE(room.registered());
  EXPECT_EQ(room.unregister(*account_id("Alice", "alice")), Refusal::room_not_registered);
  ASSERT_EQ(room.register_to(kAlice, *account_id("Alice", "alice")), std::nullopt);
  EXPECT_EQ(room.unregister(*account_id("Alice", "Alice")), std::nullopt);
}

TEST(RoomRegistration, TheRecordRestoresSettingsTopicAndRoles) {
  Room room("Cafe", "cafe", 3);
  join(room, kAlice, account_id("Alice", "alice"));
  ASSERT_EQ(room.register_to(kAlice, *account_id("Alice", "alice")), std::nullopt);
  join(room, kBob, account_id("Bob", "bob"));
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::op, true, "Bob"), set(RoomSetting::key, true, "k"),
                                   set(RoomSetting::ban, true, "eve"), set(RoomSetting::ban_exception, true, "*!*@ok"),
                                   set(RoomSetting::invite_exception, true, "zoe"), set(RoomSetting::moderated, true),
                                   set(RoomSetting::limit, true, "9"), set(RoomSetting::no_outside, false)})
                  .ok());
  ASSERT_TRUE(room.set_topic(kAlice, "Coffee").ok());
  const RoomRecord kept = room.record();
  EXPECT_EQ(kept.key, "cafe");
  EXPECT_EQ(kept.name, "Cafe");
  EXPECT_EQ(kept.topic_by, "Alice");

  Room again("Cafe", "cafe", 3);  // as after a restart
  again.restore(kept);
  EXPECT_TRUE(again.registered());
  EXPECT_EQ(again.record(), kept);
  EXPECT_EQ(again.topic(), "Coffee");
  EXPECT_EQ(again.settings().key, "k");
  EXPECT_EQ(again.may_join(kCarol, *full_id("eve", "x", "y"), "k"), Refusal::banned);
  EXPECT_EQ(again.may_join(kCarol, *full_id("carol", "x", "y"), ""), Refusal::bad_key);
  ASSERT_NE(join(again, kBob, account_id("Bob", "bob"), "k"), nullptr);
  EXPECT_TRUE(again.is_op(kBob));
  EXPECT_EQ(again.snapshot().topic_by, "Alice");
}

// --- server operators from outside ------------------------------------------------

TEST(RoomOverride, AServerOperatorOutsideChangesSettingsKicksAndSetsTheTopic) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  const SharedIdentity oper = oper_id("Oper");
  auto changed = room.change(kDave, {set(RoomSetting::moderated, true), set(RoomSetting::op, true, "Bob")}, oper);
  ASSERT_TRUE(changed.ok());
  ASSERT_NE(changed.value().event, nullptr);
  EXPECT_TRUE(changed.value().event->outsider);  // the operator hears it though not a member
  EXPECT_EQ(changed.value().event->by().nick, "Oper");
  EXPECT_TRUE(room.settings().moderated);
  EXPECT_TRUE(room.is_op(kBob));
  auto topic = room.set_topic(kDave, "fixed", oper);
  ASSERT_TRUE(topic.ok());
  EXPECT_TRUE(topic.value()->outsider);
  EXPECT_EQ(room.snapshot().topic_by, "Oper");
  auto kicked = room.kick(kDave, "Alice", "spam", oper);
  ASSERT_TRUE(kicked.ok());
  EXPECT_TRUE(kicked.value()->outsider);
  EXPECT_EQ(members(room), (std::vector<std::string>{"Bob"}));
  EXPECT_FALSE(room.contains(kDave));  // acting is not joining
}

TEST(RoomOverride, AnyoneElseOutsideIsRefusedWhateverIdentityTheyClaim) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  EXPECT_EQ(room.change(kDave, {set(RoomSetting::moderated, true)}, id("Dave")).refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.change(kDave, {set(RoomSetting::moderated, true)}).refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.kick(kDave, "Alice", "x", id("Dave")).refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.set_topic(kDave, "x", id("Dave")).refusal(), Refusal::not_in_room);
  // A member's own identity decides, not the one passed: Bob is no operator.
  EXPECT_EQ(room.kick(kBob, "Alice", "x", oper_id("Bob")).refusal(), Refusal::not_operator);
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice", "Bob"}));
}

}  // namespace
}  // namespace parley::core
