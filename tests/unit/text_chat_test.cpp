// text/TextSession: chatting in the room you are in, /help, and the commands
// about yourself and others (/msg, /me, /nick, /quit, LEAVE).
#include <gtest/gtest.h>

#include "text_session_fixture.h"

namespace parley::text {
namespace {

using namespace text_testing;

// --- messages ------------------------------------------------------------------------

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
                   "  /search [#ROOM] [--best] WORDS - finds earlier messages holding every word (in ROOM, or in all "
                   "your rooms), newest first, or with --best the best matches first; end a word with * for prefixes",
                   "  /who [ROOM] - lists who is in ROOM (default: the room you are talking in), marking operators, voices, "
                   "the away and IRC users",
                   "  /whois NAME - says who NAME is: their IRC nick and host, whether they use IRC or text, their "
                   "account, whether they are away, their rooms, how long they have been idle",
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
                       "  /register PASSWORD | /register #ROOM - registers your name as an account with that "
                       "password, and logs you in; with #ROOM, registers that room to your account (you must be "
                       "logged in and its operator) so that it is kept across restarts",
                       "  /login NAME PASSWORD - logs you in to the account NAME (quote a name with spaces); a "
                       "registered name is yours only once logged in",
                   "  /unregister #ROOM - ends a room's registration (its founder, or a server operator)",
                   "  /roominfo [#ROOM] - says who registered ROOM and who its operators by account are",
                   "  /oper NAME PASSWORD - logs you in as a server operator",
                   "  /kline [DURATION] MASK [reason] - bans everyone matching nick!user@host MASK (* and ?), or "
                   "$a:ACCOUNT, from the server (server operators); with DURATION (10m, 2h, 1d, 1w; a bare number is "
                   "minutes) the ban lapses by itself",
                   "  /unkline MASK - lifts a server ban (server operators)",
                   "  /klines - lists the server bans (server operators)",
                   "  /access #ROOM [add NAME | del NAME] - lists the accounts made operators of a registered ROOM "
                   "when they join, or adds or removes one (its founder)",
                   "  /logout - logs you out of your account; a registered name must then be logged in to again, or "
                   "it is renamed",
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
  w.type(*zoe, "/msg raj ingle hi");  // unquoted: the name is "raj", but "raj ingle" is someone (issue 13)
  EXPECT_EQ(zoe->take(),
            (Lines{"Error: there is no user named \"raj\"; to write to Raj Ingle, quote the name: /msg \"Raj Ingle\" hi"}));
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

TEST_P(ChatTest, QuitWithAndWithoutReason) {
  w.type(*zoe, "/quit gone fishing");
  EXPECT_EQ(zoe->take(), (Lines{"LEAVE"}));
  EXPECT_EQ(zoe->out.closed(), CloseReason::client_left);
  EXPECT_EQ(raj->take(), (Lines{"Zo\xC3\xAB left the chat room (gone fishing)."}));
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

}  // namespace
}  // namespace parley::text
