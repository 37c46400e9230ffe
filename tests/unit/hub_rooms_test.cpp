// core/hub: joining, speaking in and leaving rooms; listing rooms, topics and
// the hub's limits.
#include <gtest/gtest.h>

#include "hub_fixture.h"

namespace parley::core {
namespace {

using namespace hub_testing;

// --- rooms ------------------------------------------------------------------------

TEST_P(HubTest, JoinAnswersWithTheCheckedNameAndTheJoinedEventFollows) {
  Person& a = w.enter(loop(0), "Alice", {});
  auto r = w.hub.rooms().join(a.ref, " #Games ");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().display, "Games");
  EXPECT_EQ(r.value().key, "games");
  EXPECT_TRUE(a.member.events.empty());  // not yet: the room's home loop decides
  w.poster.run_all();
  EXPECT_EQ(a.member.seen(), (std::vector<std::string>{"#Games 1 joined Alice"}));
  EXPECT_EQ(a.member.snapshots, (std::vector<std::vector<std::string>>{{"Alice"}}));
}

TEST_P(HubTest, JoinRefusals) {
  Person& a = w.enter(loop(1), "Alice", {"lobby"});
  auto bad = w.hub.rooms().join(a.ref, "a b");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.refusal(), Refusal::room_name_invalid);
  auto long_name = w.hub.rooms().join(a.ref, std::string(51, 'r'));
  ASSERT_FALSE(long_name.ok());
  EXPECT_EQ(long_name.refusal(), Refusal::room_name_too_long);
  auto twice = w.hub.rooms().join(a.ref, "#LOBBY");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.refusal(), Refusal::already_in_room);
  // Joining is refused for a room being joined, too.
  ASSERT_TRUE(w.hub.rooms().join(a.ref, "games").ok());
  auto pending = w.hub.rooms().join(a.ref, "games");
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.refusal(), Refusal::already_in_room);
  w.poster.run_all();
}

TEST_P(HubTest, PartSayAndTopicNeedMembership) {
  Person& a = w.enter(loop(1), "Alice", {"lobby"});
  Person& b = w.enter(loop(2), "Bob", {"games"});
  w.forget_events();
  auto part = w.hub.rooms().part(a.ref, "games", "");
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.refusal(), Refusal::not_in_room);
  // Only the room knows whether it lets outsiders speak (it does not, by
  // default): the refusal comes from there.
  std::optional<Refusal> said;
  auto say = w.hub.rooms().say(a.ref, "games", Speech::message, "hi", [&](Refusal no) { said = no; });
  ASSERT_TRUE(say.ok());
  auto topic = w.hub.rooms().set_topic(a.ref, "games", "mine");
  ASSERT_FALSE(topic.ok());
  EXPECT_EQ(topic.refusal(), Refusal::not_in_room);
  w.poster.run_all();
  EXPECT_EQ(said, Refusal::not_in_room);
  EXPECT_TRUE(b.member.events.empty());
  said.reset();
  ASSERT_TRUE(w.hub.rooms().say(a.ref, "nowhere", Speech::message, "hi", [&](Refusal no) { said = no; }).ok());
  w.poster.run_all();
  EXPECT_EQ(said, Refusal::no_such_room);
}

TEST_P(HubTest, JoinSayPartReachEveryMemberInOneOrder) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& c = w.enter(loop(2), "Carol", {"games"});
  ASSERT_TRUE(w.hub.rooms().say(a.ref, "games", Speech::message, "one").ok());
  ASSERT_TRUE(w.hub.rooms().say(c.ref, "games", Speech::action, "waves").ok());
  ASSERT_TRUE(w.hub.rooms().say(b.ref, "games", Speech::message, "two").ok());
  ASSERT_TRUE(w.hub.rooms().part(b.ref, "games", "bye").ok());
  w.poster.run_all();
  ASSERT_TRUE(w.hub.rooms().say(a.ref, "games", Speech::message, "three").ok());
  w.poster.run_all();
  const std::vector<std::string> after_all_joined = {"#games 4 message Alice: one", "#games 5 action Carol: waves",
                                                     "#games 6 message Bob: two", "#games 7 left Bob: bye"};
  std::vector<std::string> for_a = {"#games 1 joined Alice", "#games 2 joined Bob", "#games 3 joined Carol"};
  for_a.insert(for_a.end(), after_all_joined.begin(), after_all_joined.end());
  for_a.push_back("#games 8 message Alice: three");
  EXPECT_EQ(a.member.seen(), for_a);
  std::vector<std::string> for_b = {"#games 2 joined Bob", "#games 3 joined Carol"};
  for_b.insert(for_b.end(), after_all_joined.begin(), after_all_joined.end());
  EXPECT_EQ(b.member.seen(), for_b);
  std::vector<std::string> for_c = {"#games 3 joined Carol"};
  for_c.insert(for_c.end(), after_all_joined.begin(), after_all_joined.end());
  for_c.push_back("#games 8 message Alice: three");
  EXPECT_EQ(c.member.seen(), for_c);
  EXPECT_EQ(c.member.snapshots, (std::vector<std::vector<std::string>>{{"Alice", "Bob", "Carol"}}));
}

TEST_P(HubTest, LeaveReasonReachesTheOthers) {
  Person& a = w.enter(loop(0), "Alice", {"lobby", "games"});
  Person& b = w.enter(loop(1), "Bob", {"lobby", "games"});
  w.forget_events();
  w.hub.detach(a.ref, "gone home");
  w.poster.run_all();
  const std::vector<std::string> seen = b.member.seen();
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()),
            (std::set<std::string>{"#lobby 3 left Alice: gone home", "#games 3 left Alice: gone home"}));
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_TRUE(a.member.events.empty());
}

TEST_P(HubTest, AnEmptyRoomIsForgotten) {
  Person& a = w.enter(loop(0), "Alice", {"lobby"});
  Person& b = w.enter(loop(2), "Bob", {"lobby"});
  ASSERT_TRUE(w.hub.rooms().join(a.ref, "games").ok());
  w.poster.run_all();
  ASSERT_TRUE(w.hub.rooms().set_topic(a.ref, "games", "old topic").ok());
  w.poster.run_all();
  EXPECT_EQ(w.rooms(b), (std::vector<std::string>{"#games (1) old topic", "#lobby (2)"}));
  ASSERT_TRUE(w.hub.rooms().part(a.ref, "games", "").ok());
  w.poster.run_all();
  EXPECT_EQ(w.rooms(b), (std::vector<std::string>{"#lobby (2)"}));
  auto info = w.info(b, "games");
  ASSERT_TRUE(info && !info->ok());
  EXPECT_EQ(info->refusal(), Refusal::no_such_room);
  // Created afresh: a new sequence and no topic.
  w.forget_events();
  ASSERT_TRUE(w.hub.rooms().join(b.ref, "GAMES").ok());
  w.poster.run_all();
  EXPECT_EQ(b.member.seen(), (std::vector<std::string>{"#GAMES 1 joined Bob"}));
  info = w.info(b, "games");
  ASSERT_TRUE(info && info->ok());
  EXPECT_EQ(info->value().topic, "");
}

TEST_P(HubTest, ARoomNameThatLooksLikeAnExistingRoomsIsRefused) {
  Person& a = w.enter(loop(0), "Alice", {"alice"});
  Person& m = w.enter(loop(1), "Mallory", {});
  // Cyrillic А and fullwidth Ａ: homed with #alice (one skeleton), so its
  // home can tell; on any loop count.
  for (const char* lookalike : {"\xD0\x90lice", "\xEF\xBC\xA1lice"}) {
    EXPECT_EQ(Moderation::join(w, m, lookalike), Refusal::room_name_confusable) << lookalike;
    EXPECT_FALSE(in_rooms(w, m, lookalike));
  }
  EXPECT_EQ(Moderation::join(w, m, "ALICE"), std::nullopt);  // the room itself, by another case
  EXPECT_EQ(Moderation::join(w, m, "alicia"), std::nullopt);
  // Once the room is gone, the lookalike is a room like any other.
  ASSERT_TRUE(w.hub.rooms().part(a.ref, "alice", "").ok());
  ASSERT_TRUE(w.hub.rooms().part(m.ref, "alice", "").ok());
  w.poster.run_all();
  EXPECT_EQ(Moderation::join(w, m, "\xD0\x90lice"), std::nullopt);
  EXPECT_EQ(Moderation::join(w, a, "alice"), Refusal::room_name_confusable);
}

TEST_P(HubTest, RoomInfoShowsMembersInJoinOrder) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  w.enter(loop(1), "Bob", {"games"});
  w.enter(loop(2), "Carol", {"games"});
  auto info = w.info(a, "#Games");
  ASSERT_TRUE(info && info->ok());
  EXPECT_EQ(info->value().room, "games");
  EXPECT_EQ(names_in(info->value()), (std::vector<std::string>{"Alice", "Bob", "Carol"}));
  auto bad = w.info(a, "no good");
  ASSERT_TRUE(bad && !bad->ok());
  EXPECT_EQ(bad->refusal(), Refusal::room_name_invalid);
}

// --- list_rooms, topics, limits -----------------------------------------------

TEST_P(HubTest, ListRoomsGathersFromEveryLoop) {
  Person& a = w.enter(loop(0), "Alice", {"lobby", "games", "art"});
  w.enter(loop(1), "Bob", {"lobby", "music"});
  w.enter(loop(2), "Carol", {"lobby", "games", "zen", "books"});
  ASSERT_TRUE(w.hub.rooms().set_topic(a.ref, "art", "Paint").ok());
  w.poster.run_all();
  EXPECT_EQ(w.rooms(a), (std::vector<std::string>{"#art (1) Paint", "#books (1)", "#games (2)", "#lobby (3)",
                                                  "#music (1)", "#zen (1)"}));
}

TEST_P(HubTest, ListRoomsWithNoRooms) {
  Person& a = w.enter(loop(1), "Alice", {});
  EXPECT_TRUE(w.rooms(a).empty());
}

TEST_P(HubTest, TopicLengthIsLimitedInCharacters) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  w.forget_events();
  std::string at_limit;
  for (int i = 0; i < 390; ++i) at_limit += "\xC3\xA9";  // 780 bytes, 390 characters
  ASSERT_TRUE(w.hub.rooms().set_topic(a.ref, "games", at_limit).ok());
  auto past = w.hub.rooms().set_topic(a.ref, "games", at_limit + "x");
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.refusal(), Refusal::topic_too_long);
  w.poster.run_all();
  ASSERT_EQ(b.member.events.size(), 1u);
  ASSERT_NE(b.member.events[0].as<RoomEvent::TopicChanged>(), nullptr);
  EXPECT_EQ(text_of(b.member.events[0]), at_limit);
  auto info = w.info(b, "games");
  ASSERT_TRUE(info && info->ok());
  EXPECT_EQ(info->value().topic, at_limit);
}

TEST(HubLimits, RoomsPerUserAtAndPastTheEdge) {
  HubLimits limits;
  limits.rooms_per_user = 3;
  World w(3, limits);
  Person& a = w.enter(0, "Alice", {"lobby", "one"});
  ASSERT_TRUE(w.hub.rooms().join(a.ref, "two").ok());  // the third: at the limit
  auto past = w.hub.rooms().join(a.ref, "three");
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.refusal(), Refusal::too_many_rooms);
  w.poster.run_all();
  EXPECT_EQ(w.rooms(a), (std::vector<std::string>{"#lobby (1)", "#one (1)", "#two (1)"}));
  ASSERT_TRUE(w.hub.rooms().part(a.ref, "one", "").ok());
  EXPECT_TRUE(w.hub.rooms().join(a.ref, "three").ok());  // a part frees a place at once
  EXPECT_FALSE(w.hub.rooms().join(a.ref, "four").ok());
  w.poster.run_all();
  EXPECT_EQ(w.rooms(a), (std::vector<std::string>{"#lobby (1)", "#three (1)", "#two (1)"}));
}

TEST(HubLimits, NameAndRoomLimitsComeFromHubLimits) {
  HubLimits limits;
  limits.name_chars = 4;
  limits.room_chars = 3;
  limits.topic_chars = 2;
  World w(1, limits);
  Person& a = w.attach(0);
  auto longer = w.claim(a, "Alice");
  ASSERT_FALSE(longer.ok());
  EXPECT_EQ(longer.refusal(), Refusal::name_too_long);
  ASSERT_TRUE(w.claim(a, "Alic").ok());
  EXPECT_EQ(w.hub.rooms().join(a.ref, "abcd").refusal(), Refusal::room_name_too_long);
  ASSERT_TRUE(w.hub.rooms().join(a.ref, "abc").ok());
  w.poster.run_all();
  EXPECT_EQ(w.hub.rooms().set_topic(a.ref, "abc", "xyz").refusal(), Refusal::topic_too_long);
  EXPECT_TRUE(w.hub.rooms().set_topic(a.ref, "abc", "xy").ok());
  w.poster.run_all();
}

}  // namespace
}  // namespace parley::core
