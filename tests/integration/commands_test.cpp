// Slash commands (docs/text-protocol.md, "Rooms" and "Slash commands").
//
// Where the doc fixes the words, the tests check them exactly. Where it does
// not (what other members see when someone joins or parts a room other than
// by registering), they only check that such a line names the user.

#include <algorithm>
#include <set>

#include "itest_util.hpp"

namespace parley::test {
namespace {

// Splits "a, b, c" into its parts.
std::multiset<std::string> split_names(std::string_view list) {
  std::multiset<std::string> out;
  while (!list.empty()) {
    auto comma = list.find(", ");
    out.emplace(list.substr(0, comma));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 2);
  }
  return out;
}

// The next line must be `prefix` + "(N): " + the names in `members`, in any
// order (the doc's examples do not say which order a list is in).
[[nodiscard]] ::testing::AssertionResult expect_members(LineClient& c, std::string_view prefix,
                                                        std::multiset<std::string> members) {
  std::string head = std::string(prefix) + "(" + std::to_string(members.size()) + "): ";
  std::string line;
  if (auto r = c.expect_line_prefix(head, &line); !r) return r;
  auto got = split_names(std::string_view(line).substr(head.size()));
  if (got != members) {
    std::string want;
    for (auto& m : members) want += (want.empty() ? "" : ", ") + m;
    return ::testing::AssertionFailure() << "client '" << c.label() << "' got \"" << printable(line)
                                         << "\", expected the members {" << want << "}";
  }
  return ::testing::AssertionSuccess();
}

// The next line must contain every one of `parts` (for lines whose exact
// words the doc leaves open).
[[nodiscard]] ::testing::AssertionResult expect_line_mentioning(LineClient& c, std::vector<std::string> parts) {
  auto line = c.read_line();
  if (!line) return ::testing::AssertionFailure() << "client '" << c.label() << "' received no line";
  for (auto& p : parts) {
    if (line->find(p) == std::string::npos) {
      return ::testing::AssertionFailure() << "client '" << c.label() << "' got \"" << printable(*line)
                                           << "\", which does not mention \"" << p << "\"";
    }
  }
  return ::testing::AssertionSuccess();
}

// Raj Ingle and Zoë in #lobby.
class Commands : public ::testing::Test {
 protected:
  void SetUp() override {
    raj_ = connect(server_, "Raj Ingle");
    ASSERT_TRUE(raj_->register_as("Raj Ingle"));
    zoe_ = connect(server_, "Zoë");
    ASSERT_TRUE(join_room(*zoe_, "Zoë", {raj_.get()}));
  }

  std::unique_ptr<LineClient> add_user(std::string_view name, std::vector<LineClient*> in_lobby) {
    auto c = connect(server_, std::string(name));
    EXPECT_TRUE(join_room(*c, name, in_lobby));
    return c;
  }

  ServerProcess server_{ServerOptions{.config_toml = std::string(unlimited_config())}};
  std::unique_ptr<LineClient> raj_;
  std::unique_ptr<LineClient> zoe_;
};

TEST_F(Commands, JoinCreatesAndSwitches) {
  raj_->send_line("/join games");
  ASSERT_TRUE(expect_members(*raj_, "You joined #games. Members ", {"Raj Ingle"}));
  // Typed with '#' and another case: the same room, spelled as its creator did.
  zoe_->send_line("/join #GAMES");
  ASSERT_TRUE(expect_members(*zoe_, "You joined #games. Members ", {"Raj Ingle", "Zoë"}));
  ASSERT_TRUE(expect_line_mentioning(*raj_, {"Zoë"}));  // Raj is told Zoë came in

  // Back to #lobby, which Zoë is still in: a switch.
  zoe_->send_line("/join lobby");
  ASSERT_TRUE(zoe_->expect_line("You are now talking in #lobby."));
  zoe_->send_line("in the lobby");
  ASSERT_TRUE(zoe_->expect_line(message_line("Zoë", "in the lobby")));
  ASSERT_TRUE(raj_->expect_line("[#lobby] " + message_line("Zoë", "in the lobby")));

  raj_->send_line("in games");
  ASSERT_TRUE(raj_->expect_line(message_line("Raj Ingle", "in games")));
  ASSERT_TRUE(zoe_->expect_line("[#games] " + message_line("Raj Ingle", "in games")));

  zoe_->send_line("/join #games");
  ASSERT_TRUE(zoe_->expect_line("You are now talking in #games."));
  raj_->send_line("now both here");
  ASSERT_TRUE(raj_->expect_line(message_line("Raj Ingle", "now both here")));
  ASSERT_TRUE(zoe_->expect_line(message_line("Raj Ingle", "now both here")));
}

// "case does not matter for which room it is, and it keeps the spelling of
// whoever created it": every answer shows the creator's spelling, whatever
// the user typed.
TEST_F(Commands, RoomKeepsItsCreatorsSpelling) {
  raj_->send_line("/join Games");
  ASSERT_TRUE(expect_members(*raj_, "You joined #Games. Members ", {"Raj Ingle"}));
  zoe_->send_line("/join GAMES");
  ASSERT_TRUE(expect_members(*zoe_, "You joined #Games. Members ", {"Raj Ingle", "Zoë"}));
  ASSERT_TRUE(expect_line_mentioning(*raj_, {"Zoë"}));
  zoe_->send_line("/who gAmEs");
  ASSERT_TRUE(expect_members(*zoe_, "Members of #Games ", {"Raj Ingle (operator)", "Zoë"}));
  zoe_->send_line("/rooms");
  ASSERT_TRUE(zoe_->expect_line("Rooms (2): #Games (2), #lobby (2)"));
  zoe_->send_line("/join LOBBY");
  ASSERT_TRUE(zoe_->expect_line("You are now talking in #lobby."));
  raj_->send_line("in Games");
  ASSERT_TRUE(raj_->expect_line(message_line("Raj Ingle", "in Games")));
  ASSERT_TRUE(zoe_->expect_line("[#Games] " + message_line("Raj Ingle", "in Games")));
  zoe_->send_line("/join #games");
  ASSERT_TRUE(zoe_->expect_line("You are now talking in #Games."));
  zoe_->send_line("/part GAMES");
  ASSERT_TRUE(zoe_->expect_line("You left #Games."));
  ASSERT_TRUE(zoe_->expect_line("You are now talking in #lobby."));
}

TEST_F(Commands, RoomsAndWho) {
  raj_->send_line("/join games");
  ASSERT_TRUE(expect_members(*raj_, "You joined #games. Members ", {"Raj Ingle"}));
  raj_->send_line("/rooms");
  ASSERT_TRUE(raj_->expect_line("Rooms (2): #games (1), #lobby (2)"));
  // /who marks the room's operator (its creator); #lobby has none.
  raj_->send_line("/who");
  ASSERT_TRUE(expect_members(*raj_, "Members of #games ", {"Raj Ingle (operator)"}));
  raj_->send_line("/who lobby");
  ASSERT_TRUE(expect_members(*raj_, "Members of #lobby ", {"Raj Ingle", "Zoë"}));
  zoe_->send_line("/who #GAMES");
  ASSERT_TRUE(expect_members(*zoe_, "Members of #games ", {"Raj Ingle (operator)"}));
  zoe_->send_line("/who");
  ASSERT_TRUE(expect_members(*zoe_, "Members of #lobby ", {"Raj Ingle", "Zoë"}));
}

TEST_F(Commands, PartCurrentAndLast) {
  raj_->send_line("/join games");
  ASSERT_TRUE(expect_members(*raj_, "You joined #games. Members ", {"Raj Ingle"}));
  raj_->send_line("/part");
  ASSERT_TRUE(raj_->expect_line("You left #games."));
  ASSERT_TRUE(raj_->expect_line("You are now talking in #lobby."));
  raj_->send_line("/part games");
  ASSERT_TRUE(raj_->expect_line("Error: you are not in #games."));

  raj_->send_line("/part #lobby");
  ASSERT_TRUE(raj_->expect_line("You left #lobby."));
  ASSERT_TRUE(raj_->expect_line("You are not in any room. Use /join ROOM to enter one."));
  ASSERT_TRUE(expect_line_mentioning(*zoe_, {"Raj Ingle"}));  // Zoë is told Raj went

  raj_->send_line("hello?");
  ASSERT_TRUE(raj_->expect_line("Error: you are not in any room. Use /join ROOM to enter one."));
  // Zoë got nothing of it: her next line is her own message.
  ASSERT_TRUE(say(*zoe_, "Zoë", "alone now", {zoe_.get()}));

  raj_->send_line("/join lobby");
  ASSERT_TRUE(expect_members(*raj_, "You joined #lobby. Members ", {"Raj Ingle", "Zoë"}));
  ASSERT_TRUE(expect_line_mentioning(*zoe_, {"Raj Ingle"}));
  ASSERT_TRUE(say(*zoe_, "Zoë", "welcome back", {zoe_.get(), raj_.get()}));
}

TEST_F(Commands, PrivateMessages) {
  zoe_->send_line("/msg \"Raj Ingle\" hi there");
  ASSERT_TRUE(raj_->expect_line("Private message from Zoë: hi there"));
  ASSERT_TRUE(zoe_->expect_line("Private message to Raj Ingle: hi there"));
  raj_->send_line("/msg Zoë hello back");
  ASSERT_TRUE(zoe_->expect_line("Private message from Raj Ingle: hello back"));
  ASSERT_TRUE(raj_->expect_line("Private message to Zoë: hello back"));

  zoe_->send_line("/msg Bob hi");
  ASSERT_TRUE(zoe_->expect_line("Error: there is no user named \"Bob\"."));
  zoe_->send_line("/msg");
  ASSERT_TRUE(zoe_->expect_line("Usage: /msg NAME text"));
  zoe_->send_line("/msg \"Raj Ingle\"");
  ASSERT_TRUE(zoe_->expect_line("Usage: /msg NAME text"));
  // None of it reached Raj: his next line is a room message.
  ASSERT_TRUE(say(*zoe_, "Zoë", "done", {zoe_.get(), raj_.get()}));
}

TEST_F(Commands, PrivateMessageAcrossRooms) {
  // Names are server-wide: a user in no shared room can be messaged.
  raj_->send_line("/join games");
  ASSERT_TRUE(expect_members(*raj_, "You joined #games. Members ", {"Raj Ingle"}));
  raj_->send_line("/part lobby");
  ASSERT_TRUE(raj_->expect_line("You left #lobby."));
  // The answer always names the current room afterwards.
  ASSERT_TRUE(raj_->expect_line("You are now talking in #games."));
  ASSERT_TRUE(expect_line_mentioning(*zoe_, {"Raj Ingle"}));
  zoe_->send_line("/msg \"Raj Ingle\" psst");
  ASSERT_TRUE(raj_->expect_line("Private message from Zoë: psst"));
  ASSERT_TRUE(zoe_->expect_line("Private message to Raj Ingle: psst"));
}

TEST_F(Commands, MeAction) {
  zoe_->send_line("/me waves");
  ASSERT_TRUE(zoe_->expect_line("* Zoë waves"));
  ASSERT_TRUE(raj_->expect_line("* Zoë waves"));
}

TEST_F(Commands, NickChange) {
  zoe_->send_line("/nick Zoe");
  ASSERT_TRUE(raj_->expect_line("Zoë is now known as Zoe."));
  ASSERT_TRUE(zoe_->expect_line("Zoë is now known as Zoe."));
  ASSERT_TRUE(say(*zoe_, "Zoe", "new name", {zoe_.get(), raj_.get()}));
  raj_->send_line("/who");
  ASSERT_TRUE(expect_members(*raj_, "Members of #lobby ", {"Raj Ingle", "Zoe"}));

  // The old name is free; the new one is taken.
  auto k = connect(server_, "newcomer");
  ASSERT_TRUE(k->expect_line(kGreeting));
  k->send_line("zoe");
  auto refusal = k->read_line();
  ASSERT_TRUE(refusal == "Error: the name \"zoe\" is in use." || refusal == "Error: the name \"Zoe\" is in use.")
      << printable(refusal.value_or("(no line)"));
  ASSERT_TRUE(k->expect_line("Please enter a different name."));
  k->send_line("Zoë");
  ASSERT_TRUE(k->expect_line(welcome_line("Zoë")));
  ASSERT_TRUE(raj_->expect_line(joined_line("Zoë")));
  ASSERT_TRUE(zoe_->expect_line(joined_line("Zoë")));
}

// A rename is settled before the next line is read: what is typed right after
// /nick (here in the same packet) is said under the new name.
TEST_F(Commands, LinesAfterNickComeFromTheNewName) {
  zoe_->send_raw("/nick Zoe\nfirst words\n/nick Zed\nsecond words\n");
  for (LineClient* c : {raj_.get(), zoe_.get()}) {
    ASSERT_TRUE(c->expect_line("Zoë is now known as Zoe."));
    ASSERT_TRUE(c->expect_line("Message from User - Zoe: first words"));
    ASSERT_TRUE(c->expect_line("Zoe is now known as Zed."));
    ASSERT_TRUE(c->expect_line("Message from User - Zed: second words"));
  }
}

TEST_F(Commands, NickRefusals) {
  // The same rules as at the prompt; a "Please enter a different name." may
  // follow the error, the command line stays usable either way.
  auto refused = [&](std::string_view cmd, std::string_view error) -> ::testing::AssertionResult {
    zoe_->send_line(cmd);
    auto line = zoe_->read_line();
    if (!line || *line != error) {
      return ::testing::AssertionFailure() << "after \"" << printable(cmd) << "\" expected \"" << error << "\", got \""
                                           << printable(line.value_or("(no line)")) << "\"";
    }
    zoe_->send_line("/who");
    line = zoe_->read_line();
    if (line == "Please enter a different name.") line = zoe_->read_line();
    if (!line || line->rfind("Members of #lobby (2): ", 0) != 0) {
      return ::testing::AssertionFailure()
             << "after \"" << printable(cmd) << "\" and /who, got \"" << printable(line.value_or("(no line)")) << "\"";
    }
    return ::testing::AssertionSuccess();
  };
  ASSERT_TRUE(refused("/nick Raj Ingle", "Error: the name \"Raj Ingle\" is in use."));
  ASSERT_TRUE(refused("/nick a:b", "Error: a name cannot contain ':'."));
  ASSERT_TRUE(refused("/nick #zoe", "Error: a name cannot start with '/' or '#'."));
  ASSERT_TRUE(refused("/nick " + repeat("z", 33), "Error: a name can be at most 32 characters long."));
  zoe_->send_line("/nick");
  std::string usage;
  ASSERT_TRUE(zoe_->expect_line_prefix("Usage: /nick", &usage));
  // Raj saw none of it.
  ASSERT_TRUE(say(*zoe_, "Zoë", "unchanged", {zoe_.get(), raj_.get()}));
}

// New rooms lock the topic to their operators, the first to join being one;
// "The default room has no automatic operator" (issue 9), so Raj sets topics
// in rooms he creates.
TEST_F(Commands, Topic) {
  raj_->send_line("/topic");
  ASSERT_TRUE(raj_->expect_line("#lobby has no topic."));
  raj_->send_line("/join tea");
  ASSERT_TRUE(expect_members(*raj_, "You joined #tea. Members ", {"Raj Ingle"}));
  zoe_->send_line("/join tea");
  ASSERT_TRUE(expect_members(*zoe_, "You joined #tea. Members ", {"Raj Ingle", "Zoë"}));
  ASSERT_TRUE(expect_line_mentioning(*raj_, {"Zoë"}));
  raj_->send_line("/topic");
  ASSERT_TRUE(raj_->expect_line("#tea has no topic."));
  raj_->send_line("/topic Fun stuff only");
  ASSERT_TRUE(raj_->expect_line("Raj Ingle set the topic of #tea to: Fun stuff only"));
  ASSERT_TRUE(zoe_->expect_line("Raj Ingle set the topic of #tea to: Fun stuff only"));
  zoe_->send_line("/topic");
  ASSERT_TRUE(zoe_->expect_line("Topic of #tea: Fun stuff only"));

  // Joining a room with a topic shows it after the member list.
  raj_->send_line("/join games");
  ASSERT_TRUE(expect_members(*raj_, "You joined #games. Members ", {"Raj Ingle"}));
  raj_->send_line("/topic Chess at noon");
  ASSERT_TRUE(raj_->expect_line("Raj Ingle set the topic of #games to: Chess at noon"));
  zoe_->send_line("/join games");
  ASSERT_TRUE(expect_members(*zoe_, "You joined #games. Members ", {"Raj Ingle", "Zoë"}));
  ASSERT_TRUE(zoe_->expect_line("Topic of #games: Chess at noon"));
}

TEST_F(Commands, QuitWithAndWithoutReason) {
  auto k = add_user("Keerthi Reddy Kandi", {raj_.get(), zoe_.get()});
  zoe_->send_line("/quit gone fishing");
  ASSERT_TRUE(zoe_->expect_line("LEAVE"));
  ASSERT_TRUE(zoe_->expect_closed());
  ASSERT_TRUE(raj_->expect_line("Zoë left the chat room (gone fishing)."));
  ASSERT_TRUE(k->expect_line("Zoë left the chat room (gone fishing)."));
  k->send_line("/quit");
  ASSERT_TRUE(k->expect_line("LEAVE"));
  ASSERT_TRUE(k->expect_closed());
  ASSERT_TRUE(raj_->expect_line("Keerthi Reddy Kandi left the chat room."));
}

TEST_F(Commands, Help) {
  // /help lists commands over several lines; /who marks the end of them.
  auto collect_until_who = [&](LineClient& c) {
    std::vector<std::string> lines;
    for (int i = 0; i < 200; ++i) {
      auto line = c.read_line();
      if (!line) break;
      if (line->rfind("Members of #lobby (2): ", 0) == 0) return lines;
      lines.push_back(*line);
    }
    ADD_FAILURE() << "the /who after /help never answered; got " << lines.size() << " lines";
    return lines;
  };
  raj_->send_line("/help");
  raj_->send_line("/who");
  auto all = collect_until_who(*raj_);
  EXPECT_GE(all.size(), 2u);
  std::string text;
  for (auto& l : all) text += l + "\n";
  for (const char* cmd : {"/join", "/part", "/rooms", "/who", "/msg", "/me", "/nick", "/topic", "/quit", "/help"}) {
    EXPECT_NE(text.find(cmd), std::string::npos) << "/help does not mention " << cmd << ":\n" << text;
  }
  for (auto& l : all) EXPECT_FALSE(has_terminal_controls(l)) << printable(l);

  raj_->send_line("/help msg");
  raj_->send_line("/who");
  auto one = collect_until_who(*raj_);
  ASSERT_GE(one.size(), 1u);
  std::string one_text;
  for (auto& l : one) one_text += l + "\n";
  EXPECT_NE(one_text.find("/msg"), std::string::npos) << one_text;
}

TEST_F(Commands, UnknownCommand) {
  raj_->send_line("/foo");
  ASSERT_TRUE(raj_->expect_line("Error: unknown command /foo. Try /help."));
  raj_->send_line("/foo with arguments");
  ASSERT_TRUE(raj_->expect_line("Error: unknown command /foo. Try /help."));
  // Not relayed.
  ASSERT_TRUE(say(*raj_, "Raj Ingle", "after", {raj_.get(), zoe_.get()}));
}

TEST_F(Commands, UsageAndRoomNameErrors) {
  std::string line;
  raj_->send_line("/join");
  ASSERT_TRUE(raj_->expect_line_prefix("Usage: /join", &line));
  for (std::string bad :
       {std::string("bad,room"), std::string("a:b"), std::string("two words here"), repeat("r", 51), std::string("#")}) {
    SCOPED_TRACE(bad);
    raj_->send_line("/join " + bad);
    ASSERT_TRUE(raj_->expect_line_prefix("", &line));
    EXPECT_TRUE(line.rfind("Error: ", 0) == 0 || line.rfind("Usage: ", 0) == 0) << printable(line);
  }
  // 50 characters is a fine room name.
  raj_->send_line("/join " + repeat("r", 50));
  ASSERT_TRUE(expect_members(*raj_, "You joined #" + repeat("r", 50) + ". Members ", {"Raj Ingle"}));
  raj_->send_line("/part nowhere");
  ASSERT_TRUE(raj_->expect_line("Error: you are not in #nowhere."));
  raj_->send_line("/who nowhere");
  ASSERT_TRUE(raj_->expect_line_prefix("Error: ", &line));
  // None of it reached Zoë.
  ASSERT_TRUE(say(*zoe_, "Zoë", "quiet", {zoe_.get()}));
}

TEST_F(Commands, LinesFromOtherRoomsArePrefixed) {
  auto k = add_user("Keerthi Reddy Kandi", {raj_.get(), zoe_.get()});
  // Keerthi moves to #games only; Raj is in both with #games current.
  k->send_line("/join games");
  ASSERT_TRUE(expect_members(*k, "You joined #games. Members ", {"Keerthi Reddy Kandi"}));
  k->send_line("/part lobby");
  ASSERT_TRUE(k->expect_line("You left #lobby."));
  ASSERT_TRUE(k->expect_line("You are now talking in #games."));
  ASSERT_TRUE(expect_line_mentioning(*raj_, {"Keerthi Reddy Kandi"}));
  ASSERT_TRUE(expect_line_mentioning(*zoe_, {"Keerthi Reddy Kandi"}));
  raj_->send_line("/join games");
  ASSERT_TRUE(expect_members(*raj_, "You joined #games. Members ", {"Keerthi Reddy Kandi", "Raj Ingle"}));
  ASSERT_TRUE(expect_line_mentioning(*k, {"Raj Ingle"}));

  // Zoë speaks in #lobby: plain for her, prefixed for Raj, nothing for Keerthi.
  zoe_->send_line("hello lobby");
  ASSERT_TRUE(zoe_->expect_line(message_line("Zoë", "hello lobby")));
  ASSERT_TRUE(raj_->expect_line("[#lobby] " + message_line("Zoë", "hello lobby")));
  zoe_->send_line("/me waves");
  ASSERT_TRUE(zoe_->expect_line("* Zoë waves"));
  ASSERT_TRUE(raj_->expect_line("[#lobby] * Zoë waves"));
  // Settings and topic lines of the other room are prefixed too. New rooms
  // lock the topic to operators, and #lobby has none ("The default room has
  // no automatic operator", issue 9): Keerthi, who created #games, opens its
  // topic and sets it while Raj talks in #lobby.
  raj_->send_line("/join lobby");
  ASSERT_TRUE(raj_->expect_line("You are now talking in #lobby."));
  k->send_line("/mode -t");
  ASSERT_TRUE(k->expect_line("Keerthi Reddy Kandi set #games so that anyone in it can change the topic."));
  ASSERT_TRUE(
      raj_->expect_line("[#games] Keerthi Reddy Kandi set #games so that anyone in it can change the topic."));
  k->send_line("/topic Games talk");
  ASSERT_TRUE(k->expect_line("Keerthi Reddy Kandi set the topic of #games to: Games talk"));
  ASSERT_TRUE(raj_->expect_line("[#games] Keerthi Reddy Kandi set the topic of #games to: Games talk"));
  raj_->send_line("/join games");
  ASSERT_TRUE(raj_->expect_line("You are now talking in #games."));

  // Keerthi speaks in #games: plain for Raj.
  ASSERT_TRUE(say(*k, "Keerthi Reddy Kandi", "hello games", {k.get(), raj_.get()}));
  // Zoë's next line is her own: she heard nothing from #games.
  ASSERT_TRUE(say(*zoe_, "Zoë", "still lobby", {zoe_.get()}));
  ASSERT_TRUE(raj_->expect_line("[#lobby] " + message_line("Zoë", "still lobby")));
}

TEST(CommandsConfigured, RoomsPerUserLimit) {
  ServerProcess server(ServerOptions{.config_toml = "[limits]\nrooms_per_user = 2\n"});
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  raj->send_line("/join games");
  ASSERT_TRUE(expect_members(*raj, "You joined #games. Members ", {"Raj Ingle"}));
  raj->send_line("/join music");
  std::string line;
  ASSERT_TRUE(raj->expect_line_prefix("Error: ", &line));
  raj->send_line("/rooms");
  ASSERT_TRUE(raj->expect_line("Rooms (2): #games (1), #lobby (1)"));
}

// Everyone lands in default_room, which is configurable.
TEST(CommandsConfigured, DefaultRoom) {
  ServerProcess server(ServerOptions{.config_toml = "default_room = \"general\"\n"});
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto zoe = connect(server, "Zoë");
  ASSERT_TRUE(join_room(*zoe, "Zoë", {raj.get()}));
  zoe->send_line("/who");
  ASSERT_TRUE(expect_members(*zoe, "Members of #general ", {"Raj Ingle", "Zoë"}));
  zoe->send_line("/rooms");
  ASSERT_TRUE(zoe->expect_line("Rooms (1): #general (2)"));
}

}  // namespace
}  // namespace parley::test
