// text/TextSession: the seed conversation and the slash commands, line for
// line, over a real Hub on hand-run loops and a fake transport.
#include "text/text_session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "test_support.h"

namespace parley::text {
namespace {

using core::HubLimits;
using core::LoopIndex;
using parley::testing::FakeOutbound;
using parley::testing::ManualPoster;
using session::CloseReason;
using Lines = std::vector<std::string>;

const char* const kGreeting = "Welcome to Chat room. To join enter your Name and begin chatting.";
const char* const kAgain = "Please enter a different name.";

std::string welcome(const std::string& name) {
  return "Welcome " + name + " to chatroom! Enter LEAVE to exit the chatroom";
}

struct Peer {
  FakeOutbound out;
  std::unique_ptr<TextSession> session;
  Lines take() { return out.take(); }
};

struct TextWorld {
  explicit TextWorld(LoopIndex loops, HubLimits limits = {}) : poster(loops), hub(poster, std::move(limits)) {}
  ~TextWorld() { peers.clear(); }  // sessions detach from a living hub

  Peer& connect(LoopIndex loop) {
    peers.push_back(std::make_unique<Peer>());
    Peer& p = *peers.back();
    p.session = std::make_unique<TextSession>(hub, loop, p.out, config);
    p.out.attach(*p.session);
    p.session->start();
    poster.run_all();
    return p;
  }
  void type(Peer& p, std::string_view line) {
    p.out.arrive(std::string(line));
    run();
  }
  // Every loop's tasks, and the lines that waited while a session held its input.
  void run(ManualPoster::Order order = ManualPoster::Order::round_robin) {
    bool handed = true;
    while (handed) {
      poster.run_all(order);
      handed = false;
      for (auto& p : peers) handed = p->out.hand_over() || handed;
    }
  }
  // Connected, named and in the default room; everyone's lines so far forgotten.
  Peer& login(LoopIndex loop, const std::string& name) {
    Peer& p = connect(loop);
    type(p, name);
    EXPECT_TRUE(p.session->registered()) << name;
    forget();
    return p;
  }
  void forget() {
    for (auto& p : peers) p->out.take();
  }

  ManualPoster poster;
  core::Hub hub;
  TextConfig config;
  std::vector<std::unique_ptr<Peer>> peers;
};

class TextTest : public ::testing::TestWithParam<LoopIndex> {
 protected:
  LoopIndex loop(LoopIndex n) const { return n % GetParam(); }
  void TearDown() override {
    for (auto& p : w.peers) {
      EXPECT_EQ(p->out.unterminated(), 0) << "a send without its line end";
      EXPECT_EQ(p->out.sent_after_close(), 0) << "a line after close_after_flush";
    }
  }
  TextWorld w{GetParam()};
};

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

// --- messages ------------------------------------------------------------------------

class ChatTest : public TextTest {
 protected:
  void SetUp() override {
    raj = &w.login(loop(0), "Raj Ingle");
    zoe = &w.login(loop(1), "Zo\xC3\xAB");
  }
  // The default room has no operator of its own (it belongs to the server):
  // Raj and Zoë leave it for #games, which Raj makes and so operates, and talk
  // there as they did in #lobby.
  void meet_in_games() {
    w.type(*raj, "/join games");
    w.type(*raj, "/part lobby");
    w.type(*zoe, "/join games");
    w.type(*zoe, "/part lobby");
    w.forget();
  }
  // Makes Raj a server operator, through the hub: the text protocol has no
  // command for it. Raj was the first session on loop(0), so its id there is 1.
  void make_raj_server_operator() {
    const core::SessionRef ref{loop(0), 1};
    ASSERT_EQ(w.hub.identity_of(ref).display, "Raj Ingle");
    w.hub.presence().set_operator_logins({{"root", "sesame"}});
    ASSERT_TRUE(w.hub.presence().become_server_operator(ref, "root", "sesame").ok());
    w.run();
  }
  Peer* raj = nullptr;
  Peer* zoe = nullptr;
};

INSTANTIATE_TEST_SUITE_P(Loops, ChatTest, ::testing::Values(1u, 3u),
                         [](const auto& info) { return std::to_string(info.param) + "loops"; });

TEST_P(ChatTest, TrailingWhiteSpaceIsDroppedAndEmptyLinesSendNothing) {
  w.type(*zoe, "hello   \t");
  EXPECT_EQ(raj->take(), (Lines{"Message from User - Zo\xC3\xAB: hello"}));
  EXPECT_EQ(zoe->take(), (Lines{"Message from User - Zo\xC3\xAB: hello"}));
  w.type(*zoe, "");
  w.type(*zoe, "   ");
  EXPECT_EQ(raj->take(), Lines{});
  EXPECT_EQ(zoe->take(), Lines{});
}

TEST_P(ChatTest, DoubleSlashSendsALineStartingWithSlash) {
  w.type(*zoe, "//etc/passwd is a file");
  EXPECT_EQ(raj->take(), (Lines{"Message from User - Zo\xC3\xAB: /etc/passwd is a file"}));
}

TEST_P(ChatTest, ControlCharactersNeverReachOthers) {
  w.type(*zoe, "\x1B[31mred\x1B[0m \x03" "04,12colour\x03 \x02" "bold\x02\tend\xE2\x80\xAE!\x07");
  EXPECT_EQ(raj->take(), (Lines{"Message from User - Zo\xC3\xAB: [31mred[0m colour bold end!"}));
  EXPECT_EQ(zoe->take(), (Lines{"Message from User - Zo\xC3\xAB: [31mred[0m colour bold end!"}));
  w.type(*zoe, "/me \x1B]0;pwned\x07waves");
  EXPECT_EQ(raj->take(), (Lines{"* Zo\xC3\xAB ]0;pwnedwaves"}));
}

// docs/text-protocol.md, Framing: "Server lines never carry trailing spaces."
TEST_P(ChatTest, NoLineEndsInASpaceWhenAllTheTextIsStripped) {
  w.type(*zoe, "\x07\x02");
  w.type(*zoe, "/me \x1B");
  w.type(*zoe, "/topic \x07");
  w.type(*raj, "/topic");
  w.type(*zoe, "/quit \x07");
  for (const auto& line : raj->take()) EXPECT_FALSE(!line.empty() && line.back() == ' ') << '"' << line << '"';
}

TEST_P(ChatTest, InvalidUtf8IsRefused) {
  w.type(*zoe, "caf\xE9 au lait");
  EXPECT_EQ(zoe->take(), (Lines{"Error: that line is not valid UTF-8; it was not sent."}));
  EXPECT_EQ(raj->take(), Lines{});
  w.type(*zoe, "/me \xFF");
  EXPECT_EQ(zoe->take(), (Lines{"Error: that line is not valid UTF-8; it was not sent."}));
}

TEST_P(ChatTest, OverLongLineIsRefused) {
  zoe->out.arrive_too_long(4096);
  w.run();
  EXPECT_EQ(zoe->take(), (Lines{"Error: that line is longer than 4096 bytes; it was not sent."}));
  EXPECT_EQ(raj->take(), Lines{});
}

TEST_P(ChatTest, OneRenderingIsSharedByRecipientsOnALoop) {
  Peer& k = w.login(loop(0), "Keerthi");  // on Raj's loop
  w.type(*zoe, "shared");
  ASSERT_FALSE(raj->out.chunks().empty());
  ASSERT_FALSE(k.out.chunks().empty());
  EXPECT_EQ(raj->out.sources().back(), k.out.sources().back());
  EXPECT_EQ(k.out.chunks().back(), "Message from User - Zo\xC3\xAB: shared\n");
}

// --- slash commands ---------------------------------------------------------------

TEST_P(ChatTest, Help) {
  w.type(*zoe, "/help");
  EXPECT_EQ(zoe->take(),
            (Lines{"Commands:",
                   "  /help [COMMAND] - lists the commands, or explains one",
                   "  /join ROOM [KEY] - joins ROOM (creating it) and talks there; if you are in it, switches to it; "
                   "KEY opens a room that has one",
                   "  /part [ROOM] - leaves ROOM (default: the room you are talking in)",
                   "  /rooms - lists the rooms and how many people are in each",
                   "  /who [ROOM] - lists who is in ROOM (default: the room you are talking in)",
                   "  /msg NAME text - sends a private message; quote a name with spaces: /msg \"Raj Ingle\" hi",
                   "  /me action - describes what you are doing: * NAME action",
                   "  /nick NEWNAME - changes your name",
                   "  /topic [text] - shows or sets the topic of the room you are talking in",
                   "  /invite NAME [ROOM] - invites NAME to ROOM (default: the room you are talking in); in an "
                   "invite-only room, operators only",
                   "  /mode [+|-SETTINGS [KEY|LIMIT]] - shows the settings of the room you are talking in, or changes "
                   "them (operators): t topic locked to operators, m moderated, i invite-only, s secret, k KEY, l "
                   "LIMIT; for example /mode +m, /mode -t, /mode +k secret",
                   "  /kick NAME [reason] - removes NAME from the room you are talking in (operators)",
                   "  /ban NAME|MASK - keeps NAME, or everyone matching a nick!user@host MASK (* and ? as wildcards), "
                   "out of the room (operators)",
                   "  /unban NAME|MASK - lifts a ban; /mode lists them (operators)",
                   "  /op NAME - makes NAME an operator of the room you are talking in (operators)",
                   "  /deop NAME - takes away NAME's operator rights (operators)",
                   "  /voice NAME - lets NAME speak when the room is moderated (operators)",
                   "  /devoice NAME - takes away NAME's voice (operators)",
                   "  /away [message] - marks you as away; whoever sends you a private message is told the "
                   "message. /away alone: you are back",
                   "  /quit [reason] - leaves the chat, like LEAVE",
                   "  LEAVE - leaves the chat. Any other line is a message to the room you are talking in."}));
  w.type(*zoe, "/help join");
  EXPECT_EQ(zoe->take(),
            (Lines{"/join ROOM [KEY]: joins ROOM (creating it) and talks there; if you are in it, switches to it; "
                   "KEY opens a room that has one"}));
  w.type(*zoe, "/HELP /msg");
  EXPECT_EQ(zoe->take(),
            (Lines{"/msg NAME text: sends a private message; quote a name with spaces: /msg \"Raj Ingle\" hi"}));
  w.type(*zoe, "/help dance");
  EXPECT_EQ(zoe->take(), (Lines{"Error: unknown command /dance. Try /help."}));
  EXPECT_EQ(raj->take(), Lines{});
}

TEST_P(ChatTest, UnknownCommand) {
  w.type(*zoe, "/foo bar");
  EXPECT_EQ(zoe->take(), (Lines{"Error: unknown command /foo. Try /help."}));
  w.type(*zoe, "/FOO");
  EXPECT_EQ(zoe->take(), (Lines{"Error: unknown command /foo. Try /help."}));
  w.type(*zoe, "/");
  EXPECT_EQ(zoe->take(), (Lines{"Error: unknown command /. Try /help."}));
  w.type(*zoe, "/\x1B[2J");
  EXPECT_EQ(zoe->take(), (Lines{"Error: unknown command /[2j. Try /help."}));
  EXPECT_EQ(raj->take(), Lines{});
}

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
  EXPECT_EQ(raj->take(), (Lines{"Keerthi left the chat room."}));
  EXPECT_EQ(zoe->take(), (Lines{"[#games] Keerthi left the chat room."}));
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
  EXPECT_EQ(raj->take(), (Lines{"Zo\xC3\xAB left the chat room."}));
  w.type(*zoe, "/part");
  EXPECT_EQ(zoe->take(), (Lines{"You left #lobby.", "You are not in any room. Use /join ROOM to enter one."}));
  EXPECT_EQ(raj->take(), (Lines{"[#lobby] Zo\xC3\xAB left the chat room."}));

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
}

TEST_P(ChatTest, Who) {
  w.type(*zoe, "/who");
  EXPECT_EQ(zoe->take(), (Lines{"Members of #lobby (2): Raj Ingle, Zo\xC3\xAB"}));
  w.type(*raj, "/join games");
  w.forget();
  w.type(*zoe, "/who #GAMES");
  EXPECT_EQ(zoe->take(), (Lines{"Members of #games (1): Raj Ingle"}));
  w.type(*zoe, "/who nowhere");
  EXPECT_EQ(zoe->take(), (Lines{"Error: there is no room #nowhere."}));
  w.type(*zoe, "/who a b");
  EXPECT_EQ(zoe->take(),
            (Lines{"Error: a room name is 1 or more characters with no spaces, control characters, ',' or ':'."}));
}

TEST_P(ChatTest, PrivateMessages) {
  w.type(*zoe, "/msg \"Raj Ingle\" hi there");
  EXPECT_EQ(raj->take(), (Lines{"Private message from Zo\xC3\xAB: hi there"}));
  EXPECT_EQ(zoe->take(), (Lines{"Private message to Raj Ingle: hi there"}));
  w.type(*raj, "/msg ZOE\xCC\x88 and back");
  EXPECT_EQ(zoe->take(), (Lines{"Private message from Raj Ingle: and back"}));
  EXPECT_EQ(raj->take(), (Lines{"Private message to Zo\xC3\xAB: and back"}));
  w.type(*zoe, "/msg \"raj ingle\" \x1B[2Jboo");
  EXPECT_EQ(raj->take(), (Lines{"Private message from Zo\xC3\xAB: [2Jboo"}));
  EXPECT_EQ(zoe->take(), (Lines{"Private message to Raj Ingle: [2Jboo"}));
}

TEST_P(ChatTest, PrivateMessageMisuse) {
  for (const char* bad : {"/msg", "/msg Bob", "/msg \"Raj Ingle\"", "/msg \"Raj Ingle hi", "/msg \"\" hi"}) {
    w.type(*zoe, bad);
    EXPECT_EQ(zoe->take(), (Lines{"Usage: /msg NAME text"})) << bad;
  }
  w.type(*zoe, "/msg Bob hi");
  EXPECT_EQ(zoe->take(), (Lines{"Error: there is no user named \"Bob\"."}));
  w.type(*zoe, "/msg raj ingle hi");  // unquoted: the name is "raj"
  EXPECT_EQ(zoe->take(), (Lines{"Error: there is no user named \"raj\"."}));
  EXPECT_EQ(raj->take(), Lines{});
}

TEST_P(ChatTest, Me) {
  w.type(*zoe, "/me waves at everyone");
  EXPECT_EQ(zoe->take(), (Lines{"* Zo\xC3\xAB waves at everyone"}));
  EXPECT_EQ(raj->take(), (Lines{"* Zo\xC3\xAB waves at everyone"}));
  w.type(*zoe, "/me");
  EXPECT_EQ(zoe->take(), (Lines{"Usage: /me action"}));
  w.type(*zoe, "/me   ");
  EXPECT_EQ(zoe->take(), (Lines{"Usage: /me action"}));
}

TEST_P(ChatTest, NickIsAnnouncedOnceInEverySharedRoom) {
  w.type(*zoe, "/join games");
  w.type(*raj, "/join games");
  w.type(*raj, "/join lobby");
  Peer& k = w.login(loop(2), "Keerthi");  // only in #lobby
  w.forget();
  w.type(*zoe, "/nick Zoe");
  EXPECT_EQ(zoe->take(), (Lines{"Zo\xC3\xAB is now known as Zoe."}));
  EXPECT_EQ(raj->take(), (Lines{"Zo\xC3\xAB is now known as Zoe."}));  // two shared rooms, one line
  EXPECT_EQ(k.take(), (Lines{"Zo\xC3\xAB is now known as Zoe."}));
  EXPECT_EQ(zoe->session->log_name(), "Zoe");
  w.type(*zoe, "hi");
  EXPECT_EQ(raj->take(), (Lines{"[#games] Message from User - Zoe: hi"}));
  // The old name is free.
  Peer& again = w.connect(loop(1));
  w.type(again, "zo\xC3\xAB");
  EXPECT_TRUE(again.session->registered());
}

// Two /nick lines in one read: the first settles after the second was asked.
// However they land, the name the user ends with stays theirs alone.
TEST_P(ChatTest, QuickNickChangesKeepTheNameReserved) {
  zoe->out.arrive("/nick Zoe");
  zoe->out.arrive("/nick ZO\xC3\x8B");  // back to the old name, in capitals
  w.run();
  const std::string final_name = zoe->session->log_name();
  Peer& other = w.connect(loop(2));
  other.take();
  w.type(other, final_name);
  EXPECT_FALSE(other.session->registered()) << "two people are called " << final_name;
}

// Two people rename at once while sharing two rooms with Zoë: each rename is
// one line for her, however the rooms' loops interleave.
TEST(TextRename, EachRenameIsShownOnceWhateverTheInterleaving) {
  for (auto order : {ManualPoster::Order::round_robin, ManualPoster::Order::ascending_drain,
                     ManualPoster::Order::descending_drain}) {
    SCOPED_TRACE(static_cast<int>(order));
    for (const char* second_room : {"games", "art", "music", "books", "zen", "chess"}) {
      SCOPED_TRACE(second_room);
      TextWorld w(3);
      Peer& zoe = w.login(0, "Zo\xC3\xAB");
      Peer& raj = w.login(1, "Raj Ingle");
      Peer& k = w.login(2, "Keerthi");
      for (Peer* p : {&zoe, &raj, &k}) w.type(*p, std::string("/join ") + second_room);
      w.forget();
      raj.out.arrive("/nick Raj");
      k.out.arrive("/nick Kee");
      w.run(order);
      Lines seen = zoe.take();
      std::sort(seen.begin(), seen.end());
      EXPECT_EQ(seen, (Lines{"Keerthi is now known as Kee.", "Raj Ingle is now known as Raj."}));
    }
  }
}

TEST_P(ChatTest, NickMisuse) {
  w.type(*zoe, "/nick");
  EXPECT_EQ(zoe->take(), (Lines{"Usage: /nick NEWNAME"}));
  w.type(*zoe, "/nick \"\"");
  EXPECT_EQ(zoe->take(), (Lines{"Usage: /nick NEWNAME"}));
  w.type(*zoe, "/nick \"raj ingle\"");
  EXPECT_EQ(zoe->take(), (Lines{"Error: the name \"raj ingle\" is in use."}));
  w.type(*zoe, "/nick a:b");
  EXPECT_EQ(zoe->take(), (Lines{"Error: a name cannot contain ':'."}));
  w.type(*zoe, "/nick #x");
  EXPECT_EQ(zoe->take(), (Lines{"Error: a name cannot start with '/' or '#'."}));
  w.type(*zoe, "/nick " + std::string(33, 'z'));
  EXPECT_EQ(zoe->take(), (Lines{"Error: a name can be at most 32 characters long."}));
  w.type(*zoe, "/nick Zo\xC3\xAB");  // the name it has
  EXPECT_EQ(zoe->take(), Lines{});
  EXPECT_EQ(raj->take(), Lines{});
}

TEST_P(ChatTest, NickWithSpacesQuotedOrNot) {
  w.type(*zoe, "/nick \"Zoe Smith\"");
  EXPECT_EQ(zoe->take(), (Lines{"Zo\xC3\xAB is now known as Zoe Smith."}));
  w.type(*zoe, "/nick Zoe  Jones");
  EXPECT_EQ(raj->take(), (Lines{"Zo\xC3\xAB is now known as Zoe Smith.", "Zoe Smith is now known as Zoe  Jones."}));
}

TEST_P(ChatTest, NickOutsideAnyRoomIsConfirmed) {
  w.type(*zoe, "/part");
  w.forget();
  w.type(*zoe, "/nick Zoe");
  EXPECT_EQ(zoe->take(), (Lines{"You are now known as Zoe."}));
  EXPECT_EQ(raj->take(), Lines{});
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
                                "s (secret), k KEY, l LIMIT."}));
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

TEST_P(ChatTest, QuitWithAndWithoutReason) {
  w.type(*zoe, "/quit gone fishing");
  EXPECT_EQ(zoe->take(), (Lines{"LEAVE"}));
  EXPECT_EQ(zoe->out.closed(), CloseReason::client_left);
  EXPECT_EQ(raj->take(), (Lines{"Zo\xC3\xAB left the chat room. (gone fishing)"}));
  Peer& k = w.login(loop(2), "Keerthi");
  raj->take();
  w.type(k, "/QUIT");
  EXPECT_EQ(k.take(), (Lines{"LEAVE"}));
  EXPECT_EQ(raj->take(), (Lines{"Keerthi left the chat room."}));
}

TEST_P(ChatTest, LeaveMidChatWithTrailingSpace) {
  w.type(*zoe, "LEAVE  ");
  EXPECT_EQ(zoe->take(), (Lines{"LEAVE"}));
  EXPECT_EQ(raj->take(), (Lines{"Zo\xC3\xAB left the chat room."}));
}

TEST_P(ChatTest, LowerCaseLeaveMidChatIsAMessage) {
  w.type(*zoe, "leave");
  EXPECT_EQ(raj->take(), (Lines{"Message from User - Zo\xC3\xAB: leave"}));
  EXPECT_FALSE(zoe->out.closed().has_value());
}

TEST_P(ChatTest, LeavingEveryRoomLeavesNoTrace) {
  w.type(*zoe, "/join games");
  w.type(*zoe, "/join art");
  w.forget();
  w.type(*zoe, "LEAVE");
  // Raj shares only #lobby with Zoë.
  EXPECT_EQ(raj->take(), (Lines{"Zo\xC3\xAB left the chat room."}));
  w.type(*raj, "/rooms");
  EXPECT_EQ(raj->take(), (Lines{"Rooms (1): #lobby (1)"}));
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
