// core/room: one room's members, topic and sequence.
#include <gtest/gtest.h>

#include "core/message_id.h"
#include "room_fixture.h"

namespace parley::core {
namespace {

using namespace room_testing;

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
  EXPECT_TRUE(s.entries.empty());
}

// An event's id ends with its time (core/message_id.h): the SQLite store
// finds a line by that time, keeping no index by id.
TEST(Room, EventIdsCarryTheirTime) {
  Room room("Games", "games", 3);
  auto first = join(room, kAlice, id("Alice"));
  auto second = say(room, kAlice, Speech::message, "hi");
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(message_id_ms(first->id), wall_ms(first->time));
  EXPECT_EQ(message_id_ms(second->id), wall_ms(second->time));
  EXPECT_NE(first->id, second->id);
  EXPECT_EQ(first->id.find_first_of(" ;\\\r\n"), std::string::npos) << "a plain IRC tag value";
  // The room's prefix, the event's number in the room, then the time.
  const std::string prefix = first->id.substr(0, first->id.find('-') + 1);
  EXPECT_EQ(first->id, timed_message_id(prefix + "1", first->time));
  EXPECT_EQ(second->id, timed_message_id(prefix + "2", second->time));
}

TEST(MessageIds, OnlyAnIdEndingInAHexTimeCarriesOne) {
  EXPECT_EQ(message_id_ms(timed_message_id("abc-7", WallTime(std::chrono::milliseconds(0x18c2f)))), 0x18c2f);
  EXPECT_EQ(message_id_ms("3a9f1c18c2f00-12"), std::nullopt) << "made before ids carried their time";
  EXPECT_EQ(message_id_ms("p18c-0-2-5"), std::nullopt);
  EXPECT_EQ(message_id_ms("x."), std::nullopt);
  EXPECT_EQ(message_id_ms("x.12G"), std::nullopt);
  EXPECT_EQ(message_id_ms("x.ABC"), std::nullopt) << "as made: lower case";
  EXPECT_EQ(message_id_ms("x.1234567890abcdef"), std::nullopt) << "past 15 digits: not a time";
  EXPECT_EQ(message_id_ms("x.1.ff"), 0xff);
}

// Written by hand, not by fmt: the same text as the "{}.{:x}" it replaced.
TEST(MessageIds, TheTimeIsLowerCaseHexAfterADot) {
  using std::chrono::milliseconds;
  EXPECT_EQ(timed_message_id("abc-7", WallTime(milliseconds(0))), "abc-7.0");
  EXPECT_EQ(timed_message_id("abc-7", WallTime(milliseconds(0x18c2f))), "abc-7.18c2f");
  EXPECT_EQ(timed_message_id("", WallTime(milliseconds(1764892800123))), ".19aebcef47b");  // 2025-12-05
  EXPECT_EQ(timed_message_id("r", WallTime(milliseconds(0x8637bd05af5))), "r.8637bd05af5");  // the clock's last
}

TEST(Room, JoinEventCarriesTheRoomAsTheJoinerFindsIt) {
  Room room("Games", "games", 3);
  auto first = room.join(kAlice, id("Alice"));
  ASSERT_TRUE(first.ok());
  const EventPtr& mine = first.value().for_joiner;
  ASSERT_NE(mine, nullptr);
  EXPECT_NE(mine->as<RoomEvent::Joined>(), nullptr);
  EXPECT_EQ(mine->room, "Games");
  EXPECT_EQ(mine->room_key, "games");
  EXPECT_EQ(mine->seq, 1u);
  EXPECT_EQ(mine->actor, kAlice);
  EXPECT_EQ(mine->by().display, "Alice");
  ASSERT_NE(snapshot_of(mine), nullptr);
  EXPECT_EQ(names_in(*snapshot_of(mine)), (std::vector<std::string>{"Alice"}));
  // The members' copy is the same event (same number and id), without the snapshot.
  const EventPtr& theirs = first.value().for_members;
  ASSERT_NE(theirs, nullptr);
  EXPECT_NE(theirs->as<RoomEvent::Joined>(), nullptr);
  EXPECT_EQ(theirs->seq, mine->seq);
  EXPECT_EQ(theirs->id, mine->id);
  EXPECT_EQ(snapshot_of(theirs), nullptr);

  auto second = join(room, kBob, id("Bob"));
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->seq, 2u);
  ASSERT_NE(snapshot_of(second), nullptr);
  EXPECT_EQ(snapshot_of(second)->room, "Games");
  EXPECT_EQ(names_in(*snapshot_of(second)), (std::vector<std::string>{"Alice", "Bob"}));
  // The first snapshot is immutable: it still shows the room as Alice found it.
  EXPECT_EQ(names_in(*snapshot_of(mine)), (std::vector<std::string>{"Alice"}));
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
  seqs.push_back(join(room, a, id("A"))->seq);
  seqs.push_back(join(room, b, id("B"))->seq);
  seqs.push_back(say(room, a, Speech::message, "hi")->seq);
  seqs.push_back(say(room, b, Speech::action, "waves")->seq);
  seqs.push_back(room.rename(a, id("A2"))->seq);
  // The creator (a) is the operator: it may set the locked topic.
  seqs.push_back(set_topic(room, a, "t")->seq);
  seqs.push_back(room.leave(a, "")->seq);
  seqs.push_back(say(room, b, Speech::message, "alone")->seq);
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(Room, JoiningTwiceChangesNothing) {
  Room room("r", "r", 3);
  ASSERT_NE(join(room, kAlice, id("Alice")), nullptr);
  auto again = room.join(kAlice, id("Alice"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().for_members, nullptr);
  EXPECT_EQ(again.value().for_joiner, nullptr);
  EXPECT_EQ(join(room, kAlice, id("Other name")), nullptr);
  EXPECT_EQ(room.size(), 1u);
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice"}));
  EXPECT_EQ(say(room, kAlice, Speech::message, "x")->seq, 2u);  // no number was used up
}

TEST(Room, NonMembersCannotSpeakSetTopicRenameOrLeave) {
  Room room("r", "r", 3);
  ASSERT_NE(join(room, kAlice, id("Alice")), nullptr);
  EXPECT_EQ(room.say(kBob, Speech::message, "hi").refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.say(kBob, Speech::action, "waves").refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.set_topic(kBob, "mine").refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.topic(), "");
  EXPECT_EQ(room.rename(kBob, id("Robert")), nullptr);
  EXPECT_EQ(room.leave(kBob, "bye"), nullptr);
  EXPECT_EQ(room.size(), 1u);
  EXPECT_EQ(say(room, kAlice, Speech::message, "x")->seq, 2u);
}

TEST(Room, SayCarriesKindTextAndSpeaker) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  auto msg = say(room, kAlice, Speech::message, "hello");
  ASSERT_NE(msg, nullptr);
  ASSERT_NE(msg->as<Said>(), nullptr);
  EXPECT_EQ(msg->as<Said>()->speech, Speech::message);
  EXPECT_EQ(msg->as<Said>()->text, "hello");
  EXPECT_EQ(msg->actor, kAlice);
  EXPECT_EQ(msg->by().display, "Alice");
  EXPECT_EQ(msg->as<RoomEvent::Joined>(), nullptr);
  auto act = say(room, kAlice, Speech::action, "waves");
  ASSERT_NE(act, nullptr);
  EXPECT_EQ(act->as<Said>()->speech, Speech::action);
  EXPECT_EQ(said(act), "waves");
}

TEST(Room, LeaveEventCarriesTheReasonAndTheName) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  auto ev = room.leave(kAlice, "gone fishing");
  ASSERT_NE(ev, nullptr);
  ASSERT_NE(ev->as<RoomEvent::Left>(), nullptr);
  EXPECT_EQ(ev->actor, kAlice);
  EXPECT_EQ(ev->by().display, "Alice");
  EXPECT_EQ(ev->as<RoomEvent::Left>()->reason, "gone fishing");
  EXPECT_FALSE(ev->as<RoomEvent::Left>()->quit);
  EXPECT_EQ(ev->seq, 3u);
  EXPECT_FALSE(room.contains(kAlice));
  EXPECT_EQ(room.leave(kAlice, "again"), nullptr);
  auto quiet = room.leave(kBob, "");
  ASSERT_NE(quiet, nullptr);
  EXPECT_EQ(quiet->as<RoomEvent::Left>()->reason, "");
  EXPECT_TRUE(room.empty());
}

TEST(Room, RenameCarriesOldAndNewName) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  auto ev = room.rename(kAlice, id("Alicia"));
  ASSERT_NE(ev, nullptr);
  ASSERT_NE(ev->as<RoomEvent::Renamed>(), nullptr);
  EXPECT_EQ(ev->by().display, "Alice");
  EXPECT_EQ(ev->as<RoomEvent::Renamed>()->to->display, "Alicia");
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alicia"}));
  EXPECT_EQ(say(room, kAlice, Speech::message, "x")->by().display, "Alicia");
  EXPECT_EQ(room.rename(kAlice, id("Alicia")), nullptr);  // no change, no event
  EXPECT_EQ(say(room, kAlice, Speech::message, "y")->seq, 4u);
}

TEST(Room, SetTopicChangesTheTopicAndTellsWho) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  auto ev = set_topic(room, kAlice, "Board games on Friday");
  ASSERT_NE(ev, nullptr);
  ASSERT_NE(ev->as<RoomEvent::TopicChanged>(), nullptr);
  EXPECT_EQ(ev->by().display, "Alice");
  EXPECT_EQ(ev->as<RoomEvent::TopicChanged>()->topic, "Board games on Friday");
  EXPECT_EQ(room.topic(), "Board games on Friday");
  EXPECT_EQ(room.snapshot().topic, "Board games on Friday");
  auto joined = join(room, kBob, id("Bob"));
  EXPECT_EQ(snapshot_of(joined)->topic, "Board games on Friday");
}

TEST(Room, SnapshotKeepsJoinOrder) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  join(room, kCarol, id("Carol"));
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice", "Bob", "Carol"}));
  room.leave(kBob, "");
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice", "Carol"}));
  join(room, kBob, id("Bob"));
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice", "Carol", "Bob"}));
  join(room, kDave, id("Dave"));
  room.leave(kAlice, "");
  EXPECT_EQ(members(room), (std::vector<std::string>{"Carol", "Bob", "Dave"}));
}

TEST(Room, HasMembersOnCountsPerLoop) {
  Room room("r", "r", 3);
  join(room, kBob, id("Bob"));      // loop 2
  join(room, kCarol, id("Carol"));  // loop 2
  EXPECT_FALSE(room.has_members_on(0));
  EXPECT_FALSE(room.has_members_on(1));
  EXPECT_TRUE(room.has_members_on(2));
  join(room, kAlice, id("Alice"));  // loop 0
  EXPECT_TRUE(room.has_members_on(0));
  room.leave(kBob, "");
  EXPECT_TRUE(room.has_members_on(2));  // Carol is still there
  room.leave(kCarol, "");
  EXPECT_FALSE(room.has_members_on(2));
  EXPECT_TRUE(room.has_members_on(0));
  join(room, kAlice, id("Alice"));  // a second join is not counted twice
  room.leave(kAlice, "");
  EXPECT_FALSE(room.has_members_on(0));
  room.leave(kAlice, "");  // nor a second leave
  EXPECT_FALSE(room.has_members_on(0));
  join(room, kDave, id("Dave"));
  EXPECT_TRUE(room.has_members_on(1));
  EXPECT_FALSE(room.has_members_on(0));
}

}  // namespace
}  // namespace parley::core
