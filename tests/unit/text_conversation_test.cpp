// text/TextSession: the seed conversation word for word, the name prompt, and
// the last line of a close the server decides.
#include <gtest/gtest.h>

#include "text_session_fixture.h"

namespace parley::text {
namespace {

using namespace text_testing;

INSTANTIATE_TEST_SUITE_P(Loops, TextTest, ::testing::Values(1u, 3u),
                         [](const auto& info) { return std::to_string(info.param) + "loops"; });

// --- the seed conversation -------------------------------------------------------

TEST_P(TextTest, SeedConversationWordForWord) {
  Peer& raj = w.login(loop(0), "Raj Ingle");
  Peer& zoe = w.login(loop(1), "Zo\xC3\xAB");

  Peer& k = w.connect(loop(2));
  EXPECT_EQ(k.take(), (Lines{kGreeting}));
  EXPECT_FALSE(k.session->registered());
  EXPECT_EQ(k.session->log_name(), "");

  w.type(k, "Keerthi Reddy Kandi");
  EXPECT_EQ(k.take(), (Lines{welcome("Keerthi Reddy Kandi")}));  // no line about its own arrival
  EXPECT_EQ(raj.take(), (Lines{"Keerthi Reddy Kandi has joined the chat room!"}));
  EXPECT_EQ(zoe.take(), (Lines{"Keerthi Reddy Kandi has joined the chat room!"}));
  EXPECT_TRUE(k.session->registered());
  EXPECT_EQ(k.session->log_name(), "Keerthi Reddy Kandi");

  w.type(k, "hello");
  EXPECT_EQ(k.take(), (Lines{"Message from User - Keerthi Reddy Kandi: hello"}));
  EXPECT_EQ(raj.take(), (Lines{"Message from User - Keerthi Reddy Kandi: hello"}));
  EXPECT_EQ(zoe.take(), (Lines{"Message from User - Keerthi Reddy Kandi: hello"}));

  w.type(k, "LEAVE");
  EXPECT_EQ(k.take(), (Lines{"LEAVE"}));
  EXPECT_EQ(k.out.closed(), CloseReason::client_left);
  EXPECT_EQ(k.out.close_calls(), 1);
  EXPECT_FALSE(k.session->registered());
  EXPECT_EQ(raj.take(), (Lines{"Keerthi Reddy Kandi left the chat room."}));
  EXPECT_EQ(zoe.take(), (Lines{"Keerthi Reddy Kandi left the chat room."}));

  // The transport then reports the close; nothing more is said.
  k.session->on_closed(CloseReason::client_left);
  w.type(k, "still here?");
  w.run();
  EXPECT_EQ(k.take(), Lines{});
  EXPECT_EQ(raj.take(), Lines{});
  EXPECT_EQ(k.out.close_calls(), 1);
}

TEST_P(TextTest, NamesAreTrimmedAndNormalized) {
  Peer& p = w.connect(loop(1));
  p.take();
  w.type(p, " \xE3\x80\x80Zoe\xCC\x88 \t");
  EXPECT_EQ(p.take(), (Lines{welcome("Zo\xC3\xAB")}));
  EXPECT_EQ(p.session->log_name(), "Zo\xC3\xAB");
}

TEST_P(TextTest, ADroppedConnectionIsAnnouncedLikeLeave) {
  Peer& raj = w.login(loop(0), "Raj Ingle");
  Peer& zoe = w.login(loop(2), "Zo\xC3\xAB");
  zoe.session->on_closed(CloseReason::peer_closed);
  w.run();
  EXPECT_EQ(raj.take(), (Lines{"Zo\xC3\xAB left the chat room."}));
  EXPECT_EQ(zoe.take(), Lines{});
  EXPECT_EQ(zoe.out.close_calls(), 0);  // the transport closed it already
  // The name is free again.
  Peer& again = w.connect(loop(1));
  w.type(again, "zo\xC3\xAB");
  EXPECT_TRUE(again.session->registered());
}

TEST_P(TextTest, DestroyingASessionLeavesLikeAClose) {
  Peer& raj = w.login(loop(0), "Raj Ingle");
  Peer& zoe = w.login(loop(1), "Zo\xC3\xAB");
  zoe.session.reset();
  w.run();
  EXPECT_EQ(raj.take(), (Lines{"Zo\xC3\xAB left the chat room."}));
}

TEST_P(TextTest, ClosedBeforeANameIsAnnouncedToNobody) {
  Peer& raj = w.login(loop(0), "Raj Ingle");
  Peer& p = w.connect(loop(1));
  p.session->on_closed(CloseReason::registration_timeout);
  w.run();
  EXPECT_EQ(raj.take(), Lines{});
}

// --- the name prompt ---------------------------------------------------------------

struct NameCase {
  std::string typed;
  std::string error;
};

TEST_P(TextTest, EachNameRefusalHasItsOwnLine) {
  w.login(loop(0), "Raj Ingle");
  w.login(loop(1), "Zo\xC3\xAB");
  const std::vector<NameCase> cases = {
      {"", "Error: a name cannot be empty."},
      {"   \t", "Error: a name cannot be empty."},
      {std::string(33, 'x'), "Error: a name can be at most 32 characters long."},
      {"caf\xE9", "Error: a name must be valid UTF-8 text."},
      {"a\x1B[31mb", "Error: a name cannot contain control characters."},
      {"evil\xE2\x80\xAE" "txt", "Error: a name cannot contain control characters."},
      {"a\xC2\x85" "b", "Error: a name cannot contain control characters."},
      {"a:b", "Error: a name cannot contain ':'."},
      {"/nick", "Error: a name cannot start with '/' or '#'."},
      {"#lobby", "Error: a name cannot start with '/' or '#'."},
      {"raj ingle", "Error: the name \"raj ingle\" is in use."},
      {"  RAJ INGLE  ", "Error: the name \"RAJ INGLE\" is in use."},
      {"Zoe\xCC\x88", "Error: the name \"Zo\xC3\xAB\" is in use."},
  };
  Peer& p = w.connect(loop(2));
  p.take();
  for (const auto& c : cases) {
    w.type(p, c.typed);
    EXPECT_EQ(p.take(), (Lines{c.error, kAgain})) << c.typed;
    EXPECT_FALSE(p.session->registered());
  }
  for (auto& other : w.peers) EXPECT_EQ(other->take(), Lines{});
  // The prompt is still there.
  w.type(p, "Keerthi");
  EXPECT_EQ(p.take(), (Lines{welcome("Keerthi")}));
}

TEST_P(TextTest, NameLengthCountsCharacters) {
  Peer& p = w.connect(loop(0));
  p.take();
  std::string e33, e32;
  for (int i = 0; i < 33; ++i) e33 += "\xC3\xA9";
  for (int i = 0; i < 32; ++i) e32 += "\xC3\xA9";
  w.type(p, e33);
  EXPECT_EQ(p.take(), (Lines{"Error: a name can be at most 32 characters long.", kAgain}));
  w.type(p, e32);
  EXPECT_EQ(p.take(), (Lines{welcome(e32)}));
}

TEST_P(TextTest, LeaveAtTheNamePromptCloses) {
  Peer& raj = w.login(loop(0), "Raj Ingle");
  for (const char* typed : {"LEAVE", "  LEAVE \t"}) {
    Peer& p = w.connect(loop(1));
    p.take();
    w.type(p, typed);
    EXPECT_EQ(p.take(), (Lines{"LEAVE"})) << typed;
    EXPECT_EQ(p.out.closed(), CloseReason::client_left) << typed;
  }
  EXPECT_EQ(raj.take(), Lines{});
}

// docs/text-protocol.md, Names: "`LEAVE` (any case) | (closes, as `LEAVE` does)".
TEST_P(TextTest, LeaveAtTheNamePromptClosesInAnyCase) {
  for (const char* typed : {"leave", "Leave", "lEaVe"}) {
    Peer& p = w.connect(loop(1));
    p.take();
    w.type(p, typed);
    EXPECT_EQ(p.take(), (Lines{"LEAVE"})) << typed;
    EXPECT_EQ(p.out.closed(), std::optional<CloseReason>(CloseReason::client_left)) << typed;
    EXPECT_FALSE(p.session->registered()) << typed;
  }
}

TEST_P(TextTest, LinesTypedWhileANameIsPendingFollowItInOrder) {
  Peer& raj = w.login(loop(0), "Raj Ingle");
  Peer& p = w.connect(loop(1));
  p.take();
  // All typed before any loop runs: the first name is taken, the second is not.
  for (const char* line : {"Raj Ingle", "Zo\xC3\xAB", "hello", "/me waves", "/who"}) p.out.arrive(line);
  w.run();
  EXPECT_EQ(p.take(), (Lines{"Error: the name \"Raj Ingle\" is in use.", kAgain, welcome("Zo\xC3\xAB"),
                             "Message from User - Zo\xC3\xAB: hello", "* Zo\xC3\xAB waves",
                             "Members of #lobby (2): Raj Ingle, Zo\xC3\xAB"}));
  EXPECT_EQ(raj.take(), (Lines{"Zo\xC3\xAB has joined the chat room!", "Message from User - Zo\xC3\xAB: hello",
                               "* Zo\xC3\xAB waves"}));
}

TEST_P(TextTest, LeaveTypedWhileANameIsPendingLeavesAfterIt) {
  Peer& raj = w.login(loop(0), "Raj Ingle");
  Peer& p = w.connect(loop(2));
  p.take();
  p.out.arrive("Zo\xC3\xAB");
  p.out.arrive("bye all");
  p.out.arrive("LEAVE");
  p.out.arrive("never sent");
  w.run();
  // Replies come in command order: LEAVE closes only once the echo of
  // "bye all", decided on the room's loop, is out.
  EXPECT_EQ(p.take(), (Lines{welcome("Zo\xC3\xAB"), "Message from User - Zo\xC3\xAB: bye all", "LEAVE"}));
  EXPECT_EQ(p.out.closed(), CloseReason::client_left);
  EXPECT_EQ(raj.take(), (Lines{"Zo\xC3\xAB has joined the chat room!", "Message from User - Zo\xC3\xAB: bye all",
                               "Zo\xC3\xAB left the chat room."}));
}

TEST_P(TextTest, OverLongLineAtTheNamePrompt) {
  Peer& p = w.connect(loop(0));
  p.take();
  p.out.arrive_too_long(4096);
  EXPECT_EQ(p.take(), (Lines{"Error: a name can be at most 32 characters long.", kAgain}));
  w.type(p, "Zo\xC3\xAB");
  EXPECT_EQ(p.take(), (Lines{welcome("Zo\xC3\xAB")}));
}

// An over-long line that arrives while the name is being checked is answered
// in its place among the lines typed then: after the welcome, as a chat line.
TEST_P(TextTest, OverLongLineWhileANameIsPendingIsAnsweredInOrder) {
  Peer& p = w.connect(loop(1));
  p.take();
  p.out.arrive("Zo\xC3\xAB");
  p.out.arrive_too_long(4096);
  w.run();
  EXPECT_EQ(p.take(), (Lines{welcome("Zo\xC3\xAB"), "Error: that line is longer than 4096 bytes; it was not sent."}));
}

// --- farewells ------------------------------------------------------------------------

TEST(TextFarewell, OneLinePerServerDecidedClose) {
  TextConfig config;
  EXPECT_EQ(TextSession::farewell(CloseReason::too_slow, config), "Disconnected: you were not reading fast enough.\n");
  EXPECT_EQ(TextSession::farewell(CloseReason::shutdown, config), "Disconnected: the server is shutting down.\n");
  EXPECT_EQ(TextSession::farewell(CloseReason::registration_timeout, config),
            "Disconnected: no name was entered within 60 seconds.\n");
  EXPECT_EQ(TextSession::farewell(CloseReason::too_many_from_address, config),
            "Disconnected: too many connections from your address.\n");
  EXPECT_EQ(TextSession::farewell(CloseReason::server_full, config), "Disconnected: the server is full.\n");
  EXPECT_EQ(TextSession::farewell(CloseReason::client_left, config), "");
  EXPECT_EQ(TextSession::farewell(CloseReason::peer_closed, config), "");
}

TEST(TextFarewell, NameTimeoutComesFromTheConfig) {
  TextConfig config;
  config.name_timeout = std::chrono::seconds(5);
  EXPECT_EQ(TextSession::farewell(CloseReason::registration_timeout, config),
            "Disconnected: no name was entered within 5 seconds.\n");
}

}  // namespace
}  // namespace parley::text
