// core/room: one room's members, topic and sequence.
#include "core/room.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace parley::core
