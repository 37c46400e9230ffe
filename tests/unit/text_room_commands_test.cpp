// text/TextSession: the room commands (/join, /part, /rooms, /who, /topic).
#include <gtest/gtest.h>

#include "text_session_fixture.h"

namespace parley::text {
namespace {

using namespace text_testing;

TEST_P(ChatTest, JoinCreatesSwitchesAndPrefixesOtherRooms) {
  w.type(*zoe, "/join games");
  EXPECT_EQ(zoe->take(), (Lines{"You joined #games. Members (1): Zo\xC3\xAB"}));
  EXPECT_EQ(raj->take(), Lines{});

  w.type(*raj, "/JOIN #Games");
  EXPECT_EQ(raj->take(), (Lines{"You joined #games. Members (2): Zo\xC3\xAB, Raj Ingle"}));
  EXPECT_EQ(zoe->take(), (Lines{"Raj Ingle has joined the chat room!"}));

  w.type(*zoe, "/join #LOBBY");  // already in it: switch
  EXPECT_EQ(zoe->take(), (Lines{"You are now talking in #lobby."}));

  w.type(*raj, "hi");  // Raj talks in #games
  EXPECT_EQ(raj->take(), (Lines{"Message from User - Raj Ingle: hi"}));
  EXPECT_EQ(zoe->take(), (Lines{"[#games] Message from User - Raj Ingle: hi"}));

  w.type(*zoe, "back");  // Zoë talks in #lobby
  EXPECT_EQ(zoe->take(), (Lines{"Message from User - Zo\xC3\xAB: back"}));
  EXPECT_EQ(raj->take(), (Lines{"[#lobby] Message from User - Zo\xC3\xAB: back"}));

  w.type(*zoe, "/me waves");
  EXPECT_EQ(zoe->take(), (Lines{"* Zo\xC3\xAB waves"}));
  EXPECT_EQ(raj->take(), (Lines{"[#lobby] * Zo\xC3\xAB waves"}));

  Peer& k = w.connect(loop(2));
  w.type(k, "Keerthi");
  k.take();
  EXPECT_EQ(raj->take(), (Lines{"[#lobby] Keerthi has joined the chat room!"}));
  EXPECT_EQ(zoe->take(), (Lines{"Keerthi has joined the chat room!"}));
  w.type(k, "/join games");
  EXPECT_EQ(k.take(), (Lines{"You joined #games. Members (3): Zo\xC3\xAB, Raj Ingle, Keerthi"}));
  EXPECT_EQ(raj->take(), (Lines{"Keerthi has joined the chat room!"}));
  EXPECT_EQ(zoe->take(), (Lines{"[#games] Keerthi has joined the chat room!"}));
  w.type(k, "/part games");
  EXPECT_EQ(raj->take(), (Lines{"Keerthi left #games."}));
  EXPECT_EQ(zoe->take(), (Lines{"[#games] Keerthi left #games."}));
}

TEST_P(ChatTest, JoinShowsTheTopic) {
  w.type(*raj, "/join games");
  w.type(*raj, "/topic Board games on Friday");
  EXPECT_EQ(raj->take(), (Lines{"You joined #games. Members (1): Raj Ingle",
                                "Raj Ingle set the topic of #games to: Board games on Friday"}));
  w.type(*zoe, "/join games");
  EXPECT_EQ(zoe->take(),
            (Lines{"You joined #games. Members (2): Raj Ingle, Zo\xC3\xAB", "Topic of #games: Board games on Friday"}));
}

TEST_P(ChatTest, JoinMisuse) {
  w.type(*zoe, "/join");
  EXPECT_EQ(zoe->take(), (Lines{"Usage: /join ROOM [KEY]"}));
  for (const char* bad : {"/join a,b", "/join a:b", "/join #", "/join a\x07" "b"}) {
    w.type(*zoe, bad);
    EXPECT_EQ(zoe->take(),
              (Lines{"Error: a room name is 1 or more characters with no spaces, control characters, ',' or ':'."}))
        << bad;
  }
  w.type(*zoe, "/join " + std::string(51, 'r'));
  EXPECT_EQ(zoe->take(), (Lines{"Error: a room name can be at most 50 characters long."}));
  w.type(*zoe, "/join " + std::string(50, 'r'));
  EXPECT_EQ(zoe->take(), (Lines{"You joined #" + std::string(50, 'r') + ". Members (1): Zo\xC3\xAB"}));
}

TEST(TextLimits, TooManyRooms) {
  HubLimits limits;
  limits.rooms_per_user = 2;
  TextWorld w(2, limits);
  Peer& zoe = w.login(1, "Zo\xC3\xAB");
  w.type(zoe, "/join games");  // the second room: at the limit
  EXPECT_EQ(zoe.take(), (Lines{"You joined #games. Members (1): Zo\xC3\xAB"}));
  w.type(zoe, "/join art");
  EXPECT_EQ(zoe.take(), (Lines{"Error: you can be in at most 2 rooms."}));
  w.type(zoe, "hi");  // still talking in #games
  EXPECT_EQ(zoe.take(), (Lines{"Message from User - Zo\xC3\xAB: hi"}));
  w.type(zoe, "/part lobby");
  w.type(zoe, "/join art");
  EXPECT_EQ(zoe.take(), (Lines{"You left #lobby.", "You are now talking in #games.",
                               "You joined #art. Members (1): Zo\xC3\xAB"}));
}

TEST_P(ChatTest, PartTheCurrentRoomThenTheLast) {
  w.type(*zoe, "/join games");
  w.type(*raj, "/join games");
  w.forget();
  w.type(*zoe, "/part");
  EXPECT_EQ(zoe->take(), (Lines{"You left #games.", "You are now talking in #lobby."}));
  EXPECT_EQ(raj->take(), (Lines{"Zo\xC3\xAB left #games."}));
  w.type(*zoe, "/part");
  EXPECT_EQ(zoe->take(), (Lines{"You left #lobby.", "You are not in any room. Use /join ROOM to enter one."}));
  EXPECT_EQ(raj->take(), (Lines{"[#lobby] Zo\xC3\xAB left #lobby."}));

  w.type(*zoe, "anyone?");
  EXPECT_EQ(zoe->take(), (Lines{"Error: you are not in any room. Use /join ROOM to enter one."}));
  w.type(*zoe, "/me waves");
  EXPECT_EQ(zoe->take(), (Lines{"Error: you are not in any room. Use /join ROOM to enter one."}));
  w.type(*zoe, "/topic");
  EXPECT_EQ(zoe->take(), (Lines{"Error: you are not in any room. Use /join ROOM to enter one."}));
  w.type(*zoe, "/part");
  EXPECT_EQ(zoe->take(), (Lines{"Error: you are not in any room."}));
  w.type(*zoe, "/who");
  EXPECT_EQ(zoe->take(), (Lines{"Usage: /who ROOM"}));
  EXPECT_EQ(raj->take(), Lines{});
}

TEST_P(ChatTest, PartAnotherRoomKeepsTheCurrentOne) {
  w.type(*zoe, "/join games");
  w.type(*zoe, "/join lobby");
  w.forget();
  w.type(*zoe, "/part #GAMES");
  EXPECT_EQ(zoe->take(), (Lines{"You left #games.", "You are now talking in #lobby."}));
  w.type(*zoe, "/part games");
  EXPECT_EQ(zoe->take(), (Lines{"Error: you are not in #games."}));
  w.type(*zoe, "/part a,b");
  EXPECT_EQ(zoe->take(),
            (Lines{"Error: a room name is 1 or more characters with no spaces, control characters, ',' or ':'."}));
}

TEST_P(ChatTest, Rooms) {
  w.type(*zoe, "/join games");
  w.type(*raj, "/join music");
  w.type(*raj, "/join games");
  w.forget();
  w.type(*zoe, "/rooms");
  EXPECT_EQ(zoe->take(), (Lines{"Rooms (3): #games (2), #lobby (2), #music (1)"}));
  w.type(*raj, "/part music");
  w.forget();
  w.type(*raj, "/rooms   ");
  EXPECT_EQ(raj->take(), (Lines{"Rooms (2): #games (2), #lobby (2)"}));
  // No room with anyone in it: no list, and no trailing space either.
  for (const char* room : {"games", "lobby"}) {
    w.type(*raj, std::string("/part ") + room);
    w.type(*zoe, std::string("/part ") + room);
  }
  w.forget();
  w.type(*raj, "/rooms");
  EXPECT_EQ(raj->take(), (Lines{"Rooms (0)."}));
}

TEST_P(ChatTest, Who) {
  w.type(*zoe, "/who");
  EXPECT_EQ(zoe->take(), (Lines{"Members of #lobby (2): Raj Ingle, Zo\xC3\xAB"}));
  w.type(*raj, "/join games");
  w.forget();
  w.type(*zoe, "/who #GAMES");
  EXPECT_EQ(zoe->take(), (Lines{"Members of #games (1): Raj Ingle (operator)"}));  // its creator
  w.type(*zoe, "/who nowhere");
  EXPECT_EQ(zoe->take(), (Lines{"Error: there is no room #nowhere."}));
  w.type(*zoe, "/who a b");
  EXPECT_EQ(zoe->take(),
            (Lines{"Error: a room name is 1 or more characters with no spaces, control characters, ',' or ':'."}));
}

TEST_P(ChatTest, Topic) {
  meet_in_games();
  w.type(*zoe, "/topic");
  EXPECT_EQ(zoe->take(), (Lines{"#games has no topic."}));
  // New rooms lock the topic to operators; Raj, the room's first member, is one.
  w.type(*zoe, "/topic Fun times");
  EXPECT_EQ(zoe->take(), (Lines{"Error: only operators of #games can change its topic."}));
  EXPECT_EQ(raj->take(), Lines{});
  w.type(*raj, "/mode -t");
  EXPECT_EQ(zoe->take(), (Lines{"Raj Ingle set #games so that anyone in it can change the topic."}));
  raj->take();
  w.type(*zoe, "/topic Fun times");
  EXPECT_EQ(zoe->take(), (Lines{"Zo\xC3\xAB set the topic of #games to: Fun times"}));
  EXPECT_EQ(raj->take(), (Lines{"Zo\xC3\xAB set the topic of #games to: Fun times"}));
  w.type(*raj, "/topic");
  EXPECT_EQ(raj->take(), (Lines{"Topic of #games: Fun times"}));
  w.type(*raj, "/topic \x1B[5mblink\x02");
  EXPECT_EQ(zoe->take(), (Lines{"Raj Ingle set the topic of #games to: [5mblink"}));
  w.type(*zoe, "/topic");
  EXPECT_EQ(zoe->take(), (Lines{"Topic of #games: [5mblink"}));
}

TEST_P(ChatTest, TopicTooLong) {
  meet_in_games();
  w.type(*zoe, "/topic " + std::string(391, 't'));
  EXPECT_EQ(zoe->take(), (Lines{"Error: a topic can be at most 390 characters long."}));
  EXPECT_EQ(raj->take(), Lines{});
  w.type(*raj, "/topic " + std::string(390, 't'));
  EXPECT_EQ(zoe->take(), (Lines{"Raj Ingle set the topic of #games to: " + std::string(390, 't')}));
}

}  // namespace
}  // namespace parley::text
