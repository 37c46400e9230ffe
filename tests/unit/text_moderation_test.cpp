// text/TextSession: room operators' commands (/kick, /mode, /ban, /invite, /op,
// /voice) and the default room, which server operators moderate.
#include <gtest/gtest.h>

#include "text_session_fixture.h"

namespace parley::text {
namespace {

using namespace text_testing;

// --- moderation -------------------------------------------------------------------
// Raj, the first member of #games, is its operator; Zoë is not. (The default
// room has no operator of its own: see DefaultRoom* below.)

TEST_P(ChatTest, KickTellsTheRoomAndTheKicked) {
  meet_in_games();
  w.type(*raj, "/kick Zo\xC3\xAB spam");
  EXPECT_EQ(raj->take(), (Lines{"Raj Ingle kicked Zo\xC3\xAB from #games (spam)."}));
  EXPECT_EQ(zoe->take(), (Lines{"Raj Ingle kicked you from #games (spam).",
                                "You are not in any room. Use /join ROOM to enter one."}));
  w.type(*zoe, "hello?");
  EXPECT_EQ(zoe->take(), (Lines{"Error: you are not in any room. Use /join ROOM to enter one."}));
  EXPECT_EQ(raj->take(), Lines{});
  w.type(*zoe, "/join games");
  EXPECT_EQ(zoe->take(), (Lines{"You joined #games. Members (2): Raj Ingle, Zo\xC3\xAB"}));
  EXPECT_EQ(raj->take(), (Lines{"Zo\xC3\xAB has joined the chat room!"}));
  w.type(*raj, "/kick zoë");
  EXPECT_EQ(raj->take(), (Lines{"Raj Ingle kicked Zo\xC3\xAB from #games."}));
}

TEST_P(ChatTest, KickMisuse) {
  meet_in_games();
  w.type(*zoe, "/kick \"Raj Ingle\" bye");
  EXPECT_EQ(zoe->take(), (Lines{"Error: only operators of #games can do that."}));
  EXPECT_EQ(raj->take(), Lines{});
  w.type(*raj, "/kick Bob");
  EXPECT_EQ(raj->take(), (Lines{"Error: \"Bob\" is not in this room."}));
  w.type(*raj, "/kick");
  EXPECT_EQ(raj->take(), (Lines{"Usage: /kick NAME [reason]"}));
}

TEST_P(ChatTest, ModeratedRoomsOperatorsAndVoices) {
  meet_in_games();
  w.type(*raj, "/mode +m");
  EXPECT_EQ(raj->take(), (Lines{"Raj Ingle set #games to moderated."}));
  EXPECT_EQ(zoe->take(), (Lines{"Raj Ingle set #games to moderated."}));
  w.type(*zoe, "hi");
  EXPECT_EQ(zoe->take(), (Lines{"Error: #games is moderated: only operators and voiced members can speak; your "
                                "message was not sent."}));
  EXPECT_EQ(raj->take(), Lines{});
  w.type(*raj, "/voice Zo\xC3\xAB");
  EXPECT_EQ(zoe->take(), (Lines{"Raj Ingle gave Zo\xC3\xAB a voice in #games."}));
  w.type(*zoe, "hi");
  EXPECT_EQ(raj->take(), (Lines{"Raj Ingle gave Zo\xC3\xAB a voice in #games.", "Message from User - Zo\xC3\xAB: hi"}));
  w.type(*raj, "/op zoë");
  EXPECT_EQ(zoe->take(), (Lines{"Message from User - Zo\xC3\xAB: hi", "Raj Ingle made Zo\xC3\xAB an operator of #games."}));
  w.type(*zoe, "/deop \"raj ingle\"");
  EXPECT_EQ(raj->take(), (Lines{"Raj Ingle made Zo\xC3\xAB an operator of #games.",
                                "Zo\xC3\xAB removed Raj Ingle as an operator of #games."}));
  w.type(*zoe, "/devoice Zo\xC3\xAB");
  EXPECT_EQ(raj->take(), (Lines{"Zo\xC3\xAB took away Zo\xC3\xAB's voice in #games."}));
  zoe->take();
  w.type(*raj, "/mode -m");
  EXPECT_EQ(raj->take(), (Lines{"Error: only operators of #games can do that."}));
  w.type(*raj, "/op");
  EXPECT_EQ(raj->take(), (Lines{"Usage: /op NAME"}));
  w.type(*zoe, "/voice Bob");
  EXPECT_EQ(zoe->take(), (Lines{"Error: \"Bob\" is not in this room."}));
}

TEST_P(ChatTest, BansAndInvitations) {
  w.type(*raj, "/join games");
  w.type(*raj, "/ban Zo\xC3\xAB");
  EXPECT_EQ(raj->take(), (Lines{"You joined #games. Members (1): Raj Ingle", "Raj Ingle banned Zo\xC3\xAB!*@* from #games."}));
  w.type(*zoe, "/join games");
  EXPECT_EQ(zoe->take(), (Lines{"Error: you are banned from #games.", "You are now talking in #lobby."}));
  EXPECT_EQ(raj->take(), Lines{});
  w.type(*zoe, "still here");
  EXPECT_EQ(zoe->take(), (Lines{"Message from User - Zo\xC3\xAB: still here"}));
  raj->take();
  w.type(*raj, "/unban Zo\xC3\xAB");
  w.type(*raj, "/mode +i");
  EXPECT_EQ(raj->take(), (Lines{"Raj Ingle lifted the ban on Zo\xC3\xAB!*@* in #games.", "Raj Ingle set #games to invite-only."}));
  w.type(*zoe, "/join #games");
  EXPECT_EQ(zoe->take(), (Lines{"Error: #games is invite-only; you need an invitation to join.",
                                "You are now talking in #lobby."}));
  w.type(*raj, "/invite Zo\xC3\xAB");
  EXPECT_EQ(raj->take(), (Lines{"You invited Zo\xC3\xAB to #games."}));
  EXPECT_EQ(zoe->take(), (Lines{"Raj Ingle invited you to #games. Type /join #games to accept."}));
  w.type(*zoe, "/join games");
  EXPECT_EQ(zoe->take(), (Lines{"You joined #games. Members (2): Raj Ingle, Zo\xC3\xAB"}));
  w.type(*raj, "/invite Zo\xC3\xAB");
  EXPECT_EQ(raj->take(), (Lines{"Zo\xC3\xAB has joined the chat room!", "Error: \"Zo\xC3\xAB\" is in that room already."}));
  Peer& k = w.login(loop(2), "Keerthi");
  w.type(*zoe, "/invite Keerthi");
  EXPECT_EQ(zoe->take(), (Lines{"Error: only operators of #games can do that."}));
  w.type(*zoe, "/invite Nobody");
  EXPECT_EQ(zoe->take(), (Lines{"Error: there is no user named \"Nobody\"."}));
  w.type(k, "/invite Zo\xC3\xAB games");
  EXPECT_EQ(k.take(), (Lines{"Error: you are not in #games."}));
  w.type(k, "/invite");
  EXPECT_EQ(k.take(), (Lines{"Usage: /invite NAME [ROOM]"}));
}

TEST_P(ChatTest, KeysLimitsAndTheSettingsInWords) {
  w.type(*raj, "/join games");
  w.type(*raj, "/mode +kl sesame 1");
  EXPECT_EQ(raj->take(), (Lines{"You joined #games. Members (1): Raj Ingle", "Raj Ingle set the key of #games to: sesame",
                                "Raj Ingle limited #games to 1 members."}));
  w.type(*zoe, "/join games");
  EXPECT_EQ(zoe->take(), (Lines{"Error: #games needs a key to join: /join #games KEY", "You are now talking in #lobby."}));
  w.type(*zoe, "/join games sesame");
  EXPECT_EQ(zoe->take(), (Lines{"Error: #games is full.", "You are now talking in #lobby."}));
  w.type(*raj, "/mode");
  EXPECT_EQ(raj->take(), (Lines{"Settings of #games: topic locked to operators, key sesame, at most 1 members.",
                                "Operators of #games (1): Raj Ingle"}));
  w.type(*raj, "/mode -l");
  w.type(*raj, "/ban *!*@somewhere");
  raj->take();
  w.type(*zoe, "/join games sesame");
  EXPECT_EQ(zoe->take(), (Lines{"You joined #games. Members (2): Raj Ingle, Zo\xC3\xAB"}));
  w.type(*raj, "/voice Zo\xC3\xAB");
  w.type(*zoe, "/mode");
  EXPECT_EQ(zoe->take(), (Lines{"Raj Ingle gave Zo\xC3\xAB a voice in #games.",
                                "Settings of #games: topic locked to operators, key sesame.",
                                "Operators of #games (1): Raj Ingle", "Voiced in #games (1): Zo\xC3\xAB",
                                "Bans in #games (1): *!*@somewhere"}));
}

TEST_P(ChatTest, ModeMisuse) {
  meet_in_games();
  w.type(*zoe, "/mode +m");
  EXPECT_EQ(zoe->take(), (Lines{"Error: only operators of #games can do that."}));
  w.type(*raj, "/mode +x");
  EXPECT_EQ(raj->take(), (Lines{"Error: unknown setting 'x'. Settings: t (topic locked), m (moderated), i (invite-only), "
                                "s (secret), n (members only send), k KEY, l LIMIT."}));
  w.type(*raj, "/mode +l");
  EXPECT_EQ(raj->take(), (Lines{"Usage: /mode [+|-SETTINGS [KEY|LIMIT]], for example /mode +m or /mode +l 10"}));
  w.type(*raj, "/mode m");
  EXPECT_EQ(raj->take(), (Lines{"Usage: /mode [+|-SETTINGS [KEY|LIMIT]], for example /mode +m or /mode +l 10"}));
  w.type(*raj, "/mode +l zero");
  EXPECT_EQ(raj->take(), (Lines{"Error: \"zero\" cannot be used for that setting."}));
  w.type(*raj, "/mode +t");  // so already: nothing to say
  EXPECT_EQ(raj->take(), Lines{});
  w.type(*raj, "/ban");
  EXPECT_EQ(raj->take(), (Lines{"Usage: /ban NAME|MASK"}));
  w.type(*raj, "/ban \"No Such Person\"");
  EXPECT_EQ(raj->take(), (Lines{"Error: there is no user named \"No Such Person\"."}));
}

TEST_P(ChatTest, SecretRoomsAreHiddenFromOthers) {
  w.type(*raj, "/join hideout");
  w.type(*raj, "/mode +s");
  EXPECT_EQ(raj->take(), (Lines{"You joined #hideout. Members (1): Raj Ingle", "Raj Ingle set #hideout to secret."}));
  w.type(*zoe, "/rooms");
  EXPECT_EQ(zoe->take(), (Lines{"Rooms (1): #lobby (2)"}));
  w.type(*raj, "/rooms");
  EXPECT_EQ(raj->take(), (Lines{"Rooms (2): #hideout (1), #lobby (2)"}));
}

// The default room is moderated by server operators (nobody operates it by
// joining first).
TEST_P(ChatTest, BannedFromTheDefaultRoomAtLogin) {
  make_raj_server_operator();
  w.type(*raj, "/ban Keerthi");
  EXPECT_EQ(raj->take(), (Lines{"Raj Ingle banned Keerthi!*@* from #lobby."}));
  Peer& k = w.connect(loop(2));
  k.take();
  w.type(k, "Keerthi");
  EXPECT_EQ(k.take(), (Lines{"Welcome Keerthi to chatroom! Enter LEAVE to exit the chatroom",
                             "Error: you are banned from #lobby.", "You are not in any room. Use /join ROOM to enter one."}));
  EXPECT_EQ(raj->take(), Lines{});
  w.type(k, "/join games");
  EXPECT_EQ(k.take(), (Lines{"You joined #games. Members (1): Keerthi"}));
}

TEST_P(ChatTest, DefaultRoomHasNoOperatorOfItsOwn) {
  // Raj was the lobby's first member, and is no operator of it.
  w.type(*raj, "/mode +m");
  EXPECT_EQ(raj->take(), (Lines{"Error: only operators of #lobby can do that."}));
  w.type(*raj, "/topic Ours");
  EXPECT_EQ(raj->take(), (Lines{"Error: only operators of #lobby can change its topic."}));
  w.type(*raj, "/mode");
  EXPECT_EQ(raj->take(), (Lines{"Settings of #lobby: topic locked to operators."}));
  EXPECT_EQ(zoe->take(), Lines{});
}

TEST_P(ChatTest, DefaultRoomOperatorsMayNotCloseIt) {
  make_raj_server_operator();
  // A server operator moderates it, and may make others operators of it...
  w.type(*raj, "/op Zo\xC3\xAB");
  EXPECT_EQ(zoe->take(), (Lines{"Raj Ingle made Zo\xC3\xAB an operator of #lobby."}));
  // ...who may moderate it, but not close it: invite-only, a key, a limit.
  w.type(*zoe, "/mode +i");
  EXPECT_EQ(zoe->take(), (Lines{"Error: only server operators can do that."}));
  w.type(*zoe, "/mode +k sesame");
  EXPECT_EQ(zoe->take(), (Lines{"Error: only server operators can do that."}));
  w.type(*zoe, "/mode +l 5");
  EXPECT_EQ(zoe->take(), (Lines{"Error: only server operators can do that."}));
  w.type(*zoe, "/mode +m");
  EXPECT_EQ(zoe->take(), (Lines{"Zo\xC3\xAB set #lobby to moderated."}));
  raj->take();
  // The server operator may close it.
  w.type(*raj, "/mode +i");
  EXPECT_EQ(raj->take(), (Lines{"Raj Ingle set #lobby to invite-only."}));
}

TEST_P(ChatTest, SettingsOfAnotherRoomCarryItsPrefix) {
  w.type(*raj, "/join games");
  w.type(*zoe, "/join games");
  w.type(*zoe, "/join lobby");  // Zoë talks in #lobby again
  w.forget();
  w.type(*raj, "/mode +m");
  EXPECT_EQ(zoe->take(), (Lines{"[#games] Raj Ingle set #games to moderated."}));
  w.type(*raj, "/kick Zo\xC3\xAB");
  EXPECT_EQ(zoe->take(), (Lines{"Raj Ingle kicked you from #games."}));  // still talking in #lobby
  w.type(*zoe, "here");
  EXPECT_EQ(zoe->take(), (Lines{"Message from User - Zo\xC3\xAB: here"}));
}

}  // namespace
}  // namespace parley::text
