// The parley client's pure parts for a person at a terminal: what it learns
// from the server's lines (the room for the prompt, members and rooms for
// Tab), Ctrl-C's question, where the history is kept, the time prefix.

#include <gtest/gtest.h>

#include <ctime>
#include <regex>

#include "chat_state.hpp"
#include "interrupt_guard.hpp"
#include "state_files.hpp"

namespace parley::client {
namespace {

using Names = std::vector<std::string>;

// A state as after the welcome and the client's own /who.
ChatState in_lobby() {
  ChatState chat;
  EXPECT_TRUE(chat.on_server_line("Welcome Raj Ingle to chatroom! Enter LEAVE to exit the chatroom"));
  chat.asked_who();
  EXPECT_FALSE(chat.on_server_line("Members of #lobby (4): Raj Ingle, Zoë Adams (operator, away), zoe (IRC), "
                                   "Zed (x) (IRC nick Zed_x_2)"));
  return chat;
}

TEST(ChatState, LearnsTheRoomFromItsOwnWhoAndHidesOnlyThatAnswer) {
  ChatState chat;
  EXPECT_EQ(chat.prompt(), "> ");
  chat = in_lobby();
  EXPECT_EQ(chat.room(), "lobby");
  EXPECT_EQ(chat.prompt(), "#lobby> ");
  // The notes /who adds are not part of the names; a name's own brackets are.
  EXPECT_EQ(chat.members("lobby"), (Names{"Raj Ingle", "Zoë Adams", "zoe", "Zed (x)"}));
  // The user's own /who is shown.
  EXPECT_TRUE(chat.on_server_line("Members of #lobby (1): Raj Ingle"));
  // In no room, the client's /who is answered with a usage line: hidden too.
  ChatState nowhere;
  nowhere.asked_who();
  EXPECT_FALSE(nowhere.on_server_line("Usage: /who ROOM"));
  EXPECT_TRUE(nowhere.on_server_line("Usage: /who ROOM"));
  EXPECT_EQ(nowhere.prompt(), "> ");
}

TEST(ChatState, MemberListsLoseOnlyTheNotesOfWho) {
  auto names = [](std::string_view list) {
    Names out;
    for (const auto& [pos, len] : member_spans(list)) out.emplace_back(list.substr(pos, len));
    return out;
  };
  EXPECT_EQ(names("Raj Ingle, Zoë"), (Names{"Raj Ingle", "Zoë"}));
  EXPECT_EQ(names("Raj Ingle (operator, away), Zoë (voice, IRC), Amy Lee (IRC nick Amy_Lee2)"),
            (Names{"Raj Ingle", "Zoë", "Amy Lee"}));
  // Brackets that are not /who's belong to the name.
  EXPECT_EQ(names("Zed (x), Bo (away) (IRC), Cy (operator x)"), (Names{"Zed (x)", "Bo (away)", "Cy (operator x)"}));
  EXPECT_EQ(names(""), Names{});
}

TEST(ChatState, FollowsTheCurrentRoom) {
  ChatState chat = in_lobby();
  EXPECT_TRUE(chat.on_server_line("You joined #games. Members (2): Amy, Raj Ingle"));
  EXPECT_EQ(chat.prompt(), "#games> ");
  EXPECT_EQ(chat.members("games"), (Names{"Amy", "Raj Ingle"}));
  chat.on_server_line("You are now talking in #lobby.");
  EXPECT_EQ(chat.prompt(), "#lobby> ");
  chat.on_server_line("You left #lobby.");
  EXPECT_EQ(chat.prompt(), "> ");
  chat.on_server_line("You are now talking in #games.");
  EXPECT_EQ(chat.room(), "games");
  chat.on_server_line("Amy kicked you from #games (spam).");
  EXPECT_EQ(chat.prompt(), "> ");
  chat.on_server_line("You are not in any room. Use /join ROOM to enter one.");
  EXPECT_EQ(chat.prompt(), "> ");
}

TEST(ChatState, KeepsMembersFromJoinsPartsRenamesAndKicks) {
  ChatState chat = in_lobby();
  chat.on_server_line("You joined #games.");
  chat.on_server_line("Amy Lee has joined the chat room!");
  chat.on_server_line("[#lobby] Bob has joined the chat room!");
  EXPECT_EQ(chat.members("games"), (Names{"Raj Ingle", "Amy Lee"}));
  EXPECT_EQ(chat.members("lobby").back(), "Bob");
  chat.on_server_line("[#lobby] zoe left the chat room (bye).");
  chat.on_server_line("[#lobby] Bob left #lobby.");
  EXPECT_EQ(chat.members("lobby"), (Names{"Raj Ingle", "Zoë Adams", "Zed (x)"}));
  chat.on_server_line("Amy Lee is now known as Amy.");
  EXPECT_EQ(chat.members("games"), (Names{"Raj Ingle", "Amy"}));
  chat.on_server_line("[#lobby] Zoë Adams kicked Zed (x) from #lobby (spam).");
  EXPECT_EQ(chat.members("lobby"), (Names{"Raj Ingle", "Zoë Adams"}));
  chat.on_server_line("Message from User - Cy: hi");
  EXPECT_EQ(chat.members("games"), (Names{"Raj Ingle", "Amy", "Cy"}));
}

TEST(ChatState, TabCompletesMembersOfTheCurrentRoom) {
  ChatState chat = in_lobby();
  // At the start of a line: the name and ": ".
  auto c = chat.complete("zo", 2);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->text, "Zo");  // Zoë Adams and zoe: their common start, as the first spells it
  EXPECT_EQ(c->choices, (Names{"Zoë Adams", "zoe"}));
  c = chat.complete("Zoë A", 6);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->from, 0u);
  EXPECT_EQ(c->to, 6u);
  EXPECT_EQ(c->text, "Zoë Adams: ");
  // Inside a line, after a space.
  c = chat.complete("hi Zoë a", 9);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->from, 3u);
  EXPECT_EQ(c->text, "Zoë Adams ");
  // After a command, a name with spaces is quoted; one without is not.
  c = chat.complete("/msg Zoë", 9);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->from, 5u);
  EXPECT_EQ(c->text, "\"Zoë Adams\" ");
  c = chat.complete("/whois \"Ze", 10);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->from, 7u);
  EXPECT_EQ(c->text, "\"Zed (x)\" ");
  c = chat.complete("/kick zoe", 9);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->text, "zoe ");
  // Not the user's own name, not a command's name, nothing for no match.
  EXPECT_FALSE(chat.complete("Raj", 3));
  EXPECT_FALSE(chat.complete("/who", 4));
  EXPECT_FALSE(chat.complete("hi Nobody", 9));
  EXPECT_FALSE(chat.complete("", 0));
}

TEST(ChatState, TabCompletesRooms) {
  ChatState chat = in_lobby();
  chat.on_server_line("Rooms (3): #games (1), #garden (2), #lobby (4)");
  auto c = chat.complete("/join #ga", 9);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->text, "#ga");
  EXPECT_EQ(c->choices, (Names{"#games", "#garden"}));
  c = chat.complete("/join #gar", 10);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->from, 6u);
  EXPECT_EQ(c->text, "#garden ");
  c = chat.complete("come to #LO", 11);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->text, "#lobby ");
}

TEST(InterruptGuard, AsksBeforeThrowingADraftAwayAndQuitsOnAnEmptyLine) {
  InterruptGuard guard;
  using D = InterruptGuard::Decision;
  EXPECT_EQ(guard.on_interrupt(""), D::quit);
  EXPECT_EQ(guard.on_interrupt("half a line"), D::ask);
  EXPECT_EQ(guard.on_interrupt("half a line"), D::discard);
  // Typing between the two asks again.
  EXPECT_EQ(guard.on_interrupt("draft"), D::ask);
  EXPECT_EQ(guard.on_interrupt("draft, more"), D::ask);
  EXPECT_EQ(guard.on_interrupt("draft, more"), D::discard);
  EXPECT_EQ(guard.on_interrupt("draft, more"), D::ask);  // the same words typed again: a new draft
  EXPECT_EQ(guard.on_interrupt(""), D::quit);
}

TEST(StateFiles, HistoryPathFollowsXdgStateHome) {
  EXPECT_EQ(history_path("/tmp/state", "/home/raj"), "/tmp/state/parley/history");
  EXPECT_EQ(history_path(nullptr, "/home/raj"), "/home/raj/.local/state/parley/history");
  EXPECT_EQ(history_path("", "/home/raj"), "/home/raj/.local/state/parley/history");
  EXPECT_EQ(history_path("relative", "/home/raj"), "/home/raj/.local/state/parley/history");  // the spec: ignored
  EXPECT_EQ(history_path(nullptr, nullptr), "");
}

TEST(StateFiles, TimePrefixIsLocalHoursAndMinutes) {
  const std::time_t now = std::time(nullptr);
  const std::string prefix = time_prefix(now);
  EXPECT_TRUE(std::regex_match(prefix, std::regex("[0-2][0-9]:[0-5][0-9] "))) << prefix;
  std::tm local{};
  ASSERT_NE(::localtime_r(&now, &local), nullptr);
  EXPECT_EQ(std::stoi(prefix.substr(0, 2)), local.tm_hour);
  EXPECT_EQ(std::stoi(prefix.substr(3, 2)), local.tm_min);
}

}  // namespace
}  // namespace parley::client
