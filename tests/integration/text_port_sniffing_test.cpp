// The text port's first lines (issue 13, issue 12): an IRC client pointed at
// it registers as on the IRC port; a browser gets a short HTTP answer naming
// the web port; everyone else, names that only look like IRC included, gets
// the seed's conversation word for word.
#include "irc_client.hpp"
#include "itest_util.hpp"

namespace parley::test {
namespace {

class TextPortSniffing : public ::testing::Test {
 protected:
  // An IRC client on the text port, past the seed's greeting (sent on connect,
  // before the server knows who is calling).
  std::unique_ptr<IrcClient> irc_on_text_port(const std::string& nick) {
    auto c = std::make_unique<IrcClient>(server_.port(), nick);
    EXPECT_TRUE(c->line_client().expect_line(kGreeting));
    return c;
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
};

TEST_F(TextPortSniffing, CapLsRegistersAsIrc) {
  auto zoe = irc_on_text_port("zoe");
  ASSERT_TRUE(zoe->register_as("zoe", IrcRegisterOptions{.user = "u", .real_name = "Zoe", .caps = "", .cap_ls = true}));  // CAP LS 302, NICK, USER, CAP END
  auto raj = connect(server_, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  ASSERT_TRUE(zoe->join("#lobby"));
  ASSERT_TRUE(raj->expect_line(joined_line("zoe")));
  ASSERT_TRUE(say(*raj, "Raj Ingle", "hello zoe", {raj.get()}));
  EXPECT_TRUE(zoe->expect_raw(":Raj_Ingle!text@127.0.0.1 PRIVMSG #lobby :hello zoe"));
}

TEST_F(TextPortSniffing, NickThenUserRegistersAsIrc) {
  auto zoe = irc_on_text_port("zoe");
  ASSERT_TRUE(zoe->register_as("zoe", IrcRegisterOptions{.user = "z", .real_name = "Zoe", .caps = "", .cap_ls = false}));
  zoe->send("PING :still-here");
  EXPECT_TRUE(zoe->wait_for_command("PONG"));
}

TEST_F(TextPortSniffing, NamesThatLookLikeIrcStayText) {
  for (const std::string name : {"CAP", "NICKY", "CAP LS please"}) {
    auto c = connect(server_, name);
    ASSERT_TRUE(c->register_as(name)) << name;
  }
}

// "NICK Jones" could start IRC registration: the next line decides, and it is
// not USER, so both lines are the seed's conversation, in order.
TEST_F(TextPortSniffing, NickLineFollowedByChatIsANameThenAMessage) {
  auto raj = connect(server_, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto jones = connect(server_, "NICK Jones");
  ASSERT_TRUE(jones->expect_line(kGreeting));
  jones->send_line("NICK Jones");
  jones->send_line("hello");
  EXPECT_TRUE(jones->expect_line(welcome_line("NICK Jones")));
  EXPECT_TRUE(raj->expect_line(joined_line("NICK Jones")));
  EXPECT_TRUE(raj->expect_line(message_line("NICK Jones", "hello")));
}

// A lone "NICK Jones" and then the end of input: still a name (nc -N).
TEST_F(TextPortSniffing, NickLineThenEndOfInputIsAName) {
  auto raj = connect(server_, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto jones = connect(server_, "NICK Jones");
  ASSERT_TRUE(jones->expect_line(kGreeting));
  jones->send_line("NICK Jones");
  jones->shutdown_write();
  EXPECT_TRUE(jones->expect_line(welcome_line("NICK Jones")));
  EXPECT_TRUE(raj->expect_line(joined_line("NICK Jones")));
}

TEST_F(TextPortSniffing, HttpRequestGetsAPointerToTheWebPortAndIsClosed) {
  auto browser = connect(server_, "browser");
  ASSERT_TRUE(browser->expect_line(kGreeting));
  browser->send_raw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n\r\n");
  EXPECT_TRUE(browser->expect_line("HTTP/1.1 400 Bad Request\r"));
  std::vector<std::string> rest;
  while (auto line = browser->read_line()) rest.push_back(*line);
  EXPECT_TRUE(browser->closed());
  ASSERT_FALSE(rest.empty());
  EXPECT_NE(rest.back().find("port " + std::to_string(server_.http_port())), std::string::npos) << rest.back();
  // Nobody joined: the next user to join is the first the room hears of.
  auto raj = connect(server_, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto amy = connect(server_, "Amy");
  ASSERT_TRUE(amy->register_as("Amy"));
  EXPECT_TRUE(raj->expect_line(joined_line("Amy")));
}

TEST(TextPortSniffingConfig, HttpAnswerNamesTheWebPortInUse) {
  ServerProcess server(ServerOptions{.threads = kThreads});
  auto browser = connect(server, "browser");
  ASSERT_TRUE(browser->expect_line(kGreeting));
  browser->send_raw("GET / HTTP/1.1\r\n\r\n");
  std::string all;
  while (auto line = browser->read_line()) all += *line + "\n";
  EXPECT_NE(all.find("port " + std::to_string(server.http_port())), std::string::npos) << all;
}

}  // namespace
}  // namespace parley::test
