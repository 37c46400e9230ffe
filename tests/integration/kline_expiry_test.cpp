// Server bans, what issue 11 left (issue 11): temporary K-lines (IRC `KLINE
// 2s ...`, text `/kline 10m ...`) listed with their expiry and lifted by
// themselves; logins to a banned account, and registrations of a banned name,
// refused before they succeed, in both protocols.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "irc_itest_util.hpp"
#include "itest_util.hpp"

namespace parley::test {
namespace {

using ::testing::HasSubstr;

const std::string kConfig = unlimited_config() + "[[irc.operators]]\nname = \"root\"\npassword = \"sesame\"\n";

struct Klines : ::testing::Test {
  ServerProcess server{ServerOptions{.threads = kThreads, .config_toml = kConfig}};
};

std::unique_ptr<IrcClient> irc_user(const ServerProcess& server, const std::string& nick, IrcRegisterOptions options = {}) {
  auto c = std::make_unique<IrcClient>(server.irc_port(), nick);
  EXPECT_TRUE(c->register_as(nick, options));
  return c;
}

::testing::AssertionResult wait_for_text(IrcClient& c, std::string_view command, std::string_view text,
                                         IrcMessage* out = nullptr) {
  return c.wait_for(
      [command = std::string(command), text = std::string(text)](const IrcMessage& m) {
        return m.is(command) && !m.params.empty() && m.last().find(text) != std::string::npos;
      },
      std::string(command) + " with \"" + std::string(text) + "\"", out);
}

void oper(IrcClient& c) {
  c.send("OPER root sesame");
  ASSERT_TRUE(c.wait_for_command("381"));
}

// An account named for the client's nick, made by a session that then leaves.
void make_account(const ServerProcess& server, const std::string& name, const std::string& password) {
  auto c = irc_user(server, name);
  c->send("REGISTER * * " + password);
  ASSERT_TRUE(c->wait_for_command("900"));
  c->send("QUIT");
  ASSERT_TRUE(c->expect_closed(nullptr));
}

TEST_F(Klines, ATemporaryKlineIsListedWithItsExpiryAndLiftsItself) {
  auto root = irc_user(server, "root");
  oper(*root);
  root->send("KLINE 2s spam* :cool off");
  IrcMessage added;
  ASSERT_TRUE(wait_for_text(*root, "NOTICE", "Added K-line for spam*!*@*: cool off (0 disconnected, until ", &added));
  root->send("STATS k");
  IrcMessage entry;
  ASSERT_TRUE(root->wait_for_command("216", &entry));
  EXPECT_THAT(entry.last(), ::testing::MatchesRegex(
                                "cool off \\(set by root on .* UTC, expires [0-9-]+ [0-9:]+ UTC\\)"));
  ASSERT_TRUE(root->wait_for_command("219"));

  // Meanwhile it applies.
  auto refused = std::make_unique<IrcClient>(server.irc_port(), "refused");
  refused->send("NICK spammer");
  refused->send("USER u 0 * :x");
  ASSERT_TRUE(refused->wait_for_command("465"));

  // Then it lapses: a connection is let in within three times its length.
  const auto deadline = std::chrono::steady_clock::now() + 3 * 2s + default_timeout();
  bool let_in = false;
  while (!let_in && std::chrono::steady_clock::now() < deadline) {
    IrcClient c(server.irc_port(), "retry");
    c.send("NICK spammer");
    c.send("USER u 0 * :x");
    IrcMessage first;
    ASSERT_TRUE(c.wait_for(irc_any_of({"001", "465"}), "001 or 465", &first));
    let_in = first.is("001");
  }
  EXPECT_TRUE(let_in) << "the K-line did not lapse";
  root->send("STATS k");
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(root->wait_for_command("219", nullptr, &lines));
  for (const auto& m : lines) EXPECT_FALSE(m.is("216")) << "still listed: " << m.raw;
  EXPECT_TRUE(server.wait_for_log("Server ban spam*!*@* expired (cool off)."));
}

TEST_F(Klines, DurationsAtAndPastTheLongestAndTheTextCommand) {
  auto root = irc_user(server, "root");
  oper(*root);
  root->send("KLINE 365d far* :a year");
  ASSERT_TRUE(wait_for_text(*root, "NOTICE", "Added K-line for far*!*@*: a year (0 disconnected, until "));
  root->send("KLINE 366d farther* :too long");
  IrcMessage fail;
  ASSERT_TRUE(root->wait_for_command("FAIL", &fail));
  EXPECT_EQ(fail.param(1), "INVALID_PARAMS");
  EXPECT_THAT(fail.last(), HasSubstr("at most 365d"));
  root->send("KLINE 10x bad* :no such unit");
  ASSERT_TRUE(root->wait_for_command("FAIL", &fail));
  EXPECT_EQ(fail.param(1), "INVALID_PARAMS");

  auto ann_connection = connect(server, "ann");
  LineClient& ann = *ann_connection;
  ASSERT_TRUE(ann.register_as("ann"));
  ann.send_line("/oper root sesame");
  ASSERT_TRUE(ann.expect_line("You are now a server operator."));
  ann.send_line("/kline 10m troll* calm down");
  std::string line;
  ASSERT_TRUE(ann.expect_line_prefix("Added the server ban on troll*!*@* (calm down) until ", &line));
  EXPECT_THAT(line, HasSubstr("; 0 disconnected."));
  ann.send_line("/kline 0m troll* never");
  ASSERT_TRUE(ann.expect_line_prefix("Error: \"0m\" is not a duration"));
  ann.send_line("/kline 5m");  // a duration alone: no mask
  ASSERT_TRUE(ann.expect_line_prefix("Added the server ban on 5m!*@*"));  // one word: the mask
  ann.send_line("/klines");
  ASSERT_TRUE(ann.expect_line("Server bans (3):"));
  ASSERT_TRUE(ann.expect_line_prefix("  far*!*@* - a year (by root, "));
  ASSERT_TRUE(ann.expect_line_prefix("  troll*!*@* - calm down (by ann, "));
  ASSERT_TRUE(ann.expect_line_prefix("  5m!*@* - No reason given (by ann, "));
}

TEST_F(Klines, LoginsToABannedAccountAreRefusedBeforeTheySucceed) {
  make_account(server, "eve", "evepass1");
  auto root = irc_user(server, "root");
  oper(*root);
  root->send("KLINE $a:eve :abuse");
  ASSERT_TRUE(wait_for_text(*root, "NOTICE", "Added K-line for $a:eve"));

  // NickServ: refused, with the reason; the session stays, not logged in.
  auto nickserv = irc_user(server, "evelyn");
  nickserv->send("PRIVMSG NickServ :IDENTIFY eve evepass1");
  ASSERT_TRUE(wait_for_text(*nickserv, "NOTICE", "The account eve is banned from this server: abuse"));
  nickserv->send("WHOIS evelyn");
  std::vector<IrcMessage> whois;
  ASSERT_TRUE(nickserv->wait_for_command("318", nullptr, &whois));
  for (const auto& m : whois) EXPECT_FALSE(m.is("330")) << "logged in: " << m.raw;

  // SASL PLAIN: 904 after the reason.
  IrcClient sasl(server.irc_port(), "sasl");
  sasl.send("CAP LS 302");
  sasl.send("NICK evesasl");
  sasl.send("USER u 0 * :x");
  sasl.send("CAP REQ :sasl");
  ASSERT_TRUE(sasl.wait_for(irc_command_param("CAP", 1, "ACK"), "CAP ACK"));
  sasl.send("AUTHENTICATE PLAIN");
  ASSERT_TRUE(sasl.wait_for_command("AUTHENTICATE"));
  sasl.send("AUTHENTICATE AGV2ZQBldmVwYXNzMQ==");  // base64 of "\0eve\0evepass1"
  ASSERT_TRUE(wait_for_text(sasl, "NOTICE", "The account eve is banned from this server: abuse"));
  ASSERT_TRUE(sasl.expect_command("904"));
  sasl.send("CAP END");
  ASSERT_TRUE(sasl.wait_for_command("001"));  // registration goes on, without the account

  // Text /login.
  auto text_connection = connect(server, "text");
  LineClient& text = *text_connection;
  ASSERT_TRUE(text.register_as("visitor"));
  text.send_line("/login eve evepass1");
  ASSERT_TRUE(text.expect_line("Error: the account eve is banned from this server (abuse)."));
  text.send_line("/logout");
  ASSERT_TRUE(text.expect_line("Error: you are not logged in."));
}

TEST_F(Klines, ABannedNameCannotBeRegistered) {
  auto root = irc_user(server, "root");
  oper(*root);
  root->send("KLINE $a:Newbie :sock puppet");
  ASSERT_TRUE(wait_for_text(*root, "NOTICE", "Added K-line for $a:Newbie"));

  auto irc = irc_user(server, "newbie", {.caps = "draft/account-registration"});
  irc->send("REGISTER * * password1");
  IrcMessage fail;
  ASSERT_TRUE(irc->wait_for_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("FAIL REGISTER BAD_ACCOUNT_NAME newbie :That account name is banned from this server"));
  irc->send("PRIVMSG NickServ :REGISTER password1");
  ASSERT_TRUE(wait_for_text(*irc, "NOTICE", "newbie is banned from this server: sock puppet"));
  irc->send("QUIT");  // the name is free for the text user
  ASSERT_TRUE(irc->expect_closed(nullptr));

  auto text_connection = connect(server, "text");
  LineClient& text = *text_connection;
  ASSERT_TRUE(text.register_as("NEWBIE"));
  text.send_line("/register password1");
  ASSERT_TRUE(text.expect_line("Error: the name NEWBIE is banned from this server (sock puppet)."));
  // Another name is registered as usual.
  auto other = irc_user(server, "oldie");
  other->send("REGISTER * * password1");
  ASSERT_TRUE(other->wait_for_command("900"));
}

}  // namespace
}  // namespace parley::test
