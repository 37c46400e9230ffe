// What text users read of IRC users (issue 13): a PART names the room left,
// QUIT keeps the seed's sentence; CTCP requests are answered by the server
// for the text user and never shown to it as chat.
#include <set>

#include "irc_client.hpp"
#include "itest_util.hpp"

namespace parley::test {
namespace {

class TextWords : public ::testing::Test {
 protected:
  void SetUp() override {
    raj_ = connect(server_, "Raj Ingle");
    ASSERT_TRUE(raj_->register_as("Raj Ingle"));
    zoey_ = connect_irc(server_.irc_port(), "zoey");
    ASSERT_TRUE(zoey_->register_as("zoey"));
    ASSERT_TRUE(zoey_->join("#lobby"));
    ASSERT_TRUE(raj_->expect_line(joined_line("zoey")));
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
  std::unique_ptr<LineClient> raj_;
  std::unique_ptr<IrcClient> zoey_;
};

TEST_F(TextWords, PartingOneRoomNamesIt) {
  raj_->send_line("/join games");
  ASSERT_TRUE(raj_->expect_line_prefix("You joined #games."));
  ASSERT_TRUE(zoey_->join("#games"));
  ASSERT_TRUE(raj_->expect_line(joined_line("zoey")));
  zoey_->send("PART #games :see you later");
  EXPECT_TRUE(raj_->expect_line("zoey left #games (see you later)."));
  zoey_->send("QUIT :bye");
  EXPECT_TRUE(raj_->expect_line("[#lobby] zoey left the chat room (bye)."));
}

TEST_F(TextWords, CtcpToATextUserIsAnsweredForItAndNotShown) {
  zoey_->send("PRIVMSG Raj_Ingle :\x01VERSION\x01");
  IrcMessage reply;
  ASSERT_TRUE(zoey_->wait_for_command("NOTICE", &reply));
  EXPECT_EQ(reply.source, "Raj_Ingle!text@127.0.0.1");
  EXPECT_TRUE(reply.last().starts_with("\x01VERSION parley-")) << reply.raw;
  zoey_->send("PRIVMSG Raj_Ingle :\x01PING 12345\x01");
  ASSERT_TRUE(zoey_->wait_for_command("NOTICE", &reply));
  EXPECT_EQ(reply.last(), "\x01PING 12345\x01");
  zoey_->send("PRIVMSG Raj_Ingle :\x01TIME\x01");
  ASSERT_TRUE(zoey_->wait_for_command("NOTICE", &reply));
  EXPECT_TRUE(reply.last().starts_with("\x01TIME ")) << reply.raw;
  zoey_->send("PRIVMSG #lobby :\x01VERSION\x01");
  // None of them reached Raj as chat: the next line he reads is this marker.
  zoey_->send("PRIVMSG Raj_Ingle :marker");
  EXPECT_TRUE(raj_->expect_line("Private message from zoey: marker"));
}

TEST_F(TextWords, MsgToAnUnquotedNameWithSpacesSaysToQuoteIt) {
  auto rajesh = connect(server_, "Rajesh Ingle Kumar");
  ASSERT_TRUE(rajesh->register_as("Rajesh Ingle Kumar"));
  ASSERT_TRUE(raj_->expect_line(joined_line("Rajesh Ingle Kumar")));
  raj_->send_line("/msg Rajesh Ingle Kumar hi there");
  EXPECT_TRUE(raj_->expect_line("Error: there is no user named \"Rajesh\"; to write to Rajesh Ingle Kumar, quote the "
                                "name: /msg \"Rajesh Ingle Kumar\" hi there"));
  raj_->send_line("/msg Nobody Here hi");
  EXPECT_TRUE(raj_->expect_line("Error: there is no user named \"Nobody\"."));
  raj_->send_line("/msg \"Rajesh Ingle Kumar\" hi");
  EXPECT_TRUE(raj_->expect_line("Private message to Rajesh Ingle Kumar: hi"));
  EXPECT_TRUE(rajesh->expect_line("Private message from Raj Ingle: hi"));
}

TEST_F(TextWords, WhoisSaysWhoSomeoneIs) {
  zoey_->send("AWAY :lunch");
  ASSERT_TRUE(zoey_->wait_for_command("306"));
  raj_->send_line("/whois zoey");
  EXPECT_TRUE(raj_->expect_line("zoey (IRC: zoey!~u@127.0.0.1): on IRC, real name Real Name; away: lunch; in #lobby"));
  raj_->send_line("/join games");
  ASSERT_TRUE(raj_->expect_line_prefix("You joined #games."));
  raj_->send_line("/whois Raj Ingle");
  EXPECT_TRUE(
      raj_->expect_line("Raj Ingle (IRC: Raj_Ingle!text@127.0.0.1): a text user; in #lobby, #games (operator)"));
  raj_->send_line("/whois nobody");
  EXPECT_TRUE(raj_->expect_line("Error: there is no user named \"nobody\"."));
}

// Reads lines until one starts with `prefix` (what comes before it, others'
// doings in any order, is skipped); the line, or "" at the deadline.
std::string next_starting_with(LineClient& client, std::string_view prefix) {
  for (int i = 0; i < 50; ++i) {
    auto line = client.read_line();
    if (!line) return {};
    if (line->starts_with(prefix)) return *line;
  }
  return {};
}

// /who marks operators, voiced members, the away, IRC users, and a text
// user's IRC nick when it is not the one made from the name (that was taken).
TEST_F(TextWords, WhoMarksRolesAwayAndIrc) {
  raj_->send_line("/join games");
  ASSERT_TRUE(raj_->expect_line_prefix("You joined #games."));
  ASSERT_TRUE(zoey_->join("#games"));
  ASSERT_TRUE(raj_->expect_line(joined_line("zoey")));
  auto amy_irc = connect_irc(server_.irc_port(), "Amy_Lee");
  ASSERT_TRUE(amy_irc->register_as("Amy_Lee"));
  auto amy = connect(server_, "Amy Lee");
  ASSERT_TRUE(amy->register_as("Amy"));
  // Renamed into a clash, a text user is told the nick IRC users see, as at the welcome.
  amy->send_line("/nick Amy Lee");
  std::set<std::string> told;
  for (int i = 0; i < 2; ++i) told.insert(amy->read_line().value_or(""));
  EXPECT_EQ(told, (std::set<std::string>{"Amy is now known as Amy Lee.",
                                         "IRC users see you as Amy_Lee2 (Amy_Lee is taken)."}));
  amy->send_line("/join games");
  ASSERT_TRUE(amy->expect_line_prefix("You joined #games."));
  raj_->send_line("/voice zoey");
  zoey_->send("AWAY :lunch");
  ASSERT_TRUE(zoey_->wait_for_command("306"));
  raj_->send_line("/who");
  EXPECT_EQ(next_starting_with(*raj_, "Members of #games"),
            "Members of #games (3): Raj Ingle (operator), zoey (voice, away, IRC), Amy Lee (IRC nick Amy_Lee2)");
  // The lobby belongs to the server: nobody is its operator by joining first.
  raj_->send_line("/who lobby");
  EXPECT_EQ(next_starting_with(*raj_, "Members of #lobby"),
            "Members of #lobby (3): Raj Ingle, zoey (away, IRC), Amy Lee (IRC nick Amy_Lee2)");
}

// The message of the day reaches text users too, after the seed's welcome.
TEST(TextMotd, ShownAfterTheWelcome) {
  TempDir dir("parley-text-motd");
  const auto motd_path = dir.path() / "motd.txt";
  write_file(motd_path, "Welcome to Parley.\r\nBe kind to each other.\n");
  ServerProcess server(
      ServerOptions{.threads = kThreads, .config_toml = "[irc]\nmotd_file = \"" + motd_path.string() + "\"\n"});
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  EXPECT_TRUE(raj->expect_line("Welcome to Parley."));
  EXPECT_TRUE(raj->expect_line("Be kind to each other."));
  raj->send_line("hi");
  EXPECT_TRUE(raj->expect_line(message_line("Raj Ingle", "hi")));
}

}  // namespace
}  // namespace parley::test
