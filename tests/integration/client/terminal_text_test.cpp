// The client's pure parts: what reaches the terminal, line framing, name
// colouring, and which typed lines leave.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "leave_command.hpp"
#include "line_splitter.hpp"
#include "name_finder.hpp"
#include "painter.hpp"
#include "sanitize.hpp"
#include "secret_input.hpp"

namespace parley::client {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(Sanitize, KeepsPrintableTextOfAnyScript) {
  EXPECT_EQ(sanitize_for_terminal("Message from User - Zoë: 李雷 👋 ok"), "Message from User - Zoë: 李雷 👋 ok");
}

TEST(Sanitize, DropsEveryC0ControlAndDel) {
  std::string all;
  for (int c = 0; c < 0x20; ++c) all += static_cast<char>(c);
  EXPECT_EQ(sanitize_for_terminal("a" + all + "\x7f" + "b"), "ab");
}

TEST(Sanitize, DropsTheEscByteOfEscapeSequences) {
  EXPECT_EQ(sanitize_for_terminal("\x1b[2J\x1b]0;pwned\x07\x1bPq"), "[2J]0;pwnedPq");
}

TEST(Sanitize, DropsC1ControlsAndBidiOverrides) {
  EXPECT_EQ(sanitize_for_terminal("\xC2\x80x\xC2\x9By\xC2\x9F"), "xy");
  EXPECT_EQ(sanitize_for_terminal("\xE2\x80\xAA" "a\xE2\x80\xAE" "b\xE2\x81\xA6" "c\xE2\x81\xA9"), "abc");
  // Neighbours of the ranges stay.
  EXPECT_EQ(sanitize_for_terminal("\xC2\xA0\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA"),
            "\xC2\xA0\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA");
}

TEST(Sanitize, ReplacesEachMaximalIllFormedSubpart) {
  EXPECT_EQ(sanitize_for_terminal("\x80"), kFffd);                      // lone continuation
  EXPECT_EQ(sanitize_for_terminal("\xC0\xAF"), kFffd + kFffd);          // overlong
  EXPECT_EQ(sanitize_for_terminal("\xE2\x82"), kFffd);                  // truncated: one subpart
  EXPECT_EQ(sanitize_for_terminal("\xE2\x82x"), kFffd + "x");
  EXPECT_EQ(sanitize_for_terminal("\xED\xA0\x80"), kFffd + kFffd + kFffd);  // a surrogate
  EXPECT_EQ(sanitize_for_terminal("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // above U+10FFFF
  EXPECT_EQ(sanitize_for_terminal("\xF0\x9F\x98"), kFffd);
  EXPECT_EQ(sanitize_for_terminal("\xFF"), kFffd);
  EXPECT_EQ(sanitize_for_terminal("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF");  // U+10FFFF itself is fine
}

std::vector<std::string> split(LineSplitter& s, std::string_view bytes) {
  std::vector<std::string> lines;
  s.feed(bytes, [&](std::string_view line) { lines.emplace_back(line); });
  return lines;
}

TEST(LineSplitter, FramesLinesAcrossReads) {
  LineSplitter s;
  EXPECT_EQ(split(s, "one\ntw"), std::vector<std::string>{"one"});
  EXPECT_EQ(split(s, "o\r"), std::vector<std::string>{});
  EXPECT_EQ(split(s, "\nthree\r\n\nfour"), (std::vector<std::string>{"two", "three", "", }));
  EXPECT_EQ(s.take_rest(), "four");
  EXPECT_EQ(s.take_rest(), std::nullopt);
}

TEST(LineSplitter, HandsOnOverlongLinesInPieces) {
  LineSplitter s(4);
  EXPECT_EQ(split(s, "abcdefghij\n"), (std::vector<std::string>{"abcd", "efgh", "ij"}));
}

std::vector<std::string> names(NameFinder& finder, std::string_view line) {
  std::vector<std::string> found;
  for (const auto& span : finder.find(line)) found.emplace_back(line.substr(span.pos, span.len));
  return found;
}

using Names = std::vector<std::string>;

TEST(NameFinder, FindsNamesInTheProtocolsLines) {
  NameFinder f;
  EXPECT_EQ(names(f, "Message from User - Raj Ingle: hi: there"), Names{"Raj Ingle"});
  EXPECT_EQ(names(f, "[#games] Message from User - Zoë: hi"), Names{"Zoë"});
  EXPECT_EQ(names(f, "Private message from 李雷: psst"), Names{"李雷"});
  EXPECT_EQ(names(f, "Private message to Zoë: psst"), Names{"Zoë"});
  EXPECT_EQ(names(f, "Keerthi Reddy Kandi has joined the chat room!"), Names{"Keerthi Reddy Kandi"});
  EXPECT_EQ(names(f, "Keerthi Reddy Kandi left the chat room."), Names{"Keerthi Reddy Kandi"});
  EXPECT_EQ(names(f, "Zoë left the chat room. (gone fishing)"), Names{"Zoë"});  // older servers' wording
  EXPECT_EQ(names(f, "Zoë left the chat room (gone fishing)."), Names{"Zoë"});
  EXPECT_EQ(names(f, "Zoë left #games."), Names{"Zoë"});
  EXPECT_EQ(names(f, "[#games] Zoë left #games (see you later)."), Names{"Zoë"});
  EXPECT_EQ(names(f, "Welcome Keerthi Reddy Kandi to chatroom! Enter LEAVE to exit the chatroom"),
            Names{"Keerthi Reddy Kandi"});
  EXPECT_EQ(names(f, "Raj Ingle is now known as Raj."), (Names{"Raj Ingle", "Raj"}));
  EXPECT_EQ(names(f, "Members of #lobby (2): Raj Ingle, Zoë"), (Names{"Raj Ingle", "Zoë"}));
  EXPECT_EQ(names(f, "You joined #games. Members (2): Raj Ingle, Zoë"), (Names{"Raj Ingle", "Zoë"}));
  // /who's notes are not names.
  EXPECT_EQ(names(f, "Members of #lobby (3): Raj Ingle (operator), Zoë (voice, away, IRC), Amy (IRC nick Amy2)"),
            (Names{"Raj Ingle", "Zoë", "Amy"}));
}

TEST(NameFinder, ResolvesActionsByKnownNames) {
  NameFinder f;
  EXPECT_EQ(names(f, "* Raj Ingle waves"), Names{"Raj"});  // not known yet: the first word
  names(f, "Raj Ingle has joined the chat room!");
  EXPECT_EQ(names(f, "* Raj Ingle waves"), Names{"Raj Ingle"});
  EXPECT_EQ(names(f, "[#games] * Raj Ingle"), Names{"Raj Ingle"});
}

TEST(NameFinder, LeavesOtherLinesAlone) {
  NameFinder f;
  EXPECT_EQ(names(f, "Welcome to Chat room. To join enter your Name and begin chatting."), Names{});
  EXPECT_EQ(names(f, "Error: the name \"Raj Ingle\" is in use."), Names{});
  EXPECT_EQ(names(f, "Topic of #lobby: bob has joined the chat room!"), Names{});
  EXPECT_EQ(names(f, "Rooms (2): #games (1), #lobby (3)"), Names{});
  EXPECT_EQ(names(f, "LEAVE"), Names{});
}

TEST(Painter, ColoursNamesStablyAndErrorsRed) {
  Painter p;
  const std::string zoe = std::string(name_color("Zoë")) + "Zoë\x1b[0m";
  EXPECT_EQ(p.paint("Message from User - Zoë: hi"), "Message from User - " + zoe + ": hi");
  EXPECT_EQ(p.paint("Zoë has joined the chat room!"), zoe + " has joined the chat room!");
  EXPECT_EQ(Painter{}.paint("* Zoë waves"), "* " + zoe + " waves");
  EXPECT_EQ(p.paint("Error: unknown command /foo. Try /help."), "\x1b[31mError: unknown command /foo. Try /help.\x1b[0m");
  EXPECT_EQ(p.paint("plain"), "plain");
  EXPECT_NE(name_color("Zoë"), std::string_view("\x1b[31m"));
}

TEST(LeaveCommand, KnowsTheLinesThatLeave) {
  EXPECT_TRUE(is_leave_command("LEAVE"));
  EXPECT_TRUE(is_leave_command("  LEAVE "));
  EXPECT_TRUE(is_leave_command("/quit"));
  EXPECT_TRUE(is_leave_command("/QUIT bye now"));
  EXPECT_FALSE(is_leave_command("leave"));  // a message, as far as the server is concerned
  EXPECT_FALSE(is_leave_command("/quitter"));
  EXPECT_FALSE(is_leave_command("//quit"));
  EXPECT_FALSE(is_leave_command("LEAVE now"));
}

TEST(SecretInput, RegisterHidesEverythingAfterTheCommand) {
  EXPECT_EQ(secret_start("/register hunter2"), 10u);
  EXPECT_EQ(secret_start("/register "), 10u);  // from the first key of the password
  EXPECT_EQ(secret_start("/REGISTER x"), 10u);
  EXPECT_EQ(secret_start("/register"), std::string_view::npos);
  EXPECT_EQ(secret_start("/registered x"), std::string_view::npos);
  EXPECT_EQ(secret_start("hello /register x"), std::string_view::npos);
}

TEST(SecretInput, LoginHidesWhatFollowsTheName) {
  EXPECT_EQ(secret_start("/login raj hunter2"), 11u);
  EXPECT_EQ(secret_start("/login   raj hunter2"), 13u);
  EXPECT_EQ(secret_start("/login \"Raj Ingle\" pw"), 19u);
  EXPECT_EQ(secret_start("/login raj"), std::string_view::npos);  // the name is still being typed
  EXPECT_EQ(secret_start("/login \"Raj Ing"), std::string_view::npos);
  EXPECT_EQ(secret_start("/msg raj hunter2"), std::string_view::npos);
}

}  // namespace
}  // namespace parley::client
