// Logging out (issue 11): NickServ LOGOUT and the text /logout (account-notify
// "*", the name back on its grace period), NickServ DROP, and sessions logged
// out with an explanation when their account is deleted, by DROP or by
// `parleyd account del` on the database of the running server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include "irc_itest_util.hpp"
#include "itest_util.hpp"

namespace parley::test {
namespace {

using ::testing::HasSubstr;

constexpr auto kGrace = 1s;
constexpr auto kCheck = 1s;  // deleted_check_seconds
const std::string kConfig = "[accounts]\nname_grace_seconds = 1\ndeleted_check_seconds = 1\n";

struct Logout : ::testing::Test {
  ServerProcess server{ServerOptions{.threads = kThreads, .config_toml = kConfig}};
};

std::unique_ptr<IrcClient> irc_user(ServerProcess& server, const std::string& nick, std::string caps = {}) {
  auto c = std::make_unique<IrcClient>(server.irc_port(), nick);
  IrcRegisterOptions options;
  options.caps = std::move(caps);
  EXPECT_TRUE(c->register_as(nick, options));
  return c;
}

::testing::AssertionResult register_account(IrcClient& c, const std::string& password = "sesame!!") {
  c.send("REGISTER * * " + password);
  if (auto r = c.wait_for_command("REGISTER"); !r) return r;
  return c.wait_for_command("900");
}

// The text of the next NOTICE from NickServ.
std::string nickserv_says(IrcClient& c, Duration timeout = default_timeout()) {
  IrcMessage m;
  if (!c.wait_for([](const IrcMessage& x) { return x.is("NOTICE") && x.source_nick() == "NickServ"; }, "NickServ",
                  &m, nullptr, timeout))
    return "(nothing from NickServ)";
  return m.last();
}

TEST_F(Logout, NickServLogoutTellsTheChannelsAndPutsTheNickBackOnItsGrace) {
  auto alice = irc_user(server, "alice");
  ASSERT_TRUE(register_account(*alice));
  ASSERT_TRUE(alice->join("#talk"));
  auto bob = irc_user(server, "bob", "account-notify");
  ASSERT_TRUE(bob->join("#talk"));
  ASSERT_TRUE(alice->sync());

  alice->send("PRIVMSG NickServ :LOGOUT");
  IrcMessage out;
  ASSERT_TRUE(alice->expect_command("901", &out));
  EXPECT_EQ(out.param(1), prefix_of("alice"));
  EXPECT_EQ(nickserv_says(*alice), "You are now logged out of alice.");
  IrcMessage account;
  ASSERT_TRUE(bob->wait_for_command("ACCOUNT", &account));
  EXPECT_EQ(body_of(account), ":" + prefix_of("alice") + " ACCOUNT *");
  // The nick is a registered account's again: warned, then renamed.
  EXPECT_THAT(nickserv_says(*alice), HasSubstr("alice is a registered account. Log in within 1 seconds"));
  IrcMessage nick;
  ASSERT_TRUE(alice->wait_for_command("NICK", &nick, nullptr, 3 * kGrace + default_timeout()));
  EXPECT_THAT(nick.param(0), ::testing::StartsWith("Guest"));
  EXPECT_THAT(nickserv_says(*alice), HasSubstr("you did not log in to it in time"));

  // Not logged in: said so.
  alice->send("PRIVMSG NickServ :LOGOUT");
  EXPECT_EQ(nickserv_says(*alice), "You are not logged in.");
}

TEST_F(Logout, TextLogout) {
  auto zed_connection = connect(server, "zed");
  LineClient& zed = *zed_connection;
  ASSERT_TRUE(zed.register_as("zed"));
  zed.send_line("/logout");
  ASSERT_TRUE(zed.expect_line("Error: you are not logged in."));
  zed.send_line("/register opensesame");
  ASSERT_TRUE(zed.expect_line("The account zed is registered, and you are logged in to it."));
  zed.send_line("/logout");
  ASSERT_TRUE(zed.expect_line("You are logged out of zed."));
  ASSERT_TRUE(zed.expect_line_prefix("The name zed belongs to the account zed."));
  ASSERT_TRUE(zed.expect_line_prefix("You were renamed to Guest", nullptr, 3 * kGrace + default_timeout()));
  ASSERT_TRUE(zed.expect_line_prefix("zed is now known as Guest"));
  zed.send_line("/help logout");
  std::string help;
  ASSERT_TRUE(zed.expect_line_prefix("", &help));
  EXPECT_THAT(help, HasSubstr("/logout"));
}

TEST_F(Logout, DropDeletesTheAccountAndLogsOutEverySessionOfIt) {
  auto alice = irc_user(server, "alice");
  ASSERT_TRUE(register_account(*alice));
  ASSERT_TRUE(alice->join("#talk"));
  auto phone = irc_user(server, "alice_phone");
  phone->send("PRIVMSG NickServ :IDENTIFY alice sesame!!");
  ASSERT_TRUE(phone->wait_for_command("900"));
  ASSERT_TRUE(phone->join("#talk"));
  auto bob = irc_user(server, "bob", "account-notify");
  ASSERT_TRUE(bob->join("#talk"));
  ASSERT_TRUE(alice->sync());

  alice->send("PRIVMSG NickServ :DROP wrongpass");
  EXPECT_EQ(nickserv_says(*alice), "Wrong password: the account is kept.");
  alice->send("PRIVMSG NickServ :DROP sesame!!");
  EXPECT_EQ(nickserv_says(*alice), "The account alice is deleted.");
  for (IrcClient* c : {alice.get(), phone.get()}) {
    EXPECT_EQ(nickserv_says(*c), "The account alice was deleted; you are logged out.") << c->label();
    ASSERT_TRUE(c->wait_for_command("901")) << c->label();
  }
  for (const char* who : {"alice", "alice_phone"}) {
    IrcMessage account;
    ASSERT_TRUE(bob->wait_for_command("ACCOUNT", &account));
    EXPECT_EQ(account.param(0), "*") << who;
  }
  // Gone: a login fails, and the name is free to register again.
  auto again = irc_user(server, "carol");
  again->send("PRIVMSG NickServ :IDENTIFY alice sesame!!");
  EXPECT_EQ(nickserv_says(*again), "Invalid account name or password.");
  ASSERT_TRUE(alice->sync());
  ASSERT_TRUE(register_account(*alice, "another1"));
}

// `parleyd account del` with the server running, on its data directory.
int delete_account(const ServerProcess& server, const std::string& name) {
  const std::string command = "'" + default_parleyd_binary() + "' account del " + name + " --data-dir '" +
                              server.data_dir().string() + "' >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(Logout, AnAccountDeletedByTheAdministratorIsLoggedOutWithinTheCheckInterval) {
  auto mia = irc_user(server, "mia");
  ASSERT_TRUE(register_account(*mia));
  auto text_connection = connect(server, "text");
  LineClient& text = *text_connection;
  ASSERT_TRUE(text.register_as("visitor"));
  text.send_line("/login mia sesame!!");
  ASSERT_TRUE(text.expect_line("You are logged in as mia."));
  auto other = irc_user(server, "other");
  ASSERT_TRUE(register_account(*other));

  ASSERT_EQ(delete_account(server, "mia"), 0);
  EXPECT_EQ(nickserv_says(*mia, 3 * kCheck + default_timeout()), "The account mia was deleted; you are logged out.");
  ASSERT_TRUE(mia->wait_for_command("901"));
  ASSERT_TRUE(text.expect_line("The account mia was deleted; you are logged out.", 3 * kCheck + default_timeout()));
  EXPECT_TRUE(server.wait_for_log("The account mia was deleted: its sessions are logged out."));
  // Another account is left alone (its session is still logged in).
  other->send("PRIVMSG NickServ :IDENTIFY other sesame!!");
  EXPECT_EQ(nickserv_says(*other), "You are already logged in as other.");
  // Logged out: /logout says so.
  text.send_line("/logout");
  ASSERT_TRUE(text.expect_line("Error: you are not logged in."));
}

}  // namespace
}  // namespace parley::test
