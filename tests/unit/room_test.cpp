// core/room: one room's members, topic and sequence.
#include "core/room.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace parley::core {
namespace {

// A name whose nick is itself, as an IRC user's would be.
Identity id(std::string name) { return Identity{name, name, {}, {}, {}}; }

using Kind = RoomEvent::Kind;

const SessionRef kAlice{0, 1};
const SessionRef kBob{2, 1};  // same id, another loop: another session
const SessionRef kCarol{2, 7};
const SessionRef kDave{1, 3};

std::vector<std::string> members(const Room& room) { return room.snapshot().members; }

TEST(Room, StartsEmpty) {
  Room room("Games", "games", 3);
  EXPECT_EQ(room.display(), "Games");
  EXPECT_EQ(room.topic(), "");
  EXPECT_EQ(room.size(), 0u);
  EXPECT_TRUE(room.empty());
  EXPECT_FALSE(room.contains(kAlice));
  for (LoopIndex l = 0; l < 3; ++l) EXPECT_FALSE(room.has_members_on(l));
  const RoomSnapshot s = room.snapshot();
  EXPECT_EQ(s.room, "Games");
  EXPECT_EQ(s.topic, "");
  EXPECT_TRUE(s.members.empty());
}

TEST(Room, JoinEventCarriesTheRoomAsTheJoinerFindsIt) {
  Room room("Games", "games", 3);
  auto first = room.join(kAlice, id("Alice"));
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->kind, Kind::joined);
  EXPECT_EQ(first->room, "Games");
  EXPECT_EQ(first->room_key, "games");
  EXPECT_EQ(first->seq, 1u);
  EXPECT_EQ(first->actor, kAlice);
  EXPECT_EQ(first->actor_name, "Alice");
  EXPECT_EQ(first->text, "");
  ASSERT_NE(first->snapshot, nullptr);
  EXPECT_EQ(first->snapshot->members, (std::vector<std::string>{"Alice"}));

  auto second = room.join(kBob, id("Bob"));
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->seq, 2u);
  EXPECT_EQ(second->snapshot->room, "Games");
  EXPECT_EQ(second->snapshot->members, (std::vector<std::string>{"Alice", "Bob"}));
  // The first snapshot is immutable: it still shows the room as Alice found it.
  EXPECT_EQ(first->snapshot->members, (std::vector<std::string>{"Alice"}));
  EXPECT_EQ(room.size(), 2u);
  EXPECT_TRUE(room.contains(kAlice));
  EXPECT_TRUE(room.contains(kBob));
  EXPECT_FALSE(room.contains(kCarol));
}

TEST(Room, SeqIncreasesByOnePerEventOfEveryKind) {
  Room room("r", "r", 1);
  const SessionRef a{0, 1};
  const SessionRef b{0, 2};
  std::vector<std::uint64_t> seqs;
  seqs.push_back(room.join(a, id("A"))->seq);
  seqs.push_back(room.join(b, id("B"))->seq);
  seqs.push_back(room.say(a, Kind::message, "hi")->seq);
  seqs.push_back(room.say(b, Kind::action, "waves")->seq);
  seqs.push_back(room.rename(a, id("A2"))->seq);
  seqs.push_back(room.set_topic(b, "t")->seq);
  seqs.push_back(room.leave(a, "")->seq);
  seqs.push_back(room.say(b, Kind::message, "alone")->seq);
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(Room, JoiningTwiceChangesNothing) {
  Room room("r", "r", 3);
  ASSERT_NE(room.join(kAlice, id("Alice")), nullptr);
  EXPECT_EQ(room.join(kAlice, id("Alice")), nullptr);
  EXPECT_EQ(room.join(kAlice, id("Other name")), nullptr);
  EXPECT_EQ(room.size(), 1u);
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice"}));
  EXPECT_EQ(room.say(kAlice, Kind::message, "x")->seq, 2u);  // no number was used up
}

TEST(Room, NonMembersCannotSpeakSetTopicRenameOrLeave) {
  Room room("r", "r", 3);
  ASSERT_NE(room.join(kAlice, id("Alice")), nullptr);
  EXPECT_EQ(room.say(kBob, Kind::message, "hi"), nullptr);
  EXPECT_EQ(room.say(kBob, Kind::action, "waves"), nullptr);
  EXPECT_EQ(room.set_topic(kBob, "mine"), nullptr);
  EXPECT_EQ(room.topic(), "");
  EXPECT_EQ(room.rename(kBob, id("Robert")), nullptr);
  EXPECT_EQ(room.leave(kBob, "bye"), nullptr);
  EXPECT_EQ(room.size(), 1u);
  EXPECT_EQ(room.say(kAlice, Kind::message, "x")->seq, 2u);
}

TEST(Room, SayCarriesKindTextAndSpeaker) {
  Room room("r", "r", 3);
  room.join(kAlice, id("Alice"));
  auto msg = room.say(kAlice, Kind::message, "hello");
  ASSERT_NE(msg, nullptr);
  EXPECT_EQ(msg->kind, Kind::message);
  EXPECT_EQ(msg->text, "hello");
  EXPECT_EQ(msg->actor, kAlice);
  EXPECT_EQ(msg->actor_name, "Alice");
  EXPECT_EQ(msg->snapshot, nullptr);
  auto act = room.say(kAlice, Kind::action, "waves");
  ASSERT_NE(act, nullptr);
  EXPECT_EQ(act->kind, Kind::action);
  EXPECT_EQ(act->text, "waves");
}

TEST(Room, LeaveEventCarriesTheReasonAndTheName) {
  Room room("r", "r", 3);
  room.join(kAlice, id("Alice"));
  room.join(kBob, id("Bob"));
  auto ev = room.leave(kAlice, "gone fishing");
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->kind, Kind::left);
  EXPECT_EQ(ev->actor, kAlice);
  EXPECT_EQ(ev->actor_name, "Alice");
  EXPECT_EQ(ev->text, "gone fishing");
  EXPECT_EQ(ev->seq, 3u);
  EXPECT_FALSE(room.contains(kAlice));
  EXPECT_EQ(room.leave(kAlice, "again"), nullptr);
  auto quiet = room.leave(kBob, "");
  ASSERT_NE(quiet, nullptr);
  EXPECT_EQ(quiet->text, "");
  EXPECT_TRUE(room.empty());
}

TEST(Room, RenameCarriesOldAndNewName) {
  Room room("r", "r", 3);
  room.join(kAlice, id("Alice"));
  auto ev = room.rename(kAlice, id("Alicia"));
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->kind, Kind::renamed);
  EXPECT_EQ(ev->actor_name, "Alice");
  EXPECT_EQ(ev->text, "Alicia");
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alicia"}));
  EXPECT_EQ(room.say(kAlice, Kind::message, "x")->actor_name, "Alicia");
  EXPECT_EQ(room.rename(kAlice, id("Alicia")), nullptr);  // no change, no event
  EXPECT_EQ(room.say(kAlice, Kind::message, "y")->seq, 4u);
}

TEST(Room, SetTopicChangesTheTopicAndTellsWho) {
  Room room("r", "r", 3);
  room.join(kAlice, id("Alice"));
  auto ev = room.set_topic(kAlice, "Board games on Friday");
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->kind, Kind::topic_changed);
  EXPECT_EQ(ev->actor_name, "Alice");
  EXPECT_EQ(ev->text, "Board games on Friday");
  EXPECT_EQ(room.topic(), "Board games on Friday");
  EXPECT_EQ(room.snapshot().topic, "Board games on Friday");
  auto joined = room.join(kBob, id("Bob"));
  EXPECT_EQ(joined->snapshot->topic, "Board games on Friday");
}

TEST(Room, SnapshotKeepsJoinOrder) {
  Room room("r", "r", 3);
  room.join(kAlice, id("Alice"));
  room.join(kBob, id("Bob"));
  room.join(kCarol, id("Carol"));
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice", "Bob", "Carol"}));
  room.leave(kBob, "");
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice", "Carol"}));
  room.join(kBob, id("Bob"));
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice", "Carol", "Bob"}));
  room.join(kDave, id("Dave"));
  room.leave(kAlice, "");
  EXPECT_EQ(members(room), (std::vector<std::string>{"Carol", "Bob", "Dave"}));
}

TEST(Room, HasMembersOnCountsPerLoop) {
  Room room("r", "r", 3);
  room.join(kBob, id("Bob"));      // loop 2
  room.join(kCarol, id("Carol"));  // loop 2
  EXPECT_FALSE(room.has_members_on(0));
  EXPECT_FALSE(room.has_members_on(1));
  EXPECT_TRUE(room.has_members_on(2));
  room.join(kAlice, id("Alice"));  // loop 0
  EXPECT_TRUE(room.has_members_on(0));
  room.leave(kBob, "");
  EXPECT_TRUE(room.has_members_on(2));  // Carol is still there
  room.leave(kCarol, "");
  EXPECT_FALSE(room.has_members_on(2));
  EXPECT_TRUE(room.has_members_on(0));
  room.join(kAlice, id("Alice"));  // a second join is not counted twice
  room.leave(kAlice, "");
  EXPECT_FALSE(room.has_members_on(0));
  room.leave(kAlice, "");  // nor a second leave
  EXPECT_FALSE(room.has_members_on(0));
  room.join(kDave, id("Dave"));
  EXPECT_TRUE(room.has_members_on(1));
  EXPECT_FALSE(room.has_members_on(0));
}


// --- moderation -------------------------------------------------------------------

Identity full_id(std::string nick, std::string user, std::string host) {
  return Identity{nick, nick, std::move(user), std::move(host), {}};
}

RoomChange set(RoomSetting setting, bool on, std::string arg = {}) { return RoomChange{setting, on, std::move(arg), {}, {}}; }

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
  room.join(kAlice, id("Alice"));
  room.join(kBob, id("Bob"));
  EXPECT_EQ(room.may_set_topic(kAlice), std::nullopt);  // the creator is an operator
  EXPECT_EQ(room.may_set_topic(kBob), Refusal::topic_locked);
  EXPECT_EQ(room.may_set_topic(kCarol), Refusal::not_in_room);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::topic_locked, false)}).ok());
  EXPECT_EQ(room.may_set_topic(kBob), std::nullopt);
}

TEST(RoomModeration, OnlyOperatorsChangeSettings) {
  Room room("r", "r", 3);
  room.join(kAlice, id("Alice"));
  room.join(kBob, id("Bob"));
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
  room.join(kAlice, id("Alice"));
  auto r = room.change(kAlice, {set(RoomSetting::moderated, true), set(RoomSetting::limit, true, "10"),
                                set(RoomSetting::key, true, "sesame"), set(RoomSetting::secret, true),
                                set(RoomSetting::invite_only, true)});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().refused.empty());
  const auto& ev = r.value().event;
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->kind, Kind::settings_changed);
  EXPECT_EQ(ev->seq, 2u);
  EXPECT_EQ(ev->actor, kAlice);
  ASSERT_EQ(ev->changes.size(), 5u);
  EXPECT_EQ(ev->changes[1].setting, RoomSetting::limit);
  EXPECT_EQ(ev->changes[1].arg, "10");
  EXPECT_EQ(ev->changes[2].arg, "sesame");
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
  room.join(kAlice, id("Alice"));
  auto r = room.change(kAlice, {set(RoomSetting::limit, true, "ten"), set(RoomSetting::limit, true, "0"),
                                set(RoomSetting::key, true, "two words"), set(RoomSetting::key, true, ""),
                                set(RoomSetting::ban, true, "a b"), set(RoomSetting::op, true, "Nobody"),
                                set(RoomSetting::moderated, true)});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().refused.size(), 6u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(r.value().refused[i].refusal, Refusal::invalid_setting) << i;
  EXPECT_EQ(r.value().refused[5].refusal, Refusal::no_such_member);
  ASSERT_NE(r.value().event, nullptr);  // the good one still applies
  ASSERT_EQ(r.value().event->changes.size(), 1u);
  EXPECT_EQ(r.value().event->changes[0].setting, RoomSetting::moderated);
}

TEST(RoomModeration, RolesByDisplayNameOrNick) {
  Room room("r", "r", 3);
  room.join(kAlice, id("Alice"));
  room.join(kBob, Identity{"Bob Smith", "Bob_Smith", "text", "h", {}});
  auto r = room.change(kAlice, {set(RoomSetting::voice, true, "bob smith"), set(RoomSetting::op, true, "BOB_SMITH")});
  ASSERT_TRUE(r.ok());
  ASSERT_NE(r.value().event, nullptr);
  ASSERT_EQ(r.value().event->changes.size(), 2u);
  EXPECT_EQ(r.value().event->changes[0].arg, "Bob Smith");  // as applied: the display name
  EXPECT_EQ(r.value().event->changes[0].target_nick, "Bob_Smith");
  EXPECT_EQ(r.value().event->changes[0].target, kBob);
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
  room.join(kAlice, id("Alice"));
  room.join(kBob, id("Bob"));
  room.join(kCarol, id("Carol"));
  EXPECT_EQ(room.may_speak(kBob), std::nullopt);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::moderated, true), set(RoomSetting::voice, true, "Carol")}).ok());
  EXPECT_EQ(room.may_speak(kAlice), std::nullopt);
  EXPECT_EQ(room.may_speak(kBob), Refusal::moderated);
  EXPECT_EQ(room.may_speak(kCarol), std::nullopt);
  EXPECT_EQ(room.may_speak(kDave), Refusal::not_in_room);
}

TEST(RoomModeration, JoinChecksBansInvitationsKeyAndLimit) {
  Room room("r", "r", 4);
  room.join(kAlice, id("Alice"));
  const Identity bob = full_id("Bob", "~bob", "10.0.0.7");
  EXPECT_EQ(room.may_join(kBob, bob, ""), std::nullopt);

  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::ban, true, "*!*@10.0.0.?")}).ok());
  EXPECT_EQ(room.may_join(kBob, bob, ""), Refusal::banned);
  EXPECT_EQ(room.may_join(kBob, full_id("Bob", "~bob", "10.0.0.17"), ""), std::nullopt);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::ban, false, "*!*@10.0.0.?")}).ok());
  EXPECT_EQ(room.may_join(kBob, bob, ""), std::nullopt);

  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::invite_only, true)}).ok());
  EXPECT_EQ(room.may_join(kBob, bob, ""), Refusal::invite_only);
  ASSERT_TRUE(room.invite(kAlice, kBob).ok());
  EXPECT_EQ(room.may_join(kBob, bob, ""), std::nullopt);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::key, true, "sesame")}).ok());
  EXPECT_EQ(room.may_join(kBob, bob, ""), Refusal::bad_key);
  EXPECT_EQ(room.may_join(kBob, bob, "wrong"), Refusal::bad_key);
  EXPECT_EQ(room.may_join(kBob, bob, "sesame"), std::nullopt);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::limit, true, "2")}).ok());
  EXPECT_EQ(room.may_join(kBob, bob, "sesame"), std::nullopt);
  room.join(kBob, bob);  // uses the invitation
  EXPECT_EQ(room.may_join(kCarol, id("Carol"), "sesame"), Refusal::invite_only);
  ASSERT_TRUE(room.invite(kAlice, kCarol).ok());
  EXPECT_EQ(room.may_join(kCarol, id("Carol"), "sesame"), Refusal::room_full);
  // An invitation is good for one join.
  room.leave(kBob, "");
  EXPECT_EQ(room.may_join(kBob, bob, "sesame"), Refusal::invite_only);
}

TEST(RoomModeration, BanMasksAreCompletedAndMatchedWithoutCase) {
  Room room("r", "r", 3);
  room.join(kAlice, id("Alice"));
  auto r = room.change(kAlice, {set(RoomSetting::ban, true, "zoë"), set(RoomSetting::ban, true, "~x@*.example")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(room.settings().bans, (std::vector<std::string>{"zoë!*@*", "*!~x@*.example"}));
  EXPECT_EQ(r.value().event->changes[0].arg, "zoë!*@*");
  EXPECT_EQ(room.may_join(kBob, full_id("ZOË", "text", "::1"), ""), Refusal::banned);
  EXPECT_EQ(room.may_join(kBob, full_id("Zoey", "text", "::1"), ""), std::nullopt);
  EXPECT_EQ(room.may_join(kBob, full_id("Y", "~X", "h.EXAMPLE"), ""), Refusal::banned);
  // The same mask in another case is already there; removing it works in any case.
  auto dup = room.change(kAlice, {set(RoomSetting::ban, true, "ZOË!*@*")});
  EXPECT_EQ(dup.value().event, nullptr);
  auto lift = room.change(kAlice, {set(RoomSetting::ban, false, "Zoë")});
  ASSERT_NE(lift.value().event, nullptr);
  EXPECT_EQ(lift.value().event->changes[0].arg, "zoë!*@*");  // as it was set
  EXPECT_EQ(room.settings().bans, (std::vector<std::string>{"*!~x@*.example"}));
}

TEST(RoomModeration, TheBanListIsBounded) {
  Room room("r", "r", 3);
  room.join(kAlice, id("Alice"));
  std::vector<RoomChange> many;
  for (int i = 0; i < 65; ++i) many.push_back(set(RoomSetting::ban, true, "n" + std::to_string(i)));
  auto r = room.change(kAlice, many);
  ASSERT_EQ(r.value().refused.size(), 1u);
  EXPECT_EQ(r.value().refused[0].refusal, Refusal::ban_list_full);
  EXPECT_EQ(room.settings().bans.size(), 64u);
}

TEST(RoomModeration, KickRemovesTheMemberByNameOrNick) {
  Room room("r", "r", 3);
  room.join(kAlice, id("Alice"));
  room.join(kBob, Identity{"Bob Smith", "Bob_Smith", "text", "h", {}});
  room.join(kCarol, id("Carol"));
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
  EXPECT_EQ(ev->kind, Kind::kicked);
  EXPECT_EQ(ev->actor, kAlice);
  EXPECT_EQ(ev->actor_name, "Alice");
  EXPECT_EQ(ev->target, kBob);
  EXPECT_EQ(ev->target_name, "Bob Smith");
  EXPECT_EQ(ev->target_nick, "Bob_Smith");
  EXPECT_EQ(ev->text, "spam");
  EXPECT_EQ(ev->seq, 4u);
  EXPECT_FALSE(room.contains(kBob));
  EXPECT_TRUE(room.has_members_on(2));  // Carol
  room.kick(kAlice, "Carol", "");
  EXPECT_FALSE(room.has_members_on(2));
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice"}));
}

TEST(RoomModeration, InvitingNeedsMembershipAndInInviteOnlyRoomsOperators) {
  Room room("r", "r", 3);
  room.join(kAlice, id("Alice"));
  room.join(kBob, id("Bob"));
  EXPECT_EQ(room.invite(kCarol, kDave).refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.invite(kAlice, kBob).refusal(), Refusal::already_member);
  EXPECT_TRUE(room.invite(kBob, kCarol).ok());  // any member, while the room is open
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::invite_only, true)}).ok());
  EXPECT_EQ(room.invite(kBob, kDave).refusal(), Refusal::not_operator);
  EXPECT_TRUE(room.invite(kAlice, kDave).ok());
  EXPECT_EQ(room.may_join(kDave, id("Dave"), ""), std::nullopt);
}

}  // namespace
}  // namespace parley::core
